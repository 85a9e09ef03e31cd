"""The Fellegi-Sunter model of entity resolution, with splink on DuckDB.

Comparisons, one per fact so that no agreement counts twice: the name (the same
characters > the same after traditional forms are simplified > the same pinyin > one
character off (Damerau-Levenshtein) > a pinyin close by Jaro-Winkler), the date of birth
(exact, one typo, the same year) and the residence (the same address > the same area).
Candidate pairs come from blocking rules (same date of birth; same pinyin and year of
birth; same name and area), so a record is compared with a few registry persons, never
with all. The u probabilities are estimated by random sampling of registry × hinted
pairs, the m probabilities by expectation maximisation (EM) on the blocked pairs, the
prior from the registry's size (each hinted record is about one registry person). The
trained model is splink's JSON, stored as a version (:mod:`socialcredit.resolution.models`).

The engine is DuckDB by default; for national scale, Spark (splink's ``SparkAPI`` on the
local session of :mod:`socialcredit.resolution.spark`). A model is written in the SQL of
the engine it was trained on, so it is rewritten for the engine it runs on
(:func:`for_dialect`): splink would run DuckDB's quoted names on Spark as string
literals, silently, and find nothing equal.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.database_api import DatabaseAPISubClass

from socialcredit.errors import InvalidOption
from socialcredit.resolution.features import Party

COLUMNS = ("uid", "name_raw", "name", "name_pinyin", "birth_date", "birth_year", "area", "address")
SEED = 13
Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")


@dataclass(frozen=True, slots=True)
class Candidate:
    hinted: str  # the hinted record's id
    person: str  # the registry person's identifier
    probability: float
    same_characters: bool = True  # the names agree in (simplified) characters


def _table(parties: Sequence[Party]) -> pa.Table:
    return pa.table({c: [getattr(p, c) for p in parties] for c in COLUMNS})


# One comparison per fact, so that agreement is counted once: the name's levels run
# from the strongest evidence to the weakest (the same characters; the same once
# traditional forms are simplified; the same pinyin -- 李那 and 李娜, or "Li Na"; one
# character mistyped or two swapped; a pinyin close by Jaro-Winkler), and the address
# and the area are one comparison of where the person lives.
NAME = cl.CustomComparison(
    output_column_name="name",
    comparison_levels=[
        cll.NullLevel("name_pinyin"),
        cll.CustomLevel("name_raw_l = name_raw_r", label_for_charts="same characters"),
        cll.CustomLevel("name_l = name_r", label_for_charts="same once simplified"),
        cll.CustomLevel("name_pinyin_l = name_pinyin_r", label_for_charts="same pinyin"),
        cll.DamerauLevenshteinLevel("name", 1),  # a character mistyped, two swapped
        cll.JaroWinklerLevel("name_pinyin", 0.9),
        cll.ElseLevel(),
    ],
)
BIRTH_DATE = cl.CustomComparison(
    output_column_name="birth_date",
    comparison_levels=[
        cll.NullLevel("birth_date"),
        cll.ExactMatchLevel("birth_date"),
        cll.DamerauLevenshteinLevel("birth_date", 1),
        cll.ExactMatchLevel("birth_year"),
        cll.ElseLevel(),
    ],
)
RESIDENCE = cl.CustomComparison(
    output_column_name="residence",
    comparison_levels=[
        cll.NullLevel("area"),
        cll.ExactMatchLevel("address"),
        cll.CustomLevel(
            "(address_l IS NULL OR address_r IS NULL) AND area_l = area_r",
            label_for_charts="same area, no address",
        ),
        cll.ExactMatchLevel("area").configure(label_for_charts="same area"),  # moved within
        cll.ElseLevel(),
    ],
)
M_FLOOR = 0.01  # no level is taken as (almost) impossible for the same person
U_FLOOR = 1e-9  # nor for two different persons
# a level reached when a stronger one could not be tried (a name in letters) counts as
# "at least this close" (its u the sum of its own and the stronger levels')
CUMULATIVE = frozenset({"same pinyin"})
# a level where a finer fact is unknown (no address) weighs what the coarser fact alone
# would: its m and u the sums of the levels it stands for
MARGINAL = {"same area, no address": ("Exact match on address", "same area")}


COMPARISONS = (NAME, BIRTH_DATE, RESIDENCE)
BLOCKING = (("birth_date",), ("name_pinyin", "birth_year"), ("name", "area"))


def _settings(persons: int) -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="uid",
        probability_two_random_records_match=1.0 / max(persons, 2),
        comparisons=list(COMPARISONS),
        blocking_rules_to_generate_predictions=[block_on(*cols) for cols in BLOCKING],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def for_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """``model`` with its comparison levels and blocking rules written in ``dialect``
    (``duckdb`` or ``spark``) and its estimated m and u probabilities kept, level by
    level. The model is ours (:data:`COMPARISONS`, :data:`BLOCKING`): each level is
    regenerated from its definition, never translated text."""
    if model.get("sql_dialect") == dialect:
        return model
    out = dict(model)
    comparisons = []
    for stored, definition in zip(model["comparisons"], COMPARISONS, strict=True):
        fresh = definition.get_comparison(dialect).as_dict()  # type: ignore[no-untyped-call]
        levels = stored["comparison_levels"]
        if len(levels) != len(fresh["comparison_levels"]):
            raise InvalidOption(
                f"the match model's comparison {stored['output_column_name']} is not this "
                "version's: train a new model version (`socialcredit resolve --train`)",
                field="model",
            )
        for old, new in zip(levels, fresh["comparison_levels"], strict=True):
            new.update({k: v for k, v in old.items() if k != "sql_condition"})
        comparisons.append(stored | {"comparison_levels": fresh["comparison_levels"]})
    out["comparisons"] = comparisons
    out["blocking_rules_to_generate_predictions"] = [
        block_on(*cols).get_blocking_rule(dialect).as_dict()  # type: ignore[no-untyped-call]
        for cols in BLOCKING
    ]
    out["sql_dialect"] = dialect
    return out


def _db(engine: Engine) -> DatabaseAPISubClass:
    if engine == "spark":
        from socialcredit.resolution.spark import spark_api

        return spark_api()
    return DuckDBAPI()


def _linker(
    persons: Sequence[Party], hinted: Sequence[Party], model: Any, engine: Engine
) -> Linker:
    db = _db(engine)
    if isinstance(model, dict):
        model = for_dialect(model, db.sql_dialect.sql_dialect_str)
    left = db.register(_table(persons), dataset_display_name="registry")
    right = db.register(_table(hinted), dataset_display_name="hinted")
    return Linker([left, right], model, log_level=None)


def train(
    persons: Sequence[Party], hinted: Sequence[Party], engine: Engine = "duckdb"
) -> dict[str, Any]:
    """The model estimated on the registry's persons against the hinted records."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    linker = _linker(persons, hinted, _settings(len(persons)), engine)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=SEED)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_date"), record_sample_proportion=1.0
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("name_pinyin"), record_sample_proportion=1.0
    )
    model: dict[str, Any] = linker.misc.save_model_to_json()
    return calibrated(model)


