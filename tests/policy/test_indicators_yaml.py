"""indicators.yaml: the supervision indicators as pack data, validated on load (every
problem names the file, the entry and the field) and checked against the active packs."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcredit.errors import PolicyError
from socialcredit.policy.indicators import (
    BlacklistedSupplier,
    PublicityLag,
    UnderThreshold,
    check_indicators,
)
from socialcredit.policy.pack import load_pack, load_pack_files, read_pack_files
from socialcredit.policy.policy_set import PolicySet

NATIONAL = load_pack("national")


def _with(text: str | None) -> dict[str, str]:
    files = read_pack_files(NATIONAL.path)
    if text is None:
        files.pop("indicators.yaml")
    else:
        files["indicators.yaml"] = text
    return files


def _problems(text: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_pack_files(_with(text), Path("national"))
    return caught.value.problems


def test_the_national_pack_defines_every_indicator_with_its_formula() -> None:
    settings = NATIONAL.indicators
    assert settings is not None
    names = {name: ind.formula.name for name, ind in settings.indicators.items()}
    assert names == {
        "overturned_per_100": "overturned_rate",
        "objections_upheld_per_100": "objections_upheld",
        "objection_deadlines_missed": "remedy_deadlines_missed",
        "publicity_late_per_100": "publicity_lag",
        "single_source_repeated": "repeated_single_source",
        "blacklisted_supplier": "blacklisted_supplier",
        "under_threshold": "under_threshold",
        "contract_defaults": "record_count",
        "directives_late": "record_count",
    }
    lag = settings.indicators["publicity_late_per_100"].formula
    assert isinstance(lag, PublicityLag) and lag.working_days == 7
    under = settings.indicators["under_threshold"].formula
    assert isinstance(under, UnderThreshold) and under.threshold == 2_000_000
    assert settings.indicators["overturned_per_100"].units == ("institution", "official")
    assert [n for n, i in settings.indicators.items() if i.red_flag] == [
        "single_source_repeated",
        "blacklisted_supplier",
        "under_threshold",
    ]


def test_a_pack_without_the_file_has_no_indicators() -> None:
    pack = load_pack_files(_with(None), Path("national"))
    assert pack.indicators is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "supervision:\n  indicators:\n    x:\n      title: X\n      formula: {name: guess}\n",
            "indicators.yaml: supervision.indicators.x.formula: Input tag 'guess'",
        ),
        (
            "supervision:\n  indicators:\n    x:\n      title: X\n"
            "      formula: {name: under_threshold, threshold: 0}\n",
            "indicators.yaml: supervision.indicators.x.formula.under_threshold.threshold",
        ),
        (
            "supervision:\n  indicators:\n    x:\n      title: X\n      units: [official]\n"
            "      formula: {name: blacklisted_supplier}\n",
            "blacklisted_supplier measures institutions, not officials",
        ),
        (
            "supervision:\n  responsiveness:\n    weights: {implementation: 0, data_on_time: 0,"
            " objections_on_time: 0}\n",
            "at least one weight must be above zero",
        ),
        ("indicators: {}\n", "indicators.yaml: must hold one mapping, supervision"),
        (
            "supervision:\n  indicators:\n    x:\n      title: X\n      colour: red\n"
            "      formula: {name: objections_upheld}\n",
            "indicators.yaml: supervision.indicators.x.colour: Extra inputs are not permitted",
        ),
    ],
)
def test_every_problem_names_the_file_the_entry_and_the_field(text: str, expected: str) -> None:
    problems = _problems(text)
    assert any(expected in p for p in problems), problems


def test_names_are_checked_against_the_active_catalogue_and_lists() -> None:
    text = (
        "supervision:\n  indicators:\n    x:\n      title: X\n"
        "      formula: {name: record_count, category: government.bribe}\n"
        "    y:\n      title: Y\n"
        "      formula: {name: blacklisted_supplier, lists: [tax_a_grade]}\n"
        "  responsiveness: {directive: government.edict}\n"
    )
    pack = load_pack_files(_with(text), Path("national"))
    assert pack.indicators is not None
    policy = PolicySet([pack])
    black = {n for n, i in policy.lists.items() if i.definition.kind == "black"}
    problems = check_indicators(pack.indicators, set(policy.catalogue.names()), black)
    assert problems == [
        "indicators.yaml: supervision.indicators.x.formula.category: "
        "unknown category 'government.bribe'",
        "indicators.yaml: supervision.indicators.y.formula.lists: "
        "'tax_a_grade' is not a black list of the active packs",
        "indicators.yaml: supervision.responsiveness.directive: "
        "unknown category 'government.edict'",
    ]
    assert BlacklistedSupplier(name="blacklisted_supplier").lists == ()
