"""A small court system with known answers, for the supervision of judges.

Eight criminal judges in two courts decide 40 theft, fraud or dangerous-driving cases
each in 2025; the sentence is the charge's median times a lognormal factor (sd 0.3).
``BIASED`` sentences 1.8 times longer; one decision of ``OUTLIER`` (``OUTLIER_REF``) is
ten times the median. Every other decision follows the facts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from socialcredit.ledger.record import record_id
from socialcredit.ledger.registry import register_providers
from socialcredit.policy.pack import default_packs
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.supervision.judges import supervise_judges
from socialcredit.supervision.justification import request_flagged

from support.factories import ingest_on, org_id, person_id, resident

COURT_PROVIDER = "court.test"
COURTS = (
    org_id(dept="1", kind="1", code="CT0000001"),
    org_id(dept="1", kind="1", code="CT0000002"),
)
LEVELS = ("municipal", "county")
JUDGES = tuple(person_id(birth=f"199001{k + 10:02d}", seq=100 + k) for k in range(8))
BIASED = JUDGES[2]
OUTLIER = JUDGES[5]
OUTLIER_REF = "(2025)鲁1002刑初5039号"
MEDIANS = {"盗窃罪": 10.0, "诈骗罪": 24.0, "危险驾驶罪": 3.0}
CASES_EACH = 40


def decision(judge: int, n: int, cause: str, months: int, day: dt.date) -> dict[str, Any]:
    ref = f"(2025)鲁1002刑初{judge}{n:03d}号"
    return {
        "provider": COURT_PROVIDER,
        "ref": ref,
        "subject": JUDGES[judge],
        "category": "judicial.case_decision",
        "occurred_at": day.isoformat(),
        "attributes": {
            "case_no": ref,
            "court": COURTS[judge % 2],
            "case_type": "criminal",
            "cause": cause,
            "sentence_months": months,
            "outcome": "convicted",
            "days_to_close": 60,
        },
    }


def decisions(seed: int = 7) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    causes = list(MEDIANS)
    rows = []
    for j in range(len(JUDGES)):
        for n in range(CASES_EACH):
            cause = causes[int(rng.integers(0, len(causes)))]
            months = MEDIANS[cause] * float(np.exp(rng.normal(0.0, 0.3)))
            if JUDGES[j] == BIASED:
                months *= 1.8
            if JUDGES[j] == OUTLIER and n == 39:
                months = MEDIANS[cause] * 10
            day = dt.date(2025, 1, 2) + dt.timedelta(days=(n * 9 + j) % 360)
            rows.append(decision(j, n, cause, max(1, round(months)), day))
    return rows


def outlier_id() -> str:
    return record_id(COURT_PROVIDER, OUTLIER_REF)


def court_system(store: Store, day: str = "2026-01-05") -> None:
    """Register the court, record both courts and ingest every decision on ``day``."""
    provider = {
        "id": COURT_PROVIDER,
        "kind": "court",
        "name": "威海市法院",
        "jurisdiction": "371000",
    }
    register_providers(store, [provider], default_packs())
    courts = [
        {
            "provider": COURT_PROVIDER,
            "ref": f"inst-{code}",
            "subject": code,
            "category": "registry.institution",
            "occurred_at": "2020-01-01",
            "attributes": {"name": f"法院{i}", "type": "court", "level": LEVELS[i]},
        }
        for i, code in enumerate(COURTS)
    ]
    ingest_on(store, day, *courts, *decisions())


def ingest_now(store: Store, *rows: dict[str, Any]) -> None:
    result = ingestor(store).ingest_dicts(rows)
    assert result.rejected == 0, result.errors


RECIDIVIST_JUDGE = JUDGES[1]


def defendant(judge: int, n: int) -> str:
    return person_id(birth=f"1991{judge + 1:02d}{n % 28 + 1:02d}", seq=n // 28 * 10 + 500)


def breach(subject: str, k: int) -> dict[str, Any]:
    """An earlier conduct record about a defendant (2024)."""
    ref = f"(2024)鲁1082民初{subject}-{k}号"
    return {
        "provider": COURT_PROVIDER,
        "ref": ref,
        "subject": subject,
        "category": "judicial.civil_breach",
        "occurred_at": f"2024-0{k + 1}-15",
        "attributes": {"case_no": ref, "contract": "loan", "amount": 20000},
    }


def recidivist_system(store: Store, day: str = "2026-01-05") -> None:
    """Six judges, 40 cases each, every decision naming its defendant. The defendants of
    ``RECIDIVIST_JUDGE`` have two or three earlier conduct records each, the others'
    none to three; a sentence is ``(1 + earlier records) ** 0.4`` times longer, whoever
    the judge."""
    provider = {
        "id": COURT_PROVIDER,
        "kind": "court",
        "name": "威海市法院",
        "jurisdiction": "371000",
    }
    register_providers(store, [provider], default_packs())
    rng = np.random.default_rng(11)
    causes = list(MEDIANS)
    rows: list[dict[str, Any]] = []
    for j in range(6):
        for n in range(CASES_EACH):
            who = defendant(j, n)
            priors = 2 + n % 2 if JUDGES[j] == RECIDIVIST_JUDGE else n % 4
            rows.extend(breach(who, k) for k in range(priors))
            cause = causes[int(rng.integers(0, len(causes)))]
            months = MEDIANS[cause] * float(np.exp(rng.normal(0.0, 0.3))) * (1 + priors) ** 0.4
            day_of = dt.date(2025, 1, 2) + dt.timedelta(days=(n * 9 + j) % 360)
            row = decision(j, n, cause, max(1, round(months)), day_of)
            row["attributes"]["defendant"] = who
            rows.append(row)
    ingest_on(store, day, *rows)


def flagged_case(store: Store) -> str:
    """The court system with the outlier judge placed, and the justification of the one
    flagged decision requested: its case id."""
    court_system(store)
    resident(store, OUTLIER)
    opened = request_flagged(ingestor(store), supervise_judges(store), "supervisor-1")
    assert [v.case.target for v in opened] == [outlier_id()]
    return opened[0].case.id
