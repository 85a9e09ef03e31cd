"""The supervision of judges on a small court system with known answers: the judge
whose sentences are shifted is flagged and no other; the one extreme decision is
flagged; a judge's own decisions never predict themselves."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from socialcredit.ledger.record import record_id
from socialcredit.policy.supervision import SupervisionSettings
from socialcredit.store.database import Store
from socialcredit.supervision.decisions import from_arrow
from socialcredit.supervision.judges import analyse, supervise_judges
from socialcredit.supervision.judges_model import fit_out_of_fold

from support.judges import (
    BIASED,
    COURT_PROVIDER,
    JUDGES,
    MEDIANS,
    OUTLIER,
    court_system,
    decisions,
    ingest_now,
    outlier_id,
)


def test_the_shifted_judge_is_flagged_and_no_other(store: Store) -> None:
    court_system(store)
    report = supervise_judges(store)
    assert report.settings.min_cases == 30 and report.fdr == 0.05  # the national pack's
    assert [j.judge for j in report.judges if j.flagged] == [BIASED]
    top = report.judges[0]
    assert top.judge == BIASED and top.cases == 40
    assert top.ci_low is not None and top.ci_low > 0  # its interval excludes 0
    assert top.index > 1.0  # sentences 1.8 times the median: about 2 sd of log sentences
    others = [j for j in report.judges if j.judge != BIASED]
    assert len(others) == len(JUDGES) - 1 and all(j.q_value is not None for j in others)


def test_the_one_extreme_decision_is_flagged(store: Store) -> None:
    court_system(store)
    report = supervise_judges(store)
    assert [f.decision for f in report.flags] == [outlier_id()]
    flag = report.flags[0]
    assert flag.judge == OUTLIER and flag.case_type == "criminal"
    assert flag.deviation_score > 4 and flag.q_value <= 0.05
    assert flag.observed > flag.predicted + 1.5  # ten times the median, in log months


def test_a_corrected_decision_counts_in_its_corrected_form(store: Store) -> None:
    court_system(store)
    row = next(r for r in decisions() if r["ref"].endswith("5039号"))
    fixed = {**row, "ref": row["ref"] + "-c", "supersedes": row["ref"]}
    median = MEDIANS[row["attributes"]["cause"]]
    fixed["attributes"] = {**row["attributes"], "sentence_months": round(median)}
    ingest_now(store, fixed)
    report = supervise_judges(store)
    flagged = {f.decision for f in report.flags}
    assert outlier_id() not in flagged
    assert record_id(COURT_PROVIDER, fixed["ref"]) not in flagged
    assert outlier_id() not in set(report.decisions.id)  # replaced by its correction
    assert len(report.decisions) == len(JUDGES) * 40


def test_the_period_limits_the_decisions(store: Store) -> None:
    court_system(store)
    report = supervise_judges(store, since=dt.date(2025, 7, 1))
    assert 0 < len(report.decisions) < len(JUDGES) * 40
    assert all(d >= dt.date(2025, 7, 1) for d in report.decisions.occurred)


def _table(rows: list[dict]) -> object:  # type: ignore[type-arg]
    import pyarrow as pa

    cols = {
        "id": [r["ref"] for r in rows],
        "provider": [r["provider"] for r in rows],
        "judge": [r["subject"] for r in rows],
        "occurred_at": [dt.date.fromisoformat(r["occurred_at"]) for r in rows],
        "court": [r["attributes"]["court"] for r in rows],
        "case_type": [r["attributes"]["case_type"] for r in rows],
        "cause": [r["attributes"]["cause"] for r in rows],
        "outcome": [r["attributes"]["outcome"] for r in rows],
        "claim": [None] * len(rows),
        "awarded": [None] * len(rows),
        "sentence": [float(r["attributes"]["sentence_months"]) for r in rows],
        "court_level": ["county"] * len(rows),
        "priors": [None] * len(rows),
    }
    return pa.table(cols)


@pytest.mark.parametrize("kind", ["linear", "boosting"])
def test_a_judges_own_decisions_never_predict_themselves(kind: str) -> None:
    rows = decisions()
    before = from_arrow(_table(rows))  # type: ignore[arg-type]
    changed = [
        {**r, "attributes": {**r["attributes"], "sentence_months": 400}}
        if r["subject"] == JUDGES[0]
        else r
        for r in rows
    ]
    after = from_arrow(_table(changed))  # type: ignore[arg-type]
    a = fit_out_of_fold(before, "criminal", kind, 4)  # type: ignore[arg-type]
    b = fit_out_of_fold(after, "criminal", kind, 4)  # type: ignore[arg-type]
    assert a is not None and b is not None
    own = before.judge[a.index] == JUDGES[0]
    assert np.allclose(a.predicted[own], b.predicted[own])  # its own outcomes unseen
    assert not np.allclose(a.predicted[~own], b.predicted[~own])  # the others saw them


def test_both_models_find_the_shifted_judge() -> None:
    d = from_arrow(_table(decisions()))  # type: ignore[arg-type]
    for kind in ("linear", "boosting"):
        settings = SupervisionSettings.model_validate({"judges": {"model": kind}})
        report = analyse(d, settings)
        assert [j.judge for j in report.judges if j.flagged] == [BIASED], kind


def test_a_judge_below_min_cases_gets_an_index_but_no_flag() -> None:
    d = from_arrow(_table(decisions()))  # type: ignore[arg-type]
    settings = SupervisionSettings.model_validate({"judges": {"min_cases": 41}})
    report = analyse(d, settings)
    assert not any(j.flagged for j in report.judges)
    assert all(j.q_value is None for j in report.judges)
    assert report.judges[0].judge == BIASED  # still the most deviating, by its p-value


def test_a_case_type_decided_by_one_judge_is_not_modelled() -> None:
    rows = decisions()
    lone = {**rows[0], "ref": "lone"}
    lone["attributes"] = {**rows[0]["attributes"], "case_type": "administrative",
                          "outcome": "upheld"}  # fmt: skip
    report = analyse(from_arrow(_table([*rows, lone])), SupervisionSettings())  # type: ignore[arg-type]
    assert report.skipped == ("administrative",)
    assert [f.case_type for f in report.fits] == ["criminal"]
