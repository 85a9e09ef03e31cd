"""An objection to a record linked by matching that succeeds undoes the link: the record
counts for the objector no more, returns to the unresolved pool, and the next
resolution run never links it to them again (it may link it to someone else)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from socialcredit.errors import InvalidOption
from socialcredit.ledger.record import record_id
from socialcredit.policy.resolution import ResolutionSettings
from socialcredit.remedies import steps
from socialcredit.remedies.appeals import decide_appeal, file_appeal
from socialcredit.remedies.objections import (
    accept_objection,
    answer_objection,
    decide_objection,
    file_objection,
)
from socialcredit.resolution.resolve import confirm, resolve, review_queue
from socialcredit.services.ingest import ingestor
from socialcredit.services.report import subject_report
from socialcredit.store.database import Store
from socialcredit.store.tables import hinted_records, records

from support.factories import judgment_default, person_id
from support.resolution import LI, SETTINGS, ZHANG, city, hinted, person

TWIN = person_id(birth="19900512", seq=31)  # 张伟 too, born the same day, same county


def hinted_row(store: Store, ref: str) -> Any:
    with store.reader() as conn:
        return conn.execute(select(hinted_records).where(hinted_records.c.ref == ref)).one()


def counted(store: Store, subject: str) -> set[str]:
    """The records that count in the subject's scores, and those linked to them."""
    body = subject_report(store, subject)
    ids = {c["record_id"] for c in body["contributions"]}
    return ids | {link["record_id"] for link in body["linked_by_matching"]}


def object_and_win(store: Store, subject: str, record: str) -> str:
    ing = ingestor(store)
    case = file_objection(ing, subject, record=record, grounds="wrong", evidence="not me").case
    accept_objection(ing, case.id)
    answer_objection(ing, case.id, "withdrawn", "the person is not the one in our file")
    decide_objection(ing, case.id, "the record is about someone else", "reviewer.li")
    return case.id


def test_an_upheld_objection_to_a_link_returns_the_record_for_matching_elsewhere(
    store: Store,
) -> None:
    city(store)
    ing = ingestor(store)
    ing.ingest_dicts([hinted("H-1", name="張偉", birth_date="1990-05-12", area="371082",
                             address="371082街道12号")])  # fmt: skip
    resolve(store, ing, SETTINGS)
    row = hinted_row(store, "H-1")
    assert (row.status, row.subject) == ("linked", ZHANG)
    assert row.id in counted(store, ZHANG)

    case = object_and_win(store, ZHANG, row.id)

    assert row.id not in counted(store, ZHANG)  # neither in a score nor shown as linked
    back = hinted_row(store, "H-1")
    assert (back.status, back.subject, back.probability) == ("unlinked", None, None)
    with store.reader() as conn:
        steps_ = conn.execute(
            select(records.c.category, records.c.withdrawn, records.c.legal_basis)
            .where(records.c.subject == ZHANG)
            .where(records.c.ref.like(f"{case}/unlink%"))
            .order_by(records.c.seq)
        ).all()
    assert [s.category for s in steps_] == ["judicial.judgment_default", "remedy.record_unlinked"]
    assert steps_[0].withdrawn and "link by entity resolution undone" in steps_[0].legal_basis

    again = resolve(store, ing, SETTINGS)
    [decision] = [d for d in again.decisions if d.hinted == row.id]
    assert decision.subject != ZHANG and decision.outcome != "linked"
    assert hinted_row(store, "H-1").subject != ZHANG
    assert row.id not in counted(store, ZHANG)


def test_a_confirmed_link_undone_lifts_the_listing_and_the_record_goes_to_the_other(
    store: Store,
) -> None:
    """Two persons fit the hint (review); the reviewer links it to one, who objects and
    wins: the listing that rested on it ends, the record is matched again without them
    and goes to the other, under a ref of its own; no one can link it to the objector."""
    city(store)
    person(store, TWIN, "张伟", "1990-05-12", "371082", "371082街道99号")
    ing = ingestor(store)
    ing.ingest_dicts([hinted("H-2", name="张伟", birth_date="1990-05-12", area="371082")])
    resolve(store, ing, SETTINGS)
    row = hinted_row(store, "H-2")
    assert row.status == "review" and row.subject in (ZHANG, TWIN)
    confirm(store, ing, row.id, "reviewer.wang", subject=ZHANG)
    assert [e["list"] for e in subject_report(store, ZHANG)["entries"]] == ["court_defaulters"]

    object_and_win(store, ZHANG, row.id)

    assert subject_report(store, ZHANG)["entries"] == []  # the listing rested on it
    assert row.id not in counted(store, ZHANG)
    # a stricter upper threshold than the 0.9998 the twin reaches: for a reviewer
    strict = ResolutionSettings(upper=0.99999, lower=SETTINGS.lower)
    [decision] = [d for d in resolve(store, ing, strict).decisions if d.hinted == row.id]
    assert (decision.outcome, decision.subject) == ("review", TWIN)
    [queued] = review_queue(store)
    assert (queued["candidate"], queued["excluded"]) == (TWIN, [ZHANG])
    with pytest.raises(InvalidOption, match="may not be linked to them again"):
        confirm(store, ing, row.id, "reviewer.wang", subject=ZHANG)
    confirm(store, ing, row.id, "reviewer.wang")
    relinked = record_id(row.provider, f"{row.ref}#relink-1")
    assert relinked in counted(store, TWIN)
    assert hinted_row(store, "H-2").subject == TWIN
    [link] = subject_report(store, TWIN)["linked_by_matching"]
    assert (link["record_id"], link["confirmed"]) == (relinked, True)
    assert [e["list"] for e in subject_report(store, TWIN)["entries"]] == ["court_defaulters"]


