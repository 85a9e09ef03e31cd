"""Entity resolution end to end: a record without an identifier is matched to the
registry, linked or sent to review; a link by probability counts in a score but grounds
no list entry until a reviewer confirms it."""

from __future__ import annotations

import datetime as dt
import random
from functools import cache
from typing import Any

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
from socialcredit.policy.resolution import ResolutionSettings
from socialcredit.resolution.features import party, pinyin
from socialcredit.resolution.matcher import Candidate, score, train
from socialcredit.resolution.models import save_model
from socialcredit.resolution.resolve import confirm, decide, resolve, review_queue
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.store.tables import hinted_records, records

from support.factories import POLICE, judgment_default, person_id

SETTINGS = ResolutionSettings(upper=0.99, lower=0.8)
ZHANG = person_id(birth="19900512", seq=11)
NAMESAKE = person_id(area="370102", birth="19901103", seq=13)
LI = person_id(birth="19900302", seq=21)


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


@cache
def trained() -> dict[str, Any]:
    """A model estimated on a small synthetic registry (seeded), as EM would on a city."""
    rng = random.Random(7)
    sur, giv = (
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗梁宋郑谢韩唐冯于董萧",
        "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂红玉华建国志",
    )
    people = []
    for i in range(3000):
        name = rng.choice(sur) + rng.choice(giv) + rng.choice(giv)
        born = f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        area = rng.choice(["371082", "371002", "370102"])
        facts = {"name": name, "birth_date": born, "area": area,
                 "address": f"{area}街道{rng.randint(1, 300)}号"}  # fmt: skip
        people.append(party(f"P{i}", facts))
    hinted = []
    for j in range(600):
        p = rng.choice(people)
        facts = {"name": p.name, "birth_date": p.birth_date, "area": p.area, "address": p.address}
        if rng.random() < 0.3:  # moved
            facts["area"] = rng.choice(["371082", "371002", "370102"])
            facts["address"] = f"新区{rng.randint(1, 99)}号"
        spelling = rng.random()
        if spelling < 0.2:  # a character mistyped
            facts["name"] = (p.name or "")[:2] + rng.choice(giv)
        elif spelling < 0.3:  # written in pinyin
            facts["name"] = pinyin(p.name or "")
        if rng.random() < 0.1:  # a digit of the date
            facts["birth_date"] = (p.birth_date or "")[:9] + str(rng.randint(0, 9))
        hinted.append(party(f"H{j}", facts))
    return train(people, hinted)


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


def person(store: Store, subject: str, name: str, born: str, area: str, address: str) -> None:
    register_providers(store, [POLICE], default_packs())
    result = ingestor(store).ingest_dicts([
        {"provider": POLICE["id"], "ref": f"pop-{subject}", "subject": subject,
         "category": "registry.person", "occurred_at": "2020-01-01",
         "attributes": {"name": name, "birth_date": born}},
        {"provider": POLICE["id"], "ref": f"res-{subject}", "subject": subject,
         "category": "registry.residence", "occurred_at": "2020-01-01",
         "attributes": {"address": address, "area": area, "since": "2020-01-01"}},
    ])  # fmt: skip
    assert result.rejected == 0, result.errors


def hinted(ref: str, **hint: Any) -> dict[str, Any]:
    rec = judgment_default(ref, occurred_at="2025-01-10")
    del rec["subject"]
    rec["subject_hint"] = hint
    return rec


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
