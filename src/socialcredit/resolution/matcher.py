"""The Fellegi-Sunter model of entity resolution, with splink on DuckDB.

Comparisons: the name in characters and in pinyin (Jaro-Winkler), the date of birth
(exact, one typo, the same year), the area (exact) and the address (Jaro-Winkler).
Candidate pairs come from blocking rules (same date of birth; same pinyin and year of
birth; same name and area), so a record is compared with a few registry persons, never
with all. The u probabilities are estimated by random sampling of registry × hinted
pairs, the m probabilities by expectation maximisation (EM) on the blocked pairs, the
prior from the registry's size (each hinted record is about one registry person). The
trained model is splink's JSON, stored as a version (:mod:`socialcredit.resolution.models`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from socialcredit.resolution.features import Party

COLUMNS = ("uid", "name", "name_pinyin", "birth_date", "birth_year", "area", "address")
SEED = 13


@dataclass(frozen=True, slots=True)
class Candidate:
    hinted: str  # the hinted record's id
    person: str  # the registry person's identifier
    probability: float


def _table(parties: Sequence[Party]) -> pa.Table:
    return pa.table({c: [getattr(p, c) for p in parties] for c in COLUMNS})


def _settings(persons: int) -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="uid",
        probability_two_random_records_match=1.0 / max(persons, 2),
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.95, 0.8]),
            cl.JaroWinklerAtThresholds("name_pinyin", [0.95, 0.88]),
            cl.CustomComparison(
                output_column_name="birth_date",
                comparison_levels=[
                    cll.NullLevel("birth_date"),
                    cll.ExactMatchLevel("birth_date"),
                    cll.DamerauLevenshteinLevel("birth_date", 1),
                    cll.ExactMatchLevel("birth_year"),
                    cll.ElseLevel(),
                ],
            ),
            cl.ExactMatch("area"),
            cl.JaroWinklerAtThresholds("address", [0.9, 0.75]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("birth_date"),
            block_on("name_pinyin", "birth_year"),
            block_on("name", "area"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _linker(persons: Sequence[Party], hinted: Sequence[Party], model: Any) -> Linker:
    db = DuckDBAPI()
    left = db.register(_table(persons), dataset_display_name="registry")
    right = db.register(_table(hinted), dataset_display_name="hinted")
    return Linker([left, right], model, log_level=None)


def train(persons: Sequence[Party], hinted: Sequence[Party]) -> dict[str, Any]:
    """The model estimated on the registry's persons against the hinted records."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    linker = _linker(persons, hinted, _settings(len(persons)))
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=SEED)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_date"), record_sample_proportion=1.0
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("name_pinyin"), record_sample_proportion=1.0
    )
    model: dict[str, Any] = linker.misc.save_model_to_json()
    return model


def score(
    model: dict[str, Any], persons: Sequence[Party], hinted: Sequence[Party], lower: float
) -> list[Candidate]:
    """Every (hinted record, person) pair the blocking rules bring with a match
    probability of at least ``lower``."""
    if not persons or not hinted:
        return []
    logging.getLogger("splink").setLevel(logging.ERROR)
    linker = _linker(persons, hinted, model)
    found = linker.inference.predict(threshold_match_probability=lower)
    rows = found.as_record_list()
    out = []
    for row in rows:
        left, right = row["uid_l"], row["uid_r"]
        if row["source_dataset_l"] == "hinted":
            left, right = right, left
        out.append(Candidate(right, left, float(row["match_probability"])))
    return out


__all__ = ["Candidate", "score", "train"]
