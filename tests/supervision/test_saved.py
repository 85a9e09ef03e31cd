"""Saved supervision runs: read back as saved, each in the audit chain with the hashes of
its report and chart, the last ones per analytic kept, a changed run told apart."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest
from sqlalchemy import select, update

from socialcredit.errors import InvalidOption
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log, supervision_reports
from socialcredit.store.verify import verify
from socialcredit.supervision.report import providers_report
from socialcredit.supervision.saved import (
    EVENT,
    KEEP,
    KINDS,
    Run,
    latest,
    latest_of,
    runs,
    save,
)

from support.holds import quiet_history

KNOWN = dt.datetime(2026, 3, 1, 16, 0)
SVG = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'


def _run(kind: str = "providers", n: int = 0) -> Run:
    report = {"week": "2026-03-02", "feeds": [{"provider": "court", "score": 87.5, "n": n}]}
    return Run(kind, KNOWN, {"weeks": 12, "at": None}, report, SVG, 1.25)  # type: ignore[arg-type]


def test_a_run_is_read_back_as_saved_and_in_the_audit_chain(store: Store) -> None:
    assert latest(store) == dict.fromkeys(KINDS)  # nothing saved yet
    saved = save(store, _run())
    back = latest_of(store, "providers")
    assert back is not None and back.intact
    assert back.id == saved.id and back.id.startswith("SUP-providers-20260302")
    assert back.report == _run().report and back.svg == SVG
    assert back.known_at == KNOWN and back.computed_at == dt.datetime(2026, 3, 2, 2, 0)
    assert back.parameters == {"weeks": 12, "at": None} and back.seconds == 1.25
    assert latest(store)["judges"] is None and latest(store)["providers"] == back
    with store.reader() as conn:
        check = verify(conn)
        entry = conn.execute(select(audit_log).where(audit_log.c.seq == back.audit_seq)).one()
    assert check.ok and check.entries == back.audit_seq
    assert (entry.event, entry.ref) == (EVENT, back.id)
    payload = orjson.loads(entry.payload)
    assert payload["kind"] == "providers" and payload["known_at"] == "2026-03-01T16:00:00"
    assert len(payload["report_sha256"]) == 64 and payload["pruned"] == []
    assert [r["id"] for r in runs(store, "providers")] == [back.id]


def test_a_real_report_with_its_dates_is_saved_as_json_prints_it(store: Store) -> None:
    quiet_history(store)
    report = providers_report(store)
    saved = save(store, Run("providers", KNOWN, {}, report.to_dict(), SVG))
    back = latest_of(store, "providers")
    assert back is not None and back.intact and back.report == saved.report
    assert back.report["week"] == "2026-03-02"
    assert back.report["feeds"][0]["provider"] == "spc.national"


def test_the_last_runs_of_each_kind_are_kept_and_the_entry_names_those_dropped(
    store: Store,
) -> None:
    first = save(store, _run(n=0))
    for n in range(1, KEEP + 1):
        save(store, _run(n=n))
    save(store, _run("officials"))
    kept = runs(store, "providers")
    assert len(kept) == KEEP and first.id not in {r["id"] for r in kept}
    newest = latest_of(store, "providers")
    assert newest is not None and newest.report["feeds"][0]["n"] == KEEP
    assert latest_of(store, "officials") is not None
    with store.reader() as conn:
        entries = conn.execute(
            select(audit_log.c.payload).where(audit_log.c.event == EVENT).order_by(audit_log.c.seq)
        ).scalars()
        pruned = [orjson.loads(p)["pruned"] for p in entries]
        assert verify(conn).ok
    assert pruned[KEEP] == [first.id] and sum(map(len, pruned)) == 1


def test_a_run_changed_after_it_was_saved_is_no_longer_intact(store: Store) -> None:
    saved = save(store, _run())
    with store.writer() as conn:
        conn.execute(
            update(supervision_reports)
            .where(supervision_reports.c.id == saved.id)
            .values(report='{"feeds":[]}')
        )
    back = latest_of(store, "providers")
    assert back is not None and not back.intact


def test_an_audit_entry_changed_breaks_the_chain(store: Store) -> None:
    saved = save(store, _run())
    with store.writer() as conn:
        conn.execute(
            update(audit_log)
            .where(audit_log.c.seq == saved.audit_seq)
            .values(payload='{"kind":"providers"}')
        )
    with store.reader() as conn:
        check = verify(conn)
    assert not check.ok and check.broken_at == saved.audit_seq


def test_an_unknown_analytic_is_refused(store: Store) -> None:
    with pytest.raises(InvalidOption) as info:
        save(store, _run("courts"))
    assert info.value.field == "kind" and "judges, officials" in info.value.message
    with pytest.raises(InvalidOption):
        latest_of(store, "courts")
    with store.reader() as conn:
        saved = conn.execute(select(audit_log.c.seq).where(audit_log.c.event == EVENT)).first()
    assert saved is None
