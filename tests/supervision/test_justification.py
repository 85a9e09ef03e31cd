"""A flagged decision's justification, end to end on SQLite and PostgreSQL: the analytic
flags it, a request is filed for the court, the court answers, a reviewer decides; the
share of unjustified findings reaches the judge's judicial domain only where the pack
says so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from socialcredit.errors import Malformed
from socialcredit.ledger.policy_store import activate
from socialcredit.ledger.record import record_id
from socialcredit.policy.pack import PACKS_DIR, default_packs, load_pack
from socialcredit.remedies import steps as s
from socialcredit.remedies.appeals import file_appeal
from socialcredit.remedies.cases import cases, show
from socialcredit.remedies.errors import (
    AlreadyRequested,
    InvalidTransition,
    WrongCaseKind,
    WrongParty,
)
from socialcredit.remedies.justification import (
    MAX_TEXT,
    Flag,
    answer_justification,
    decide_justification,
    request_justification,
    summary,
)
from socialcredit.remedies.objections import accept_objection, answer_objection, decide_objection
from socialcredit.remedies.repair import decide_repair
from socialcredit.services.assess import assess
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.supervision.errors import FeedOff
from socialcredit.supervision.feed import feed_unjustified_shares
from socialcredit.supervision.judges import supervise_judges
from socialcredit.supervision.justification import request_flagged

from support.judges import COURT_PROVIDER, OUTLIER, flagged_case, outlier_id
from support.remedies import move


def test_a_flag_becomes_a_case_the_court_answers_and_a_reviewer_decides(
    store: Store,
) -> None:
    case_id = flagged_case(store)
    waiting = cases(store, kind="justification")
    assert [v.case.id for v in waiting] == [case_id]
    nxt = waiting[0].next
    assert nxt is not None and nxt.action == "justify" and nxt.who == f"provider:{COURT_PROVIDER}"
    assert str(nxt.deadline) == "2026-03-16"  # 10 working days after 2 March 2026
    assert waiting[0].case.subject == OUTLIER and waiting[0].case.state == "requested"

    with pytest.raises(WrongParty):
        answer_justification(ingestor(store), case_id, "...", answered_by="x", provider="court.x")
    with pytest.raises(InvalidTransition):
        decide_justification(ingestor(store), case_id, "justified", "early", "reviewer-1")
    move(store, "2026-03-10")
    answered = answer_justification(
        ingestor(store),
        case_id,
        "The defendant reoffended during probation (Criminal Law art. 77).",
        answered_by="审判管理办公室",
        provider=COURT_PROVIDER,
    )
    assert answered.case.state == "answered"
    assert answered.next is not None and answered.next.who == "reviewer"
    assert str(answered.next.deadline) == "2026-03-31"  # 15 days after the answer was due

    with pytest.raises(Malformed):
        decide_justification(ingestor(store), case_id, "maybe", "?", "reviewer-1")
    decided = decide_justification(
        ingestor(store), case_id, "unjustified", "probation was not revoked", "reviewer-1"
    )
    assert decided.case.state == "decided" and decided.case.outcome == "unjustified"
    assert decided.next is None and cases(store, kind="justification") == []
    with pytest.raises(AlreadyRequested):  # a decision is sent for justification once
        request_justification(
            ingestor(store), Flag(outlier_id(), 5.0, 1e-7, 1e-4), requested_by="s", reviewer="r"
        )
    # a second run opens nothing new
    assert request_flagged(ingestor(store), supervise_judges(store), "supervisor-1") == []


def _decided(store: Store, outcome: str) -> None:
    case_id = flagged_case(store)
    answer_justification(ingestor(store), case_id, "why", answered_by="court")
    decide_justification(ingestor(store), case_id, outcome, "reasons", "reviewer-1")


def test_the_national_pack_keeps_findings_out_of_the_domain(store: Store) -> None:
    _decided(store, "unjustified")
    with pytest.raises(FeedOff) as refused:
        feed_unjustified_shares(ingestor(store))
    assert refused.value.code == "feed_off" and refused.value.status == 409
    judicial = assess(store, OUTLIER)["scores"]["national"]["domains"]
    assert judicial.get("judicial", 0) == 0


def _feeding_pack(tmp_path: Path) -> Path:
    folder = tmp_path / "national"
    shutil.copytree(PACKS_DIR / "national", folder)
    meta = yaml.safe_load((folder / "pack.yaml").read_text("utf-8"))
    meta["version"] = "2026.1-feed"
    (folder / "pack.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), "utf-8")
    settings = yaml.safe_load((folder / "supervision.yaml").read_text("utf-8"))
    settings["supervision"]["judges"]["feed_min_decided"] = 1
    settings["supervision"]["judges"]["feed_domain"] = True
    (folder / "supervision.yaml").write_text(yaml.safe_dump(settings), "utf-8")
    with (folder / "scoring.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "  - id: nat.unjustified_deviation_share\n"
            "    scheme: national\n"
            "    category: judicial.unjustified_deviation_share\n"
            "    points: -100\n"
            "    per: unjustified_share\n"
            "    legal_basis: [judges_law art. 41]\n"
        )
    return folder


def test_where_the_pack_allows_the_unjustified_share_counts_in_the_judicial_domain(
    store: Store, tmp_path: Path
) -> None:
    activate(store, [load_pack(_feeding_pack(tmp_path))], note="feed on")
    _decided(store, "unjustified")
    shares = feed_unjustified_shares(ingestor(store))
    assert [(x.judge, x.decided, x.unjustified) for x in shares] == [(OUTLIER, 1, 1)]
    judicial = assess(store, OUTLIER)["scores"]["national"]["domains"]["judicial"]
    assert judicial == pytest.approx(-100)
    assert feed_unjustified_shares(ingestor(store)) == shares  # the same day again: no-op


def test_a_justified_finding_costs_nothing(store: Store, tmp_path: Path) -> None:
    activate(store, [load_pack(_feeding_pack(tmp_path))], note="feed on")
    _decided(store, "justified")
    [share] = feed_unjustified_shares(ingestor(store))
    assert share.share == 0
    assert assess(store, OUTLIER)["scores"]["national"]["domains"].get("judicial", 0) == 0


def test_an_unanswered_request_is_overdue_in_the_safeguards_audit(store: Store) -> None:
    from socialcredit.safeguards.overdue import check_overdue

    case_id = flagged_case(store)
    assert not [v for _, v in check_overdue(store) if v is not None]
    move(store, "2026-03-17")  # the day after answer_by
    [late] = [v for _, v in check_overdue(store) if v is not None]
    assert late.item == f"case {case_id}"
    assert f"socialcredit justifications answer {case_id}" in late.fix


def test_new_findings_the_same_day_correct_the_days_share(store: Store, tmp_path: Path) -> None:
    activate(store, [load_pack(_feeding_pack(tmp_path))], note="feed on")
    _decided(store, "unjustified")
    feed_unjustified_shares(ingestor(store))
    other = record_id(COURT_PROVIDER, "(2025)鲁1002刑初5000号")  # another of the judge's
    case = request_justification(
        ingestor(store), Flag(other, 3.0, 0.003, 0.04), requested_by="s", reviewer="reviewer"
    ).case.id
    answer_justification(ingestor(store), case, "the plea agreement", answered_by="court")
    decide_justification(ingestor(store), case, "justified", "accepted", "reviewer-1")
    [share] = feed_unjustified_shares(ingestor(store))
    assert (share.decided, share.unjustified) == (2, 1)
    judicial = assess(store, OUTLIER)["scores"]["national"]["domains"]["judicial"]
    assert judicial == pytest.approx(-50)  # the corrected share replaces the first


def test_the_request_keeps_what_the_analytic_found(store: Store) -> None:
    """The flagged decision's facts travel with the request: predicted against actual on
    the scale of the outcome modelled, the deviation score and its p- and q-value."""
    case_id = flagged_case(store)
    [flag] = supervise_judges(store).flags
    facts = summary(show(store, case_id))
    assert facts["decision"] == flag.decision == outlier_id()
    assert facts["observed"] == pytest.approx(flag.observed, abs=1e-6)
    assert facts["predicted"] == pytest.approx(flag.predicted, abs=1e-6)
    assert facts["deviation_score"] == pytest.approx(flag.deviation_score, abs=1e-6)
    assert (facts["p_value"], facts["q_value"]) == (flag.p_value, flag.q_value)
    assert facts["modelled"] == "log of the sentence in months (convictions)"
    assert (facts["answer"], facts["finding"], facts["reviewer"]) == (None, None, "reviewer")


def test_the_courts_text_is_bounded_as_the_pack_bounds_it(store: Store) -> None:
    [pack] = [p for p in default_packs() if p.name == "national"]
    answered = pack.categories[s.JUSTIFICATION_ANSWERED]
    assert answered.attributes["justification"].max_length == MAX_TEXT
    case_id = flagged_case(store)
    for text in ("", "  \n ", "x" * (MAX_TEXT + 1)):
        with pytest.raises(Malformed) as refused:
            answer_justification(ingestor(store), case_id, text, answered_by="court")
        assert refused.value.field == "justification"
    answer_justification(ingestor(store), case_id, "x" * MAX_TEXT, answered_by="court")
    with pytest.raises(Malformed):
        decide_justification(ingestor(store), case_id, "justified", " ", "reviewer-1")
    assert show(store, case_id).case.state == "answered"


def test_no_step_of_another_kind_of_case_is_taken_on_a_request(store: Store) -> None:
    """The machines share state names (answered, decided): an objection's decision on an
    answered request would be legal by state alone, and would withdraw the judge's
    decision record."""
    case_id = flagged_case(store)
    ledger = ingestor(store)
    with pytest.raises(WrongCaseKind) as refused:
        answer_objection(ledger, case_id, "withdrawn", "x", provider=COURT_PROVIDER)
    assert (refused.value.code, refused.value.status) == ("wrong_case_kind", 422)
    assert "justification request, not an objection" in str(refused.value)
    answer_justification(ledger, case_id, "why", answered_by="court")
    for step in (
        lambda: accept_objection(ledger, case_id),
        lambda: decide_objection(ledger, case_id, "x", "reviewer-1", outcome="withdrawn"),
        lambda: file_appeal(ledger, case_id, "x"),
        lambda: decide_repair(ledger, case_id, True, "x", "reviewer-1"),
    ):
        with pytest.raises(WrongCaseKind):
            step()
    assert show(store, case_id).case.state == "answered"
    with store.reader() as conn:
        decision = s.get_record(conn, outlier_id())
        assert s.head_of(conn, decision).id == decision.id  # still in force