def test_without_a_stricter_threshold_the_other_namesake_is_linked_automatically(
    store: Store,
) -> None:
    city(store)
    person(store, TWIN, "张伟", "1990-05-12", "371082", "371082街道99号")
    ing = ingestor(store)
    ing.ingest_dicts([hinted("H-5", name="张伟", birth_date="1990-05-12", area="371082")])
    resolve(store, ing, SETTINGS)
    row = hinted_row(store, "H-5")
    confirm(store, ing, row.id, "reviewer.wang", subject=ZHANG)
    object_and_win(store, ZHANG, row.id)
    [decision] = [d for d in resolve(store, ing, SETTINGS).decisions if d.hinted == row.id]
    assert (decision.outcome, decision.subject) == ("linked", TWIN)
    assert record_id(row.provider, f"{row.ref}#relink-1") in counted(store, TWIN)
    assert row.id not in counted(store, ZHANG)


def test_a_linked_record_the_provider_corrected_is_unlinked_too(store: Store) -> None:
    """The provider corrected the amount of a record linked by matching; the person
    objects to the correction (the current version): the link is still undone."""
    city(store)
    ing = ingestor(store)
    ing.ingest_dicts([hinted("H-6", name="張偉", birth_date="1990-05-12", area="371082",
                             address="371082街道12号")])  # fmt: skip
    resolve(store, ing, SETTINGS)
    row = hinted_row(store, "H-6")
    correction = judgment_default("H-6-corrected", subject=ZHANG, occurred_at="2025-01-10",
                                  supersedes="H-6")  # fmt: skip
    correction["attributes"]["amount"] = 40000
    assert ing.ingest_dicts([correction]).accepted == 1
    corrected = record_id(row.provider, "H-6-corrected")
    assert corrected in counted(store, ZHANG)
    object_and_win(store, ZHANG, corrected)
    assert not {row.id, corrected} & counted(store, ZHANG)
    assert subject_report(store, ZHANG)["linked_by_matching"] == []
    assert hinted_row(store, "H-6").status == "unlinked"


def test_an_appeal_overturning_the_decision_undoes_the_link(store: Store) -> None:
    city(store)
    ing = ingestor(store)
    ing.ingest_dicts([hinted("H-3", name="李娜", birth_date="1990-03-02", area="371082",
                             address="371082街道7号")])  # fmt: skip
    resolve(store, ing, SETTINGS)
    row = hinted_row(store, "H-3")
    assert (row.status, row.subject) == ("linked", LI)
    case = file_objection(ing, LI, record=row.id, grounds="wrong", evidence="not me").case
    accept_objection(ing, case.id)
    answer_objection(ing, case.id, "upheld", "our file says so")
    decide_objection(ing, case.id, "the provider's file stands", "reviewer.li")
    assert row.id in counted(store, LI)
    file_appeal(ing, case.id, "the birth register shows another 李娜")
    decide_appeal(ing, case.id, "overturned", "another person", "reviewer.zhou")
    assert row.id not in counted(store, LI)
    assert hinted_row(store, "H-3").status == "unlinked"


def test_undoing_a_link_that_is_not_there_writes_nothing(store: Store) -> None:
    city(store)
    ing = ingestor(store)
    ing.ingest_dicts([hinted("H-4", name="欧阳修", birth_date="1961-07-07", area="371002")])
    row = hinted_row(store, "H-4")  # never linked
    step = steps.step(ZHANG, "remedy.record_unlinked", "OBJ-x/unlinked", row.occurred_at,
                      {"target": row.id, "hinted": row.id, "case": "OBJ-x"})  # fmt: skip
    with pytest.raises(InvalidOption, match="no link to undo"):
        steps.append(ing, [step])
    with store.reader() as conn:
        assert (
            conn.execute(select(records.c.id).where(records.c.ref == "OBJ-x/unlinked")).all() == []
        )
    assert hinted_row(store, "H-4").status == "unlinked"
