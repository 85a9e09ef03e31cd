"""Local governments' responsiveness to directives, on a hand-made ledger: when each
implemented a directive, its data on time, its objection answers on time, the score,
the ranking per directive, its distribution, over time and overall."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from socialcredit.ledger.record import record_id
from socialcredit.policy.pack import load_pack
from socialcredit.remedies.objections import accept_objection, answer_objection, file_objection
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.supervision.directives import Directive, Timeline, version_key
from socialcredit.supervision.jurisdictions import jurisdictions_report
from socialcredit.supervision.ranking import distribution, ranks

from support.factories import org_id
from support.remedies import move
from support.supervision import (
    FIRM,
    MARKET_A,
    MARKET_B,
    SUPERVISION,
    day,
    ingest,
    institution,
    licence,
    penalty,
    record,
    setup,
)

GOV_X = org_id(dept="1", kind="1", area="371002", code="00000010X")
GOV_Y = org_id(dept="1", kind="1", area="371082", code="00000011Y")
GOV_Z = org_id(dept="1", kind="1", area="371003", code="00000012W")
CODES = {GOV_X: "371002", GOV_Y: "371082", GOV_Z: "371003"}
D1, D2, D3 = "威政办字〔2025〕1号", "威政办字〔2025〕2号", "威政办字〔2025〕3号"


def directive(
    number: str, to: str, issued: str, deadline: str, task: str, target: str
) -> dict[str, Any]:
    return record(
        SUPERVISION, f"{number}-{to}", to, "government.directive", issued,
        directive=number, task=task, target=target, jurisdiction=CODES[to], deadline=deadline,
    )  # fmt: skip


@pytest.fixture
def city(store: Store) -> Store:
    setup(store)
    move(store, "2025-05-01")
    ingest(
        store,
        institution(GOV_X, "环翠区人民政府", level="municipal"),
        institution(GOV_Y, "荣成市人民政府"),
        institution(GOV_Z, "文登区人民政府", level="municipal"),
        *(directive(D1, g, "2025-03-03", "2025-04-30", "data_reporting",
                    "market.administrative_licence") for g in CODES),
        # the districts' licences: X first on 20 March (on time), then one late
        licence(MARKET_B, "环许1", "2025-03-18", reported="2025-03-20"),
        penalty(MARKET_A, "荣罚1", "2025-04-01", reported="2025-04-02"),
    )  # fmt: skip
    move(store, "2025-05-06")
    view = file_objection(
        ingestor(store), FIRM, record=record_id(MARKET_A, "荣罚1"), grounds="wrong",
        evidence="x",
    )  # fmt: skip
    accept_objection(ingestor(store), view.case.id)
    move(store, "2025-05-26")  # four days after the answer was due
    answer_objection(ingestor(store), view.case.id, "upheld", "right")
    move(store, "2026-03-02")
    ingest(
        store,
        # Y reports its first licence on 10 May, ten days after the deadline
        licence(MARKET_A, "荣许1", "2025-05-08", reported="2025-05-10"),
        licence(MARKET_B, "环许2", "2025-06-02", reported="2025-07-01"),  # late
        # Z has no provider: a supervision finding says it was 30 days late
        record(SUPERVISION, "督Z1", GOV_Z, "government.directive_late", "2025-06-30",
               directive=D1, days_late=30),
        # Y must adopt the Rongcheng honour list (active since the store began, 2 March
        # 2026) and activate the next version of its pack (never done)
        directive(D2, GOV_Y, "2025-06-02", "2025-09-30", "list", "rongcheng_honour"),
        directive(D3, GOV_Y, "2025-06-02", "2025-12-31", "pack_version", "2026.2"),
    )  # fmt: skip
    return store


def _ranking(body: dict[str, Any], number: str) -> dict[str, dict[str, Any]]:
    [found] = [d for d in body["directives"] if d["directive"] == number]
    return {r["jurisdiction"]: r for r in found["ranking"]}


def test_each_jurisdictions_answer_to_a_data_reporting_directive(city: Store) -> None:
    body = jurisdictions_report(city, since=day("2025-01-01"), until=day("2025-12-31")).to_dict()
    got = _ranking(body, D1)
    x, y, z = got["371002"], got["371082"], got["371003"]
    assert (x["implemented"], x["days_to_implement"], x["days_late"], x["on_time"]) == (
        "2025-03-20",
        17,
        0,
        True,
    )
    assert (x["data_on_time"], x["data_reports"], x["objections_on_time"]) == (0.5, 2, None)
    assert x["records"] == [record_id(SUPERVISION, f"{D1}-{GOV_X}"), record_id(MARKET_B, "环许1")]
    assert (y["implemented"], y["days_late"], y["on_time"]) == ("2025-05-10", 10, False)
    assert (y["data_on_time"], y["objections_on_time"], y["objections_due"]) == (1.0, 0.0, 1)
    assert (z["implemented"], z["days_late"], z["evidence"]) == (
        "2025-05-30",
        30,
        "implemented late (supervision finding)",
    )
    assert z["data_on_time"] is None and z["name"] == "文登区人民政府"
    # weights 0.5 / 0.3 / 0.2 over the parts known; 90 days late scores nothing
    assert x["score"] == pytest.approx((0.5 * 1 + 0.3 * 0.5) / 0.8, abs=1e-4)
    assert y["score"] == pytest.approx(0.5 * (1 - 10 / 90) + 0.3 * 1.0, abs=1e-4)
    assert z["score"] == pytest.approx(1 - 30 / 90, abs=1e-4)
    assert [(r["rank"], r["jurisdiction"]) for r in _directive(body, D1)["ranking"]] == [
        (1, "371002"),
        (2, "371082"),
        (3, "371003"),
    ]


def _directive(body: dict[str, Any], number: str) -> dict[str, Any]:
    [found] = [d for d in body["directives"] if d["directive"] == number]
    return found


def test_the_distribution_of_answers_to_a_directive(city: Store) -> None:
    body = jurisdictions_report(city, since=day("2025-01-01"), until=day("2025-12-31")).to_dict()
    d1 = _directive(body, D1)
    assert (d1["addressees"], d1["implemented"], d1["on_time"]) == (3, 3, 1)
    assert d1["days_to_implement"] == {
        "count": 3, "mean": 57.6667, "min": 17.0, "p25": 42.5, "median": 68.0, "p75": 78.0,
        "max": 88.0,
    }  # fmt: skip
    assert d1["task"] == "data_reporting" and d1["deadline"] == "2025-04-30"


def test_pack_directives_follow_the_activations_of_the_jurisdictions_packs(city: Store) -> None:
    body = jurisdictions_report(city, since=day("2025-01-01"), until=day("2025-12-31")).to_dict()
    listed = _ranking(body, D2)["371082"]
    assert listed["implemented"] == "2026-03-02"
    assert listed["evidence"] == "pack rongcheng@2026.1 active"
    assert listed["days_late"] == (dt.date(2026, 3, 2) - dt.date(2025, 9, 30)).days
    version = _ranking(body, D3)["371082"]
    assert (version["implemented"], version["on_time"]) == (None, False)
    assert version["days_late"] == (dt.date(2026, 3, 2) - dt.date(2025, 12, 31)).days
    # nothing reported or contested since: the implementation part alone
    assert version["score"] == pytest.approx(1 - 61 / 90, abs=1e-4)
    assert (version["data_reports"], version["objections_due"]) == (0, 0)


def test_ranking_over_time_and_overall(city: Store) -> None:
    body = jurisdictions_report(city, since=day("2025-01-01"), until=day("2025-12-31")).to_dict()
    quarters = {q["quarter"]: q for q in body["over_time"]}
    assert set(quarters) == {"2025-Q1", "2025-Q2"}
    assert (quarters["2025-Q1"]["directives"], quarters["2025-Q1"]["responses"]) == (1, 3)
    assert quarters["2025-Q1"]["on_time_share"] == pytest.approx(1 / 3, abs=1e-4)
    assert [j["jurisdiction"] for j in quarters["2025-Q2"]["jurisdictions"]] == ["371082"]
    overall = {r["jurisdiction"]: r for r in body["ranking"]}
    assert overall["371002"]["rank"] == 1 and overall["371082"]["directives"] == 3
    assert overall["371082"]["late_or_owed"] == 3
    assert body["kind"] == "supervision.jurisdictions" and body["information_only"] is True
    assert body["weights"] == {"implementation": 0.5, "data_on_time": 0.3,
                               "objections_on_time": 0.2}  # fmt: skip


def test_only_directives_issued_in_the_period(city: Store) -> None:
    body = jurisdictions_report(city, since=day("2025-04-01"), until=day("2025-12-31")).to_dict()
    assert [d["directive"] for d in body["directives"]] == [D2, D3]


def test_a_task_already_done_when_issued_is_done_that_day() -> None:
    rongcheng = load_pack("rongcheng")
    timeline = Timeline(((dt.date(2025, 1, 1), (rongcheng,)),))
    d = Directive("r", D2, SUPERVISION, GOV_Y, "371082", "measure", "rc_deposit_free",
                  dt.date(2025, 6, 2), dt.date(2025, 9, 30))  # fmt: skip
    assert timeline.first_day(d) == (dt.date(2025, 6, 2), "rongcheng@2026.1")
    elsewhere = Directive("r", D2, SUPERVISION, GOV_X, "371002", "measure", "rc_deposit_free",
                          dt.date(2025, 6, 2), dt.date(2025, 9, 30))  # fmt: skip
    assert timeline.first_day(elsewhere) is None


def test_versions_compare_number_by_number() -> None:
    assert version_key("2026.10") > version_key("2026.9") > version_key("2026.1")
    assert version_key("2026.1") >= version_key("2026.1")


def test_competition_ranks_and_empty_distributions() -> None:
    assert ranks([0.9, 0.5, 0.9, None, 0.1]) == [1, 3, 1, None, 4]
    assert distribution([])["count"] == 0 and distribution([])["median"] is None
