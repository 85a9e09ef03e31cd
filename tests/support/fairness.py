"""A hand-made store for outcome monitoring: 200 persons assessed under the national
scheme, half born in Xinjiang (650102) and half in Rongcheng (371082); 20 of the first
half and 2 of the second are on a black list; 20 hold the lowest grade, evenly spread."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

from socialcredit.store.database import Store
from socialcredit.store.tables import assessments, list_entries, subjects

from support.factories import person_id


def people() -> list[tuple[str, bool]]:
    """(identifier, listed): seq 1-100 in each area, both sexes alike."""
    out = []
    for area, listed in (("650102", 20), ("371082", 2)):
        for seq in range(1, 101):
            out.append((person_id(area, "19900512", seq), seq <= listed))
    return out


def fill(store: Store) -> None:
    everyone = people()
    now = dt.datetime(2026, 3, 1, 1)
    with store.writer() as conn:
        conn.execute(insert(subjects), [
            {"id": p, "kind": "person", "first_recorded_at": now} for p, _ in everyone
        ])  # fmt: skip
        conn.execute(insert(assessments), [
            {"subject": p, "scheme": "national", "run": 1, "status": "scored",
             "score_units": 1000, "government_units": 0, "commercial_units": 0,
             "social_units": 0, "judicial_units": 0, "grade": "D" if i % 20 in (0, 5) else "A",
             "area": "371082"}
            for i, (p, _) in enumerate(everyone)
        ])  # fmt: skip
        conn.execute(insert(list_entries), [
            {"id": f"dishonest_debtors:{p}", "list": "dishonest_debtors", "kind": "black",
             "subject": p, "status_basis": "{}", "pending_from": dt.date(2026, 1, 1),
             "effective_from": dt.date(2026, 1, 10), "ends_on": dt.date(2027, 1, 10)}
            for p, listed in everyone if listed
        ])  # fmt: skip
