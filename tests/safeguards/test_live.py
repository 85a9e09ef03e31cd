"""Each check of the safeguards audit on live state, with a crafted bad row.

A small store is built as the platform builds it (ingestion, notices, delivery),
the audit holds it clean, then one row is written behind the platform's back and
the audit must name the check, the entry (or case, measure, assessment) and a fix.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from typer.testing import CliRunner

from socialcredit.cli import app as cli_app
from socialcredit.clock import FixedClock
from socialcredit.enforcement.index import INDEX_COLUMNS, IndexRow, index_values
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.policy_store import active_policy
from socialcredit.notices.channels import JsonlChannel
from socialcredit.notices.outbox import deliver
from socialcredit.notices.sweep import generate_due
from socialcredit.policy.law.actions import action_catalogue
from socialcredit.policy.law.basic_list import shipped_basic_list
from socialcredit.remedies.objections import file_objection
from socialcredit.safeguards.audit import SafeguardsAudit, audit_safeguards
from socialcredit.services.ingest import ingestor
from socialcredit.store.bulk import insert_rows
from socialcredit.store.database import Store
from socialcredit.store.tables import enforcement_index, list_entries, records

from support.factories import judgment_default, org_id, person_id, resident

DEBTOR = person_id(seq=61)
CASE = "(2026)鲁1082执61号"
ENTRY = f"court_defaulters:{DEBTOR}:{CASE}"
FIRM = org_id(code="MA3C4D5T1")
ASSESSMENT_COLUMNS = (
    *("subject", "scheme", "run", "status", "score_units", "government_units"),
    *("commercial_units", "social_units", "judicial_units", "grade"),
)


def ingest(store: Store, *rows: dict[str, Any]) -> None:
    result = ingestor(store).ingest_dicts(rows)
    assert result.rejected == 0, result.errors


def default(day: str = "2026-03-01") -> dict[str, Any]:
    return judgment_default(
        ref=CASE,
        subject=DEBTOR,
        occurred_at=day,
        attributes={"case_no": CASE, "ground": "evades_enforcement"},
    )


def grade(day: str, year: int, value: str) -> dict[str, Any]:
    return {
        "provider": "sat.national",
        "ref": f"grade-{year}",
        "subject": FIRM,
        "category": "tax.credit_grade",
        "occurred_at": day,
        "attributes": {"year": year, "grade": value},
    }


def set_clock(store: Store, at: str) -> None:
    clock = store.clock
    assert isinstance(clock, FixedClock)
    clock.set(at)


@pytest.fixture
def listed(store: Store, tmp_path: Path) -> Iterator[Store]:
    """A listing notified and delivered in time, in force on 1 April 2026."""
    ingest(store, default())
    deliver(store, [JsonlChannel(tmp_path / "feed.jsonl")])
    set_clock(store, "2026-04-01T02:00:00")
    generate_due(store)
    yield store


def of(result: SafeguardsAudit, check: str) -> list[tuple[str, str]]:
    return [(v.item, v.message) for v in result.violations if v.check == check]


def edit_entry(store: Store, **changes: str) -> None:
    with store.writer() as conn:
        text = conn.execute(
            select(list_entries.c.status_basis).where(list_entries.c.id == ENTRY)
        ).scalar_one()
        entry = json.loads(text)
        entry.update(changes)
        values: dict[str, Any] = {"status_basis": json.dumps(entry)}
        for column in ("pending_from", "effective_from"):
            if column in changes:
                values[column] = dt.date.fromisoformat(changes[column])
        if "end" in changes:
            values["ends_on"] = dt.date.fromisoformat(changes["end"])
        conn.execute(update(list_entries).where(list_entries.c.id == ENTRY).values(**values))


def test_the_live_state_is_clean_and_local_additions_are_listed_for_review(
    listed: Store,
) -> None:
    result = audit_safeguards(listed)
    assert result.ok, [v.text() for v in result.violations]
    assert result.counts["stale"].checked >= 1 and result.counts["timing"].checked == 1
    review = {v.item for v in result.review}
    assert "catalogue item social.utility_arrears" in review and len(review) == 4
    assert all(v.check == "local_additions" and v.severity == "review" for v in result.review)
    assert all("pack rongcheng (371082)" in v.message for v in result.review)
    assert all("Shandong Province Social Credit Regulations" in v.message for v in result.review)


def _index_row(store: Store, measure: str, action: str, effect: str = "deny") -> None:
    day = dt.date(2026, 4, 1)
    row = IndexRow(
        DEBTOR, action, effect, measure, ENTRY, DEBTOR, "subject", day, day.replace(2027)
    )
    with store.writer() as conn:
        next_id = int(conn.execute(select(func.max(enforcement_index.c.id))).scalar() or 0) + 1
        version = int(conn.execute(select(func.max(enforcement_index.c.version))).scalar() or 0)
        insert_rows(
            conn, "enforcement_index", INDEX_COLUMNS, [index_values(conn, next_id, row, version)]
        )


def test_a_measure_enforced_outside_the_basic_list(listed: Store) -> None:
    _index_row(listed, "exit_ban", "transport.air.ticket")
    with listed.reader() as conn:
        policy = active_policy(conn)
    name, info = next(
        (n, i) for n, i in policy.measures.items() if "court_defaulters" in i.definition.lists
    )
    item = shipped_basic_list()[info.definition.basic_list_item or ""]
    outside = sorted(a for a in action_catalogue() if a not in item.actions)[0]
    _index_row(listed, name, outside, info.definition.effect)
    found = dict(of(audit_safeguards(listed), "basic_list"))
    assert "no active pack defines it" in found["measure exit_ban"]
    assert f"punishes on {outside}, outside Basic List item {item.id}" in found[f"measure {name}"]


def test_an_entry_longer_than_its_basic_list_item_allows(listed: Store) -> None:
    edit_entry(listed, ends_at="2040-01-01", end="2040-01-01")
    ((item, message), *_rest) = of(audit_safeguards(listed), "basic_list")
    assert item == ENTRY and "longer than Basic List item" in message


def test_an_assessment_of_a_consent_scheme_without_consent(listed: Store) -> None:
    resident = person_id(seq=62)
    with listed.writer() as conn:
        insert_rows(
            conn,
            "assessments",
            ASSESSMENT_COLUMNS,
            [(resident, "rongcheng", 1, "scored", 10_000_000, 0, 0, 0, 0, "A")],
        )
    (found,) = of(audit_safeguards(listed), "consent")
    assert found == (
        f"assessment rongcheng:{resident}",
        "scheme rongcheng needs consent; the subject never consented to it as of 2026-04-01",
    )


def test_an_entry_in_force_before_its_list_was_activated(listed: Store) -> None:
    edit_entry(listed, pending_from="2025-01-01", effective_from="2025-01-31")
    (found,) = of(audit_safeguards(listed), "timing")
    assert found[0] == ENTRY
    assert "took effect on 2025-01-31, before list court_defaulters of pack national" in found[1]


def test_an_entry_whose_notice_ran_before_its_ground_was_known(store: Store) -> None:
    set_clock(store, "2026-03-10T02:00:00")
    ingest(store, default())  # known on 10 March: the notice runs from then
    edit_entry(store, pending_from="2026-03-05", effective_from="2026-04-04")
    (found,) = of(audit_safeguards(store), "timing")
    assert found[0] == ENTRY and "before the platform knew its ground record" in found[1]
    assert "(recorded 2026-03-10)" in found[1]


def test_an_objection_nobody_accepted_in_time(listed: Store) -> None:
    with listed.reader() as conn:
        ground = conn.execute(select(records.c.id).where(records.c.subject == DEBTOR)).scalar()
    case = file_objection(ingestor(listed), DEBTOR, record=ground, grounds="wrong", evidence="paid")
    assert audit_safeguards(listed).counts["overdue"].violations == 0
    set_clock(listed, "2026-05-01T02:00:00")
    result = audit_safeguards(listed)
    (v,) = [v for v in result.violations if v.check == "overdue"]
    assert v.item == f"case {case.case.id}" and v.subject == DEBTOR
    assert "was to accept it by" in v.message and "socialcredit objections accept" in v.remedy


def test_a_red_list_entry_on_a_grade_the_subject_no_longer_holds(store: Store) -> None:
    ingest(store, grade("2026-03-01", 2025, "A"))
    assert audit_safeguards(store).ok
    # the D grade appended behind the index's back: the A entry stays stored
    assert Ingestor(store).ingest_dicts([grade("2026-03-02", 2026, "D")]).rejected == 0
    result = audit_safeguards(store)
    ((item, message),) = of(result, "red_list")
    assert item.startswith(f"tax_a_grade:{FIRM}:")
    assert "latest today is tax.credit_grade" in message and "(grade D)" in message
    stale = dict(of(result, "stale"))
    assert "but the ledger no longer gives it" in stale[item] or "end stored" in stale[item]
    assert any(i.startswith(f"tax_d_grade:{FIRM}") and "not stored" in m for i, m in stale.items())


def test_index_rows_of_an_entry_no_longer_stored(listed: Store) -> None:
    with listed.writer() as conn:
        conn.execute(delete(list_entries).where(list_entries.c.id == ENTRY))
    messages = [m for i, m in of(audit_safeguards(listed), "stale") if i == ENTRY]
    assert any("no such entry is stored" in m for m in messages)  # the index row
    assert any("that is not stored" in m for m in messages)  # the ledger still gives it


def test_the_command_reports_rule_fix_and_review(listed: Store) -> None:
    edit_entry(listed, pending_from="2025-01-01", effective_from="2025-01-31")
    runner = CliRunner()
    out = runner.invoke(cli_app, ["--db", listed.url, "safeguards", "audit", "--json"])
    assert out.exit_code == 1
    body = json.loads(out.stdout)
    (timing,) = [v for v in body["violations"] if v["check"] == "timing"]
    assert timing["item"] == ENTRY and timing["fix"] and timing["rule"]
    assert timing["severity"] == "violation"
    assert body["review"] and {"seconds", "notes", "checks"} <= set(body)
    text = runner.invoke(cli_app, ["--db", listed.url, "safeguards", "audit"])
    assert "fix:" in text.stdout and "for review" in text.stdout


def _assess(store: Store, subject: str, scheme: str = "rongcheng") -> None:
    with store.writer() as conn:
        insert_rows(
            conn,
            "assessments",
            ASSESSMENT_COLUMNS,
            [(subject, scheme, 1, "scored", 10_000_000, 0, 0, 0, 0, "A")],
        )


def test_an_assessment_of_a_city_scheme_for_someone_its_records_do_not_place_there(
    listed: Store,
) -> None:
    # the identity number says 371082 (the place of first registration): never enough
    by_number = person_id(seq=63)
    moved = person_id(seq=64)
    resident(listed, moved, area="370102", since="2015-06-01")
    _assess(listed, by_number)
    _assess(listed, moved)
    found = dict(of(audit_safeguards(listed), "scope"))
    assert found == {
        f"assessment rongcheng:{by_number}": (
            "scheme rongcheng is for 371082, but on 2026-04-01 no residence or "
            "registration record places it"
        ),
        f"assessment rongcheng:{moved}": (
            "scheme rongcheng is for 371082, but on 2026-04-01 its records place it in "
            "370102 since 2015-06-01 or it does not meet the scheme's eligibility"
        ),
    }


def test_a_resident_the_scheme_may_score_passes_and_a_minor_does_not(listed: Store) -> None:
    adult, minor = person_id(seq=65), person_id(birth="20120301", seq=66)
    resident(listed, adult, since="2010-01-01")
    resident(listed, minor, since="2012-03-01", born="2012-03-01")
    _assess(listed, adult)
    _assess(listed, minor)
    result = audit_safeguards(listed)
    assert [item for item, _ in of(result, "scope")] == [f"assessment rongcheng:{minor}"]
    assert result.counts["scope"].checked == 2
