"""The fairness report on a hand-made store: 200 persons assessed under the national
scheme, half born in Xinjiang (650102) and half in Rongcheng (371082); 20 of the first
half and 2 of the second are on a black list. The Xinjiang-born group is flagged on
listing (rate 0.20 against 0.11), no sex or age band is, and nothing is flagged on the
grades, which are spread evenly."""

from __future__ import annotations

import datetime as dt

from socialcredit.monitoring.fairness import fairness_report
from socialcredit.policy.pack import default_packs
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.database import Store

from support.fairness import fill

DAY = dt.date(2026, 3, 1)


def test_the_group_listed_twice_as_often_is_flagged_and_nothing_else(store: Store) -> None:
    fill(store)
    with store.reader() as conn:
        report = fairness_report(conn, PolicySet(default_packs()), DAY)
    flags = [(o.scheme, o.outcome, g.dimension, g.group) for o, g in report.flags]
    assert flags == [("national", "listing", "home_region", "650000")]
    listing = next(o for o in report.outcomes if (o.scheme, o.outcome) == ("national", "listing"))
    assert (listing.population.events, listing.population.cases) == (22, 200)
    xinjiang = next(g for g in listing.groups if g.group == "650000")
    assert (xinjiang.rate.events, xinjiang.rate.cases) == (20, 100)
    assert round(xinjiang.ratio or 0, 2) == 0.55
    assert xinjiang.rate.low > 0.11
    sexes = {g.group: g.rate.events for g in listing.groups if g.dimension == "sex"}
    assert sexes == {"male": 11, "female": 11}
    low = next(o for o in report.outcomes if (o.scheme, o.outcome) == ("national", "low_grade"))
    assert (low.population.events, low.population.cases) == (20, 200)
    # no objection was decided: the outcome has nobody at risk and is left out
    assert "objection_upheld" not in {o.outcome for o in report.outcomes}
    data = report.to_json()
    assert data["flags"] == [{"scheme": "national", "outcome": "listing",
                              "dimension": "home_region", "group": "650000",
                              "ratio": 0.55}]  # fmt: skip
    assert "no list, measure or decision follows" in data["note"]


def test_a_later_day_outside_the_entries_flags_nothing(store: Store) -> None:
    fill(store)
    with store.reader() as conn:
        report = fairness_report(conn, PolicySet(default_packs()), dt.date(2027, 6, 1))
    assert report.flags == []
