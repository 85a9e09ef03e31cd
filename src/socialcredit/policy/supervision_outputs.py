"""What the supervision analytics put out, registered in one place.

A supervision output is a flag, a deviation, an indicator or a hold that an analytic
of :mod:`socialcredit.supervision` derives about a court, a judge, an official, a
local government or a data provider. Outputs are information and review tasks, never
punishments: the safeguards lint (:mod:`socialcredit.policy.lint_supervision`)
refuses a list whose entry reads one -- by its category, or by an attribute that
carries one -- and every measure such a list would trigger.

Each analytic registers its outputs in :data:`OUTPUTS`: the ledger categories that
record them (names or patterns) and the attribute names that carry them. Everything
under the ``supervision.`` category namespace is an output of some analytic, and the
generic attribute names of :data:`OUTPUT_WORDS` are outputs wherever they appear.
One output may be scored into a domain, and only where the pack's supervision
settings say so (``scored_when``); none may ever be listed.

Saved runs of the analytics (``socialcredit supervise <kind> --save``,
:mod:`socialcredit.supervision.saved`) hold the same outputs outside the ledger, in the
``supervision_reports`` table, which no rule, list, measure or score can name: packs read
ledger categories only, and import-linter's ``saved`` contract keeps everything that
decides from importing the module that reads the table.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass


@dataclass(frozen=True)
class SupervisionOutput:
    name: str
    analytic: str
    title: str
    categories: tuple[str, ...] = ()  # category names or patterns that record it
    attributes: tuple[str, ...] = ()  # attribute names that carry it, in any category
    # the setting of the supervision section that lets a scoring rule read it (a path
    # such as "judges.feed_domain"); None: no rule may score it
    scored_when: str | None = None


# the generic words: an attribute so named carries a supervision output in any category
OUTPUT_WORDS = ("flag", "flagged", "deviation", "indicator", "hold", "held")

OUTPUTS: tuple[SupervisionOutput, ...] = (
    SupervisionOutput(
        "supervision",
        "every analytic",
        "anything recorded under the supervision. category namespace",
        categories=("supervision.*",),
        attributes=OUTPUT_WORDS,
    ),
    SupervisionOutput(
        "judges.decision_flag",
        "judges",
        "a decided case flagged as deviating from what its facts predict, and the "
        "justification request it opens",
        categories=("remedy.justification_requested",),
        attributes=(
            "deviation_score",
            "p_value",
            "q_value",
            "predicted_outcome",
            "observed_outcome",
        ),
    ),
    SupervisionOutput(
        "judges.justification",
        "judges",
        "a court's justification of a flagged decision and the reviewer's finding",
        categories=("remedy.justification_answered", "remedy.justification_decided"),
        attributes=("justified", "unjustified"),
    ),
    SupervisionOutput(
        "judges.deviation_index",
        "judges",
        "a judge's deviation index, its interval and its flag",
        attributes=("deviation_index",),
    ),
    SupervisionOutput(
        "judges.unjustified_share",
        "judges",
        "the share of a judge's flagged decisions found unjustified over a period",
        categories=("judicial.unjustified_deviation_share",),
        attributes=("unjustified_share",),
        scored_when="judges.feed_domain",
    ),
    SupervisionOutput(
        "officials.indicator",
        "officials",
        "an indicator of an official or an institution (indicators.yaml), its percentile "
        "among comparable units and the procurement red flags it raises",
        attributes=("percentile", "red_flag"),
    ),
    SupervisionOutput(
        "jurisdictions.responsiveness",
        "jurisdictions",
        "a local government's responsiveness score for a directive and its rank",
        attributes=("responsiveness_score", "responsiveness_rank"),
    ),
    SupervisionOutput(
        "providers.reliability",
        "providers",
        "a data provider's feed: its reliability score and components, and a hold on it",
        attributes=("reliability", "reliability_score"),
    ),
    SupervisionOutput(
        "risk.score",
        "risk scorecard",
        "a subject's predicted risk of a serious default: its points, probability, band, "
        "reason codes and the model version",
        categories=("risk.*",),
        attributes=(
            "risk_score",
            "risk_points",
            "risk_band",
            "risk_probability",
            "default_probability",
            "risk_reasons",
            "risk_model",
        ),
    ),
    SupervisionOutput(
        "resolution.link",
        "resolution",
        "a record linked to a person by entity resolution: its match probability and "
        "the model version (the engines also refuse a list entry on an unconfirmed link), "
        "and a link undone on the subject's objection",
        categories=("remedy.record_linked", "remedy.record_unlinked"),
        attributes=("match_probability", "model_version"),
    ),
    SupervisionOutput(
        "fairness.disparity",
        "fairness",
        "an outcome rate of a group by sex, age band or home region, its interval, its "
        "disparity ratio against the population and its flag (socialcredit fairness)",
        categories=("fairness.*",),
        attributes=("disparity", "disparity_ratio", "outcome_rate", "group_rate"),
    ),
)


def output_of_category(name: str) -> SupervisionOutput | None:
    """The output a category records, if it records one (the most specific first)."""
    for output in reversed(OUTPUTS):
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in output.categories):
            return output
    return None


def output_of_attribute(name: str) -> SupervisionOutput | None:
    """The output an attribute carries, if it carries one (the most specific first)."""
    for output in reversed(OUTPUTS):
        if name in output.attributes:
            return output
    return None


__all__ = [
    "OUTPUTS",
    "OUTPUT_WORDS",
    "SupervisionOutput",
    "output_of_attribute",
    "output_of_category",
]
