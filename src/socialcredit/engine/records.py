"""Record helpers of the engines' steps 1-6 (docs/engine.md): which records count
on a day, consent, the roles a person holds, and a record's act key.

Pure functions of records; the incremental engine, list entries, the check and
the safeguards audit all read records through them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from socialcredit.engine.due_process import due_process
from socialcredit.engine.model import LedgerRecord
from socialcredit.policy.rules import ROLE_CATEGORIES
from socialcredit.store.content import canonical_json

CONSENT_CATEGORY = "registry.consent"


def current_records(
    records: Iterable[LedgerRecord], known_at: dt.datetime, day: dt.date, subject: str
) -> list[LedgerRecord]:
    """Steps 1-2: visible, not replaced by a visible record, not withdrawn."""
    visible = [
        r
        for r in records
        if r.recorded_at <= known_at and r.occurred_at <= day and r.subject == subject
    ]
    replaced = {r.supersedes for r in visible if r.supersedes is not None}
    return [r for r in visible if not r.withdrawn and r.id not in replaced]


def effective_records(
    records: Iterable[LedgerRecord], known_at: dt.datetime, day: dt.date, subject: str
) -> list[LedgerRecord]:
    """Steps 1-3: visible, not replaced by a visible record, not withdrawn, not
    suspended on ``day`` (docs/remedies.md)."""
    current = current_records(records, known_at, day, subject)
    return due_process(current).split(current, day).effective


def consented(records: Iterable[LedgerRecord], scheme: str) -> bool:
    """Step 5: the latest consent record for the scheme says ``given: true``."""
    latest: LedgerRecord | None = None
    for r in records:
        if (
            r.category == CONSENT_CATEGORY
            and r.attributes.get("scheme") == scheme
            and (latest is None or (r.occurred_at, r.seq) > (latest.occurred_at, latest.seq))
        ):
            latest = r
    return latest is not None and latest.attributes.get("given") is True


def roles_held(
    records: Iterable[LedgerRecord], person: str, day: dt.date, roles: Iterable[str]
) -> frozenset[str]:
    """Step 13: the roles ``person`` holds on ``day`` in the organisation of ``records``."""
    wanted = {ROLE_CATEGORIES[role]: role for role in roles}
    iso_day = day.isoformat()
    current: dict[str, list[LedgerRecord]] = {}
    for r in records:
        if r.category in wanted:
            ended = r.attributes.get("ended")
            if ended is None or (isinstance(ended, str) and ended > iso_day):
                current.setdefault(r.category, []).append(r)
    held: set[str] = set()
    for category, found in current.items():
        role = wanted[category]
        if role == "legal_representative":
            found = [max(found, key=lambda r: (r.occurred_at, r.seq))]
        if any(r.attributes.get("person") == person for r in found):
            held.add(role)
    return frozenset(held)


def act_key(record: LedgerRecord, case_key: str | None) -> str:
    """Step 6: the case key's value as text, else the record id."""
    if case_key is not None:
        value = record.attributes.get(case_key)
        if value is not None:
            return value if isinstance(value, str) else canonical_json(value)
    return record.id


__all__ = [
    "CONSENT_CATEGORY",
    "act_key",
    "consented",
    "current_records",
    "effective_records",
    "roles_held",
]
