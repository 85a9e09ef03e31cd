"""The synthetic city simulator: determinism, validity of every record, and the ground truth."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError

from socialcredit.identifiers import InvalidIdentifier, parse
from socialcredit.policy.catalogue import Catalogue
from socialcredit.policy.pack import (
    default_packs,
    expand_patterns,
    merge_catalogue,
    merge_provider_kinds,
)
from socialcredit.simulate import SimulationSummary, simulate
from socialcredit.simulate.render import jsonfmt

END = dt.date(2025, 6, 30)
SIZE: dict[str, Any] = {"persons": 4000, "enterprises": 400, "years": 5, "end": END}
RECORD_FILES = ("providers.jsonl", "records.jsonl", "records.parquet")
KEYS = (
    "provider",
    "ref",
    "subject",
    "category",
    "occurred_at",
    "reported_at",
    "attributes",
    "legal_basis",
    "supersedes",
    "withdrawn",
)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SimulationSummary]:
    out = tmp_path_factory.mktemp("sim") / "a"
    return out, simulate(out, seed=7, **SIZE)


@pytest.fixture(scope="module")
def out(run: tuple[Path, SimulationSummary]) -> Path:
    return run[0]


@pytest.fixture(scope="module")
def lines(out: Path) -> list[str]:
    return (out / "records.jsonl").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def records(lines: list[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def truth(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return merge_catalogue(default_packs())


@pytest.fixture(scope="module")
def allowed(out: Path, catalogue: Catalogue) -> dict[str, set[str]]:
    """Categories each provider may report, by provider id."""
    packs = default_packs()
    kinds = merge_provider_kinds(packs)
    by_kind = {k: set(expand_patterns(v.categories, catalogue)) for k, v in kinds.items()}
    providers = {p.id: p.kind for pack in packs for p in pack.providers}
    for line in (out / "providers.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert row["kind"] in kinds, row
        assert row["id"] not in providers, f"{row['id']} registered twice"
        providers[row["id"]] = row["kind"]
    return {pid: by_kind[kind] for pid, kind in providers.items()}


def rejection(
    record: dict[str, Any], catalogue: Catalogue, allowed: dict[str, set[str]]
) -> str | None:
    """The error code ingestion must give the record, or None if it is valid."""
    if record["provider"] not in allowed:
        return "unknown_provider"
    if record["category"] not in catalogue:
        return "unknown_category"
    if record["category"] not in allowed[record["provider"]]:
        return "unauthorised_category"
    try:
        ident = parse(record["subject"])
    except InvalidIdentifier:
        return "invalid_identifier"
    category = catalogue[record["category"]]
    if ident.kind not in category.subjects:
        return "subject_kind"
    if record.get("withdrawn"):
        return None if record["attributes"] == {} else "withdrawal_with_attributes"
    try:
        category.attributes_model.model_validate(record["attributes"])
    except ValidationError:
        return "schema_violation"
    return None


def test_output_files_and_truth_separation(
    out: Path, run: tuple[Path, SimulationSummary], records: list[dict[str, Any]]
) -> None:
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(run[1].files)
    assert set(RECORD_FILES) <= set(names)
    extra = set(names) - set(RECORD_FILES)
    assert extra and all(n.startswith("truth") for n in extra)
    for r in records:
        assert set(r) <= set(KEYS)
        assert [k for k in KEYS if k in r] == list(r)  # key order as specified
        assert isinstance(r["attributes"], dict)
        assert "supersedes" in r or "withdrawn" not in r
        assert r.get("withdrawn", True) is True
    table = pq.read_table(out / "records.parquet")
    assert table.column_names == list(KEYS)


def test_lines_are_canonical_json(lines: list[str], records: list[dict[str, Any]]) -> None:
    for line, record in zip(lines, records, strict=True):
        assert line == json.dumps(record, ensure_ascii=False)


def test_jsonl_and_parquet_hold_the_same_records(out: Path, records: list[dict[str, Any]]) -> None:
    rows = pq.read_table(out / "records.parquet").to_pylist()
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        expected = {k: v for k, v in row.items() if v is not None}
        expected["occurred_at"] = row["occurred_at"].isoformat()
        expected["reported_at"] = row["reported_at"].isoformat()
        expected["attributes"] = json.loads(row["attributes"])
        assert expected == record


def test_same_seed_same_bytes_other_seed_other_bytes(out: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    simulate(again, seed=7, **SIZE)
    simulate(other, seed=8, **SIZE)
    for name in sorted(p.name for p in out.iterdir()):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    for name in ("records.jsonl", "records.parquet"):
        assert (other / name).read_bytes() != (out / name).read_bytes(), name


def test_every_generated_identifier_is_valid_and_of_its_kind(out: Path) -> None:
    subjects = pq.read_table(out / "truth-subjects.parquet", columns=["id", "kind"]).to_pylist()
    assert len({s["id"] for s in subjects}) == len(subjects)
    for s in subjects:
        assert parse(s["id"]).kind == s["kind"], s


def test_registry_subjects_have_the_right_kind(
    records: list[dict[str, Any]], truth: dict[str, Any], out: Path
) -> None:
    expected = {
        "registry.person": "person",
        "registry.enterprise": "enterprise",
        "registry.institution": "institution",
    }
    seen: Counter[str] = Counter()
    for r in records:
        kind = expected.get(r["category"])
        if kind and "withdrawn" not in r:
            assert parse(r["subject"]).kind == kind
            seen[r["category"]] += 1
    counts = truth["subjects"]["counts"]
    assert seen["registry.person"] >= counts["person"]
    # a firm established in the last days of the period may be registered after its end
    # (nothing reported after the end is emitted); every other firm is registered
    assert seen["registry.enterprise"] >= 0.99 * counts["enterprise"]
    registered = {r["subject"] for r in records if r["category"] == "registry.enterprise"}
    faults = pq.read_table(out / "truth-faults.parquet").to_pylist()
    invalid = {f["subject"] for f in faults if f["expected_code"] == "invalid_identifier"}
    firms = {r["subject"] for r in records if r["subject"][0] == "9"} - invalid
    assert firms <= registered  # no firm has conduct records before it exists


def test_every_catalogue_category_appears(
    records: list[dict[str, Any]], catalogue: Catalogue
) -> None:
    present = {r["category"] for r in records}
    # remedies (objections, appeals, repair) are recorded by the platform itself
    reported = {n for n in catalogue.names() if catalogue[n].kind != "remedy"}
    assert reported <= present
    assert not {n for n in present if n in catalogue and catalogue[n].kind == "remedy"}


def test_valid_records_validate_and_invalid_ones_are_exactly_the_injected(
    records: list[dict[str, Any]], catalogue: Catalogue, allowed: dict[str, set[str]], out: Path
) -> None:
    failures = set()
    for r in records:
        code = rejection(r, catalogue, allowed)
        if code is not None:
            failures.add((r["provider"], r["ref"], code))
    faults = pq.read_table(out / "truth-faults.parquet").to_pylist()
    injected = {
        (f["provider"], f["ref"], f["expected_code"]) for f in faults if f["fault"] == "invalid"
    }
    assert injected
    assert {code for _, _, code in injected} == {
        "invalid_identifier",
        "unknown_category",
        "unauthorised_category",
        "schema_violation",
    }
    assert failures == injected


def test_truth_json_lists_the_faults(truth: dict[str, Any], out: Path) -> None:
    faults = pq.read_table(out / "truth-faults.parquet").to_pylist()
    inline = truth["faults"]["records"]
    assert inline == [{k: v for k, v in f.items() if v is not None} for f in faults]
    counts = Counter(f["fault"] for f in faults)
    for kind in (
        "duplicate",
        "erroneous",
        "correction",
        "spurious",
        "withdrawal",
        "invalid",
        "late_report",
    ):
        assert counts[kind] > 0, kind
        assert truth["faults"]["counts"][kind] == counts[kind]
    assert counts["erroneous"] == counts["correction"]
    assert counts["spurious"] == counts["withdrawal"]


def test_refs_unique_per_provider_except_listed_duplicates(
    lines: list[str], records: list[dict[str, Any]], out: Path
) -> None:
    faults = pq.read_table(out / "truth-faults.parquet").to_pylist()
    duplicates = Counter((f["provider"], f["ref"]) for f in faults if f["fault"] == "duplicate")
    first_line: dict[tuple[str, str], str] = {}
    seen: Counter[tuple[str, str]] = Counter()
    for line, r in zip(lines, records, strict=True):
        key = (r["provider"], r["ref"])
        seen[key] += 1
        if key in first_line:
            assert line == first_line[key], "a repeated ref must be an exact duplicate"
        else:
            first_line[key] = line
    repeated = Counter({k: n - 1 for k, n in seen.items() if n > 1})
    assert repeated == duplicates


def test_supersedes_points_to_an_earlier_record_of_the_same_provider(
    records: list[dict[str, Any]],
) -> None:
    seen: set[tuple[str, str]] = set()
    superseding = 0
    for r in records:
        if "supersedes" in r:
            assert (r["provider"], r["supersedes"]) in seen, r
            assert r["ref"] != r["supersedes"]
            superseding += 1
        seen.add((r["provider"], r["ref"]))
    assert superseding > 0


def test_dates_ordered_and_within_the_period(records: list[dict[str, Any]]) -> None:
    previous = ""
    for r in records:
        assert r["occurred_at"] <= r["reported_at"] <= END.isoformat()
        assert r["reported_at"] >= previous
        previous = r["reported_at"]


def test_judgments_fulfilled_share_the_default_case_number(records: list[dict[str, Any]]) -> None:
    defaults = {
        (r["provider"], r["attributes"]["case_no"]): r["subject"]
        for r in records
        if r["category"] == "judicial.judgment_default" and r["attributes"]
    }
    fulfilled = [
        r
        for r in records
        if r["category"] == "judicial.judgment_fulfilled" and "case_no" in r["attributes"]
    ]
    assert len(fulfilled) > len(defaults) / 3
    for r in fulfilled:
        key = (r["provider"], r["attributes"]["case_no"])
        if key in defaults:  # (injected invalid copies carry fresh numbers)
            assert defaults[key] == r["subject"]


def test_offences_follow_the_latent_traits(records: list[dict[str, Any]], out: Path) -> None:
    traits = pq.read_table(
        out / "truth-subjects.parquet", columns=["id", "kind", "chronic"]
    ).to_pylist()
    chronic = {t["id"] for t in traits if t["kind"] == "person" and t["chronic"]}
    persons = {t["id"] for t in traits if t["kind"] == "person"}
    offences: Counter[str] = Counter()
    conduct = (
        "judicial.judgment_default",
        "transport.traffic_violation",
        "finance.loan_default",
        "social.utility_arrears",
        "judicial.civil_breach",
    )
    for r in records:
        if r["category"] in conduct and r["subject"] in persons:
            offences[r["subject"]] += 1
    mean_chronic = sum(offences[p] for p in chronic) / len(chronic)
    mean_other = sum(offences[p] for p in persons - chronic) / len(persons - chronic)
    assert mean_chronic > 3 * mean_other
    zero = sum(1 for p in persons if offences[p] == 0)
    assert zero > len(persons) / 3  # most people rarely offend


def test_biased_judges_are_judges_with_case_decisions(
    records: list[dict[str, Any]], truth: dict[str, Any]
) -> None:
    biased = truth["judges"]["biased"]
    assert biased
    decided = Counter(r["subject"] for r in records if r["category"] == "judicial.case_decision")
    for judge in biased:
        assert decided[judge["judge"]] > 0
        assert parse(judge["court"]).kind == "institution"
        assert judge["direction"] in ("harsher", "more_lenient", "pro_plaintiff", "pro_defendant")


def test_summary_counts(run: tuple[Path, SimulationSummary], records: list[dict[str, Any]]) -> None:
    summary = run[1]
    assert summary.records == len(records)
    assert summary.records_by_category == dict(Counter(r["category"] for r in records))
    assert summary.subjects["person"] == SIZE["persons"]
    assert summary.subjects["enterprise"] == SIZE["enterprises"]


def test_formats_can_be_chosen(tmp_path: Path) -> None:
    simulate(tmp_path, seed=1, persons=1000, enterprises=50, years=1, end=END, formats=("parquet",))
    assert not (tmp_path / "records.jsonl").exists()
    assert (tmp_path / "records.parquet").exists()
    with pytest.raises(ValueError):
        simulate(tmp_path, seed=1, persons=1000, enterprises=50, years=1, end=END, formats=("csv",))


def test_corrections_change_the_attributes_of_what_they_supersede(
    records: list[dict[str, Any]],
) -> None:
    by_ref = {(r["provider"], r["ref"]): r for r in records}
    corrections = [r for r in records if "supersedes" in r and "withdrawn" not in r]
    assert corrections
    for r in corrections:
        wrong = by_ref[(r["provider"], r["supersedes"])]
        assert wrong["category"] == r["category"] and wrong["subject"] == r["subject"]
        assert wrong["attributes"] != r["attributes"]


def test_attribute_objects_leave_out_nulls_even_when_all_are_null(catalogue: Catalogue) -> None:
    category = catalogue["judicial.judgment_default"]
    fields = {
        "case_no": pa.array([None, '"(2025)鲁1082执1号"', None]),
        "amount": pa.array([None, None, "12.5"]),
    }
    text = jsonfmt.build(category, fields, 3).to_pylist()
    assert text == ["{}", '{"case_no": "(2025)鲁1082执1号"}', '{"amount": 12.5}']


def test_aggravated_defaults_carry_the_extension_the_court_set(
    records: list[dict[str, Any]],
) -> None:
    defaults = [
        r["attributes"]
        for r in records
        if r["category"] == "judicial.judgment_default" and r["attributes"]
    ]
    aggravated = [a for a in defaults if a.get("aggravated")]
    assert aggravated, "the simulated city has aggravated cases"
    assert {a.get("extension_days") for a in aggravated} <= {365, 730, 1095}
    assert all("extension_days" not in a for a in defaults if not a.get("aggravated"))


def test_tax_grades_are_published_each_april_with_m_for_new_enterprises(
    records: list[dict[str, Any]], catalogue: Catalogue, allowed: dict[str, set[str]]
) -> None:
    withdrawn = {(r["provider"], r["supersedes"]) for r in records if r.get("withdrawn")}
    records = [
        r
        for r in records
        if rejection(r, catalogue, allowed) is None
        and (r["provider"], r["ref"]) not in withdrawn
        and not r.get("withdrawn")
    ]
    established = {
        r["subject"]: r["attributes"].get("established")
        for r in records
        if r["category"] == "registry.enterprise" and r["attributes"]
    }
    evasions: dict[str, set[int]] = {}
    for r in records:
        if r["category"] == "tax.evasion":
            evasions.setdefault(r["subject"], set()).add(int(r["occurred_at"][:4]))
    final: dict[tuple[str, int], str] = {}  # (subject, evaluation year) -> grade, corrected
    for r in records:
        if r["category"] != "tax.credit_grade":
            continue
        assert r["occurred_at"][5:7] == "04", r  # published in April
        year = int(r["attributes"]["year"])
        assert int(r["occurred_at"][:4]) == year + 1  # for the year before
        key = (r["subject"], year)
        if r.get("supersedes") or key not in final:
            final[key] = r["attributes"]["grade"]
    assert final
    new = 0
    for (subject, year), value in final.items():
        born = established.get(subject)
        if born is not None and born[:4] == str(year) and not evasions.get(subject):
            new += 1
            assert value == "M", (subject, year, value)
        if {year, year - 1} & evasions.get(subject, set()):
            assert value == "D", (subject, year)  # D directly, kept for two years
    assert new > 0


def test_licences_are_granted_to_enterprises_with_a_decision_and_an_item(
    records: list[dict[str, Any]],
) -> None:
    licences = [r for r in records if r["category"] == "market.administrative_licence"]
    assert licences
    valid = [r for r in licences if r["subject"][0] == "9" and r["attributes"]]
    assert len(valid) >= len(licences) * 0.9  # a few carry injected faults
    for r in valid:
        attrs = r["attributes"]
        assert attrs.get("decision_no") and "市监许" in attrs["decision_no"]
        assert attrs.get("item", "").endswith("许可证")
