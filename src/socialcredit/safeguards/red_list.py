"""The ``red_list`` check: a red-list entry rests on the grade the subject holds today.

A reward follows a grade, and only while the grade holds:

* a grade-based red list (``entry.grade``, e.g. Rongcheng's AAA honour list)
  holds a subject only while its assessment in the scheme (the ``assessments``
  table, the latest evaluation) is one of the list's grades;
* a red list on a published grade or status that the next one replaces
  (``removal`` with ``match: subject`` on its own entry categories, e.g. the
  tax A list on ``tax.credit_grade``: SAT Announcement 2014 No. 40 art. 17)
  holds a subject only while the latest such record it has today still meets
  the list's ``entry.when`` -- an enterprise whose latest published grade is D
  is not an A-grade taxpayer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection

from socialcredit.clock import day_of
from socialcredit.enforcement.model import ListEntry
from socialcredit.engine.ledger_view import load_many
from socialcredit.engine.records import current_records
from socialcredit.policy.lists import ListDef
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.predicate import evaluate
from socialcredit.safeguards.findings import Checked, found, passed
from socialcredit.store.bulk import select_in


def replaced_by_next(ld: ListDef) -> tuple[str, ...]:
    """The entry categories whose next record of the subject replaces the entry."""
    return tuple(
        c
        for r in ld.removal
        if r.match == "subject" and r.when is None
        for c in r.categories
        if c in ld.entry.categories
    )


def check_red_list(
    conn: Connection, now: dt.datetime, policy: PolicySet, entries: Sequence[ListEntry]
) -> list[Checked]:
    day = day_of(now)
    grades = {
        (r[0], r[1]): (r[2], r[3])
        for r in select_in(
            conn,
            "assessments",
            ("subject", "scheme", "grade", "status"),
            "subject",
            {e.subject for e in entries},
        )
    }
    status_lists = {e.subject: ld for e in entries if (ld := _status_list(policy, e)) is not None}
    categories = frozenset(c for ld in status_lists.values() for c in replaced_by_next(ld))
    loaded = load_many(conn, sorted(status_lists), now, categories) if status_lists else {}
    out: list[Checked] = []
    for entry in entries:
        info = policy.lists.get(entry.list)
        if info is None:
            continue  # the legal_basis check reports a list no active pack defines
        ld = info.definition
        if ld.entry.grade is not None:
            scheme, wanted = ld.entry.grade.scheme, ld.entry.grade.grades
            grade, status = grades.get((entry.subject, scheme), (None, None))
            if status == "scored" and grade in wanted:
                out.append(passed("red_list"))
                continue
            held = grade if status == "scored" else status or "no assessment"
            out.append(
                found(
                    "red_list",
                    entry.id,
                    entry.subject,
                    f"rests on grade {'/'.join(wanted)} in {scheme}; the subject's assessment "
                    f"today is {held}",
                )
            )
            continue
        status_categories = replaced_by_next(ld)
        if not status_categories:
            continue
        _ref, records = loaded[entry.subject]
        mine = [
            r
            for r in current_records(records, now, day, entry.subject)
            if r.category in status_categories
        ]
        latest = max(mine, key=lambda r: (r.occurred_at, r.seq), default=None)
        if latest is not None and evaluate(ld.entry.when, latest.attributes):
            out.append(passed("red_list"))
            continue
        what = (
            "no such record"
            if latest is None
            else f"{latest.category} {latest.id} of {latest.occurred_at.isoformat()} "
            f"({_attrs(latest.attributes)})"
        )
        out.append(
            found(
                "red_list",
                entry.id,
                entry.subject,
                f"rests on {'/'.join(status_categories)} meeting the list's entry condition; "
                f"the subject's latest today is {what}",
            )
        )
    return out


def _status_list(policy: PolicySet, entry: ListEntry) -> ListDef | None:
    info = policy.lists.get(entry.list)
    if info is None or not replaced_by_next(info.definition):
        return None
    return info.definition


def _attrs(attributes: dict[str, object]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(attributes.items()) if k in ("grade", "status"))
