"""The ``scope`` check: a scheme or list of an area holds only subjects its records place there.

DESIGN.md, safeguard 3, and docs/engine.md step 4: a municipal or provincial
scheme scores a person only where a ``registry.residence`` record places them
(an organisation: its registration record), on the day evaluated, with the
scheme's eligibility (legal majority, length of residence) -- never by the
area code of the identity number, which is the place of first household
registration. The engines compute scope that way; this check reads the live
state, so that a row written behind their back (a forced pack, an old
version's run, a hand-made assessment) is caught:

* every scored assessment of a scheme whose pack is not national concerns a
  subject in that scheme's scope on the day of the run that wrote it;
* every live entry of a list whose pack is not national concerns a subject
  its records place in the pack's area on the audited day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, select

from socialcredit.clock import day_of
from socialcredit.enforcement.model import ListEntry
from socialcredit.engine.ledger_view import load_many
from socialcredit.engine.records import effective_records
from socialcredit.engine.scope import SCOPE_CATEGORIES, area_covered, in_scope, scope_of
from socialcredit.policy.policy_set import PolicySet
from socialcredit.safeguards.findings import Checked, found, passed
from socialcredit.store.tables import assessments, evaluation_runs

# (item, subject, scheme or list, day, what is asked)
_Item = tuple[str, str, str, dt.datetime, str]


def check_scope(
    conn: Connection, now: dt.datetime, policy: PolicySet, entries: Sequence[ListEntry]
) -> list[Checked]:
    """Scored assessments of area schemes and live entries of area lists, against the
    subjects' residence and registration records."""
    local = {n for n, s in policy.schemes.items() if s.jurisdiction != "national"}
    items: list[_Item] = []
    if local:
        rows = conn.execute(
            select(assessments.c.subject, assessments.c.scheme, evaluation_runs.c.at)
            .outerjoin(evaluation_runs, evaluation_runs.c.id == assessments.c.run)
            .where(assessments.c.scheme.in_(sorted(local)), assessments.c.status == "scored")
            .order_by(assessments.c.subject, assessments.c.scheme)
        )
        # an assessment of no recorded run is audited as of now
        items += [
            (f"assessment {r.scheme}:{r.subject}", r.subject, r.scheme, r.at or now, "scheme")
            for r in rows
        ]
    for entry in entries:
        listed = policy.lists.get(entry.list)
        if listed is not None and listed.jurisdiction != "national":
            items.append((entry.id, entry.subject, entry.list, now, "list"))
    if not items:
        return []
    loaded = load_many(conn, sorted({i[1] for i in items}), now, SCOPE_CATEGORIES)
    out: list[Checked] = []
    for item, subject, name, at, what in items:
        ref, records = loaded[subject]
        day = day_of(at)
        place = scope_of(ref.kind, effective_records(records, at, day, subject), day)
        if what == "scheme":
            scheme = policy.schemes[name]
            ok = in_scope(scheme, ref.kind, place, day)
            where = scheme.jurisdiction
        else:
            where = policy.lists[name].jurisdiction
            ok = area_covered(where, place)
        if ok:
            out.append(passed("scope"))
            continue
        placed = (
            f"its records place it in {place.area} since {place.since}"
            if place.area
            else "no residence or registration record places it"
        )
        out.append(
            found(
                "scope",
                item,
                subject,
                f"{what} {name} is for {where}, but on {day.isoformat()} {placed}"
                + (
                    " or it does not meet the scheme's eligibility"
                    if place.area and what == "scheme"
                    else ""
                ),
            )
        )
    return out