def calibrated(model: dict[str, Any]) -> dict[str, Any]:
    """The model with each comparison's evidence made conservative and ordered.

    The "same pinyin" level, which a name written in letters reaches without the
    character levels having had a chance, takes as u (the chance that two different
    persons agree so well) the chance that they agree *at least* so well, the sum of its
    u and the stronger levels': "Li Na" agrees with every 李娜 as well as with 李那. A
    level EM found no example of (traditional forms, say) takes the stronger level's m
    and u; no level's m is below ``M_FLOOR`` (what EM saw no true pair do -- a moved
    person, a one-digit slip -- still happens); no level weighs more than a stronger
    one (m is lowered to the stronger level's Bayes factor). Last, a level where a finer
    fact is unknown ("same area, no address") weighs what the coarser fact alone does:
    the sums of the m and of the u of the levels it stands for (``MARGINAL``).
    """
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        prev: tuple[float, float] | None = None  # the stronger level's m and u
        u_seen = 0.0
        for i, level in enumerate(levels):
            m, u = level.get("m_probability"), level.get("u_probability")
            if level.get("label_for_charts") in MARGINAL:
                continue
            u_seen += u or 0.0
            if level.get("label_for_charts") in CUMULATIVE:
                u = u_seen
            if i == len(levels) - 1:  # the else level: no agreement at all
                if m is not None:
                    level["m_probability"] = max(m, M_FLOOR)
                break
            if (m is None or u is None) and prev is not None:
                m, u = m if m is not None else prev[0], u if u is not None else prev[1]
            if m is None or not u:
                continue
            m = max(m, M_FLOOR)
            if prev is not None and m / u > prev[0] / prev[1]:
                m = prev[0] / prev[1] * u
            level["m_probability"], level["u_probability"] = m, u
            prev = (m, u)
        by_label = {lv.get("label_for_charts"): lv for lv in levels}
        for label, parts in MARGINAL.items():
            if label in by_label and all(p in by_label for p in parts):
                found = [by_label[p] for p in parts]
                by_label[label]["m_probability"] = sum(p.get("m_probability") or 0 for p in found)
                by_label[label]["u_probability"] = sum(p.get("u_probability") or 0 for p in found)
        for level in levels:  # what a small registry never showed is rare, not impossible
            for key, floor in (("m_probability", M_FLOOR), ("u_probability", U_FLOOR)):
                if level.get(key) is not None and level[key] < floor:
                    level[key] = floor
    return model


def score(
    model: dict[str, Any],
    persons: Sequence[Party],
    hinted: Sequence[Party],
    lower: float,
    engine: Engine = "duckdb",
) -> list[Candidate]:
    """Every (hinted record, person) pair the blocking rules bring with a match
    probability of at least ``lower``, computed on ``engine``."""
    if not persons or not hinted:
        return []
    logging.getLogger("splink").setLevel(logging.ERROR)
    linker = _linker(persons, hinted, model, engine)
    names = {p.uid: p.name for p in persons}
    names.update((h.uid, h.name) for h in hinted)
    found = linker.inference.predict(threshold_match_probability=lower)
    rows = found.as_record_list()
    out = []
    for row in rows:
        left, right = row["uid_l"], row["uid_r"]
        if row["source_dataset_l"] == "hinted":
            left, right = right, left
        same = names.get(left) is not None and names.get(left) == names.get(right)
        out.append(Candidate(right, left, float(row["match_probability"]), same))
    return out


__all__ = ["ENGINES", "Candidate", "Engine", "calibrated", "for_dialect", "score", "train"]
