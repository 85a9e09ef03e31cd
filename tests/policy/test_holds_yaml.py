"""holds.yaml: the national pack's supervision of providers loads, and every mistake is
named with its file, entry and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from socialcredit.errors import PolicyError
from socialcredit.policy.lint import lint_packs
from socialcredit.policy.pack import Pack, default_packs, load_pack_files, pack_folder

NATIONAL = pack_folder("national")


def national(holds: str | None) -> Pack:
    texts = {p.name: p.read_text("utf-8") for p in sorted(NATIONAL.glob("*.yaml"))}
    if holds is None:
        texts.pop("holds.yaml")
    else:
        texts["holds.yaml"] = textwrap.dedent(holds)
    return load_pack_files(texts, Path("national"))


def problems(holds: str) -> list[str]:
    with pytest.raises(PolicyError) as err:
        national(holds)
    return err.value.problems


def test_the_national_pack_sets_the_supervision_of_providers() -> None:
    packs = default_packs()
    settings = packs[0].holds
    assert settings is not None and lint_packs(packs) == []
    assert (settings.history_weeks, settings.band_k, settings.late_days) == (12, 5.0, 60)
    assert settings.hold_when.volume and settings.hold_when.refused == 0.2
    assert "tax.credit_grade" in settings.no_volume and settings.kinds == ("conduct",)
    assert round(sum(c.weight for c in settings.score.values()), 9) == 1
    assert [p.holds is None for p in packs[1:]] == [True] * (len(packs) - 1)
    assert national(None).holds is None  # a pack without the file has no supervision


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("supervision: {holds: {band_k: 0}}", "holds.yaml: supervision.holds: band_k:"),
        (
            "supervision: {holds: {history_weeks: 6, min_history_weeks: 8}}",
            "min_history_weeks: more than history_weeks",
        ),
        (
            "supervision: {holds: {score: {volume: {weight: 1, full_at: 0.5}}}}",
            "score: no weight for amounts, late",
        ),
        (
            """\
            supervision:
              holds:
                score:
                  volume: {weight: 0.5, full_at: 0.5}
                  amounts: {weight: 0.5, full_at: 0.5}
                  late: {weight: 0.5, full_at: 0.5}
                  duplicates: {weight: 0, full_at: 0.5}
                  conflicts: {weight: 0, full_at: 0.5}
                  refused: {weight: 0, full_at: 0.5}
                  corrections: {weight: 0, full_at: 0.5}
                  objections_upheld: {weight: 0, full_at: 0.5}
            """,
            "the weights add up to 1.5, not 1",
        ),
        ("supervision: {holds: {hold_when: {volume: true, spam: 0.5}}}", "hold_when.spam:"),
        ("supervision: {holds: {kinds: [gossip]}}", "supervision.holds: kinds.0:"),
        ("supervision: {holds: {legal_basis: [no_such_law]}}", "supervision.holds: legal_basis"),
        ("supervision: {courts: {}}", "supervision.courts: unknown section"),
        ("holds: {band_k: 3}", "holds.yaml: must be a mapping with one section"),
    ],
)
def test_a_mistake_names_its_file_and_field(text: str, expected: str) -> None:
    found = problems(text)
    assert any(expected in p for p in found), found


def test_the_lint_wants_calendar_categories_of_the_catalogue() -> None:
    pack = national("supervision: {holds: {no_volume: [tax.credit_grade, tax.horoscope]}}")
    others = [p for p in default_packs() if p.name != "national"]
    assert lint_packs([pack, *others]) == [
        "national: holds.yaml: supervision.holds: no_volume.1: 'tax.horoscope' is not in "
        "the catalogue"
    ]
