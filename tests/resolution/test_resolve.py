"""Entity resolution end to end: a record without an identifier is matched to the
registry, linked or sent to review; a link by probability counts in a score but grounds
no list entry until a reviewer confirms it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Connection, select

from socialcredit.enforcement.entries import entries_for
from socialcredit.engine.ledger_view import load_subject
from socialcredit.errors import InvalidOption
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.record import Record
from socialcredit.ledger.registry import register_providers
from socialcredit.policy.pack import default_packs
from socialcredit.policy.policy_set import PolicySet
from socialcredit.resolution.features import party
from socialcredit.resolution.matcher import Candidate, score
from socialcredit.resolution.models import save_model
from socialcredit.resolution.resolve import confirm, decide, resolve, review_queue
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.store.tables import hinted_records, records

from support.factories import POLICE
from support.resolution import LI, NAMESAKE, SETTINGS, ZHANG, hinted, person, trained


def test_thresholds_known_answers() -> None:
    found = [
        Candidate("a", "P1", 0.995),
        Candidate("b", "P2", 0.995),
        Candidate("b", "P3", 0.85),  # a namesake reaches the lower threshold
        Candidate("c", "P4", 0.9),
        Candidate("d", "P5", 0.5),
        Candidate("f", "P6", 0.999, same_characters=False),  # the same pinyin, other characters
    ]
    got = {d.hinted: (d.outcome, d.subject) for d in decide("abcdef", found, SETTINGS)}
    assert got == {
        "a": ("linked", "P1"),
        "b": ("review", "P2"),
        "c": ("review", "P4"),
        "d": ("unlinked", None),
        "e": ("unlinked", None),
        "f": ("review", "P6"),
    }


def test_near_matches_go_to_review_not_to_a_link_or_nowhere() -> None:
    """Known answers of the calibrated model: agreement counted once per fact, a name
    only in pinyin or a homophone is for a reviewer to decide, and a person who moved is
    still found (by the same characters and date of birth)."""
    registry = [
        party(ZHANG, {"name": "张伟", "birth_date": "1990-05-12", "area": "371082",
                      "address": "371082街道12号"}),
        party(NAMESAKE, {"name": "张伟", "birth_date": "1990-11-03", "area": "370102",
                         "address": "370102街道40号"}),
        party(LI, {"name": "李娜", "birth_date": "1990-03-02", "area": "371082",
                   "address": "371082街道7号"}),
    ]  # fmt: skip
    hints = {
        "traditional": ({"name": "張偉", "birth_date": "1990-05-12", "area": "371082",
                         "address": "371082街道12号"}, "linked"),
        "pinyin": ({"name": "Li Na", "birth_date": "1990-03-02"}, "review"),
        "homophone": ({"name": "李那", "birth_date": "1990-03-02", "area": "371082"}, "review"),
        "moved": ({"name": "李娜", "birth_date": "1990-03-02", "area": "370102",
                   "address": "新区3号"}, "linked"),
        "namesake, other date": ({"name": "张伟", "birth_date": "1990-07-20", "area": "371082"},
                                 "unlinked"),
        "nobody": ({"name": "欧阳修", "birth_date": "1961-07-07", "area": "371002"}, "unlinked"),
    }  # fmt: skip
    found = score(trained(), registry, [party(k, h) for k, (h, _) in hints.items()], 0.01)
    got = {d.hinted: d.outcome for d in decide(list(hints), found, SETTINGS)}
    assert got == {k: outcome for k, (_, outcome) in hints.items()}
    best = {c.hinted: c.probability for c in found if c.person in (LI, ZHANG)}
    assert best["pinyin"] < 0.999  # a name in letters and a date alone are never sure


def test_a_hinted_record_linked_counts_but_lists_only_once_confirmed(store: Store) -> None:
    person(store, ZHANG, "张伟", "1990-05-12", "371082", "371082街道12号")
    person(store, NAMESAKE, "张伟", "1990-11-03", "370102", "370102街道40号")
    person(store, LI, "李娜", "1990-03-02", "371082", "371082街道7号")
    save_model(store, trained(), 3000, 600)
    ing = ingestor(store)
    got = ing.ingest_dicts([
        # traditional form, the right date, area and address: linked automatically
        hinted("H-1", name="張偉", birth_date="1990-05-12", area="371082",
               address="371082街道12号"),
        # pinyin spelling, no address: only a reviewer may decide
        hinted("H-2", name="Li Na", birth_date="1990-03-02"),
        # nobody like this in the registry
        hinted("H-3", name="欧阳修", birth_date="1961-07-07", area="371002"),
    ])  # fmt: skip
    assert got.accepted == 3
    result = resolve(store, ing, SETTINGS)
    outcomes = {d.hinted: (d.outcome, d.subject) for d in result.decisions}
    with store.reader() as conn:
        ids = dict(conn.execute(select(hinted_records.c.ref, hinted_records.c.id)).all())
    assert outcomes[ids["H-1"]] == ("linked", ZHANG)
    assert outcomes[ids["H-2"]] == ("review", LI)
    assert outcomes[ids["H-3"]][0] == "unlinked"
    assert [q["ref"] for q in review_queue(store)] == ["H-2"]

    policy = PolicySet(default_packs())
    now = store.clock.now()
    with store.reader() as conn:
        subject, records, _ = load_subject(conn, ZHANG, now)
    linked = [r for r in records if r.id == ids["H-1"]]
    assert linked and linked[0].category == "judicial.judgment_default"
    assert entries_for(policy, subject, records, now) == []  # not until confirmed

    confirm(store, ing, ids["H-1"], "reviewer.wang")
    with store.reader() as conn:
        subject, records, _ = load_subject(conn, ZHANG, now)
    [entry] = entries_for(policy, subject, records, now)
    assert entry.list == "court_defaulters" and entry.ground_record == ids["H-1"]


def test_a_link_that_fails_midway_leaves_neither_record_nor_status(store: Store) -> None:
    """The link's ledger records and the hinted record's status are one transaction: a
    failure after both were written (here, a hook that derives state from the records)
    leaves the ledger without them and the record still waiting for a reviewer."""
    person(store, LI, "李娜", "1990-03-02", "371082", "371082街道7号")
    save_model(store, trained(), 3000, 600)
    ing = ingestor(store)
    ing.ingest_dicts([hinted("H-9", name="Li Na", birth_date="1990-03-02")])
    resolve(store, ing, SETTINGS)
    [queued] = review_queue(store)

    def broken(conn: Connection, appended: list[Record], now: dt.datetime) -> None:
        with conn.begin_nested():  # the status change is already in the transaction
            status = conn.execute(
                select(hinted_records.c.status).where(hinted_records.c.id == queued["id"])
            ).scalar_one()
        assert status == "linked" and appended
        raise RuntimeError("the enforcement index could not be updated")

    failing = Ingestor(store, hooks=(broken,))
    with pytest.raises(RuntimeError):
        confirm(store, failing, queued["id"], "reviewer.wang")
    with store.reader() as conn:
        in_ledger = conn.execute(
            select(records.c.id)
            .where(records.c.subject == LI)
            .where(records.c.category.in_(("judicial.judgment_default", "remedy.record_linked")))
        ).all()
    assert in_ledger == []
    assert [q["id"] for q in review_queue(store)] == [queued["id"]]  # still in review

    assert confirm(store, ing, queued["id"], "reviewer.wang") == LI  # and it can be retried
    assert review_queue(store) == []


def test_an_atomic_append_whose_companion_write_fails_writes_nothing(store: Store) -> None:
    register_providers(store, [POLICE], default_packs())
    rec = {"provider": POLICE["id"], "ref": "pop-1", "subject": LI,
           "category": "registry.person", "occurred_at": "2020-01-01",
           "attributes": {"name": "李娜", "birth_date": "1990-03-02"}}  # fmt: skip

    def refuse(conn: Connection, appended: list[Record]) -> None:
        raise InvalidOption("decided meanwhile", field="record")

    with pytest.raises(InvalidOption):
        ingestor(store).ingest_atomic([rec], within=refuse)
    with store.reader() as conn:
        assert conn.execute(select(records.c.id)).all() == []
