"""The ``consent`` check: a consent-based scheme holds nothing about a subject without consent.

A points scheme (``kind: points``, ``consent: true``, such as Rongcheng's)
scores only residents whose latest ``registry.consent`` record for the scheme
says ``given: true`` (Rongzhengfa [2021] No. 3; Personal Information
Protection Law arts. 13-14; docs/engine.md step 5). On the day audited, no
scored assessment of such a scheme and no live entry of a list on its grades
may concern a subject who never consented or has withdrawn consent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, select

from socialcredit.clock import day_of
from socialcredit.enforcement.model import ListEntry
from socialcredit.engine.ledger_view import load_many
from socialcredit.engine.model import LedgerRecord
from socialcredit.engine.records import CONSENT_CATEGORY, consented, effective_records
from socialcredit.policy.policy_set import PolicySet
from socialcredit.safeguards.findings import Checked, found, passed
from socialcredit.store.tables import assessments


def consent_schemes(policy: PolicySet) -> list[str]:
    return sorted(n for n, s in policy.schemes.items() if s.scheme.consent)


def check_consent(
    conn: Connection, now: dt.datetime, policy: PolicySet, entries: Sequence[ListEntry]
) -> list[Checked]:
    """Scored assessments of consent schemes, and live entries of lists on their grades."""
    schemes = consent_schemes(policy)
    if not schemes:
        return []
    items: list[tuple[str, str, str]] = []  # (item, subject, scheme)
    for subject, scheme in conn.execute(
        select(assessments.c.subject, assessments.c.scheme)
        .where(assessments.c.scheme.in_(schemes), assessments.c.status == "scored")
        .order_by(assessments.c.subject, assessments.c.scheme)
    ):
        items.append((f"assessment {scheme}:{subject}", subject, scheme))
    for entry in entries:
        info = policy.lists.get(entry.list)
        grade = info.definition.entry.grade if info is not None else None
        if grade is not None and grade.scheme in schemes:
            items.append((entry.id, entry.subject, grade.scheme))
    if not items:
        return []
    day = day_of(now)
    loaded = load_many(conn, sorted({s for _, s, _ in items}), now, frozenset({CONSENT_CATEGORY}))
    out: list[Checked] = []
    for item, subject, scheme in items:
        _ref, records = loaded[subject]
        if consented(effective_records(records, now, day, subject), scheme):
            out.append(passed("consent"))
            continue
        how = "withdrew consent" if _any_consent(records, scheme) else "never consented"
        out.append(
            found(
                "consent",
                item,
                subject,
                f"scheme {scheme} needs consent; the subject {how} to it as of {day.isoformat()}",
            )
        )
    return out


def _any_consent(records: Sequence[LedgerRecord], scheme: str) -> bool:
    return any(
        r.category == CONSENT_CATEGORY and r.attributes.get("scheme") == scheme for r in records
    )
