"""The simulator's entry point."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from socialcredit.simulate import (
    behaviour,
    biased_provider,
    events,
    faults,
    faulty_feed,
    numbering,
    timing,
)
from socialcredit.simulate.biased_provider import BiasedProvider
from socialcredit.simulate.faulty_feed import FaultyFeed
from socialcredit.simulate.hinted import rewrite as rewrite_hinted
from socialcredit.simulate.planted import plant, write_planted
from socialcredit.simulate.truth import write_truth
from socialcredit.simulate.world import KIND_NAMES, World, build_world
from socialcredit.simulate.writer import write_records

FORMATS = ("jsonl", "parquet")
MIN_PERSONS = 1000

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SimulationSummary:
    """What a run produced."""

    subjects: dict[str, int]
    records: int
    records_by_category: dict[str, int]
    providers: int
    files: tuple[str, ...]
    faults: dict[str, int] = field(default_factory=dict)


def _write_providers(world: World, out: Path) -> int:
    lines = []
    for p in world.providers.items:
        if p.registered_elsewhere:
            continue
        row = {"id": p.id, "kind": p.kind, "name": p.name, "jurisdiction": p.jurisdiction}
        lines.append(json.dumps(row, ensure_ascii=False))
    (out / "providers.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def simulate(
    out: Path,
    *,
    persons: int,
    enterprises: int,
    years: int,
    seed: int,
    end: dt.date,
    formats: Sequence[str] = FORMATS,
    progress: Progress | None = None,
    faulty: FaultyFeed | None = None,
    biased: BiasedProvider | None = None,
    hinted: float = 0.0,
) -> SimulationSummary:
    """Simulate the demo city (Weihai) and write providers, records and ground truth to ``out``.

    Files: ``providers.jsonl`` (the city's bodies to register; ``railway.national`` and other
    pack-registered providers are used but not listed), ``records.jsonl`` and/or
    ``records.parquet`` (the same records in the same order, by ``reported_at``), and the
    ground truth ``truth.json``, ``truth-subjects.parquet`` (latent traits per subject) and
    ``truth-faults.parquet`` (every injected fault, with the error code ingestion must give
    the invalid records) and ``truth-officials.json`` (the procurement red flags planted).
    Records span ``years`` years ending on ``end``.

    ``faulty``: one provider's feed goes wrong from a day on (simulate/faulty_feed.py),
    described in ``truth.json`` under ``faulty_feed``; without it the city has none.
    ``biased``: one unit over-reports one home region or age band from its first record
    (simulate/biased_provider.py), described under ``biased_provider``.
    ``hinted``: that share of the records about persons in the categories the
    catalogue marks ``hinted`` arrive without an identifier, with a subject hint written
    as people write names (simulate/hinted.py); their true subjects in
    ``truth-hinted.parquet``. Without it (0) the city has none.

    ``progress(stage, done, total)`` is called as stages advance: ``population``,
    ``behaviour``, ``faults``, ``sort``, ``write`` (records written so far) and ``truth``.

    The same arguments always produce byte-identical files.
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown formats {unknown}; choose from {list(FORMATS)}")
    if persons < MIN_PERSONS:
        raise ValueError(f"persons must be at least {MIN_PERSONS} (the city needs its officials)")
    if enterprises < 10:
        raise ValueError("enterprises must be at least 10")
    if not 1 <= years <= 60:
        raise ValueError("years must be between 1 and 60")
    if not 0.0 <= hinted <= 1.0:
        raise ValueError("hinted must be a share between 0 and 1")

    def report(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(stage, done, total)

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report("population", 0, 1)
    world = build_world(persons=persons, enterprises=enterprises, years=years, seed=seed, end=end)
    report("population", 1, 1)
    table = behaviour.generate(world, progress)
    report("faults", 0, 2)
    table = faults.inject_before(world, table)
    table, planted = plant(world, table)
    table = timing.time_reports(world, table)
    numbering.allocate(table)
    table = faults.inject_after(world, table)
    feed_fault = None
    if faulty is not None:
        table, mask = faulty_feed.inject(world, table, faulty)
        feed_fault = faulty_feed.describe(table, mask, faulty)
    bias = None
    if biased is not None:
        table, mask = biased_provider.inject(world, table, biased)
        bias = biased_provider.describe(world, mask, biased)
    report("faults", 2, 2)
    report("sort", 0, 1)
    order = faults.sort_order(world, table)
    report("sort", 1, 1)

    providers = _write_providers(world, out)
    files = ["providers.jsonl"]
    files += write_records(world, table, order, out, formats, progress)
    parameters = {
        "persons": persons,
        "enterprises": enterprises,
        "years": years,
        "seed": seed,
        "end": end.isoformat(),
        "formats": sorted(set(formats)),
    }
    report("truth", 0, 1)
    truth_files, fault_counts = write_truth(world, table, out, parameters, feed_fault, bias)
    report("truth", 1, 1)
    files += truth_files
    files += write_planted(planted, out)
    if hinted > 0:
        files += rewrite_hinted(out, hinted, seed)

    category = table.i64("category")
    shown = np.where(
        table.i64("variant") == events.UNKNOWN_CATEGORY,
        len(world.categories) + table.i64("farg"),
        category,
    )
    names = [*world.categories, *faults.BOGUS_CATEGORIES]
    counts = np.bincount(shown, minlength=len(names))
    kinds = np.bincount(world.subject_kind, minlength=len(KIND_NAMES))
    return SimulationSummary(
        subjects={k: int(c) for k, c in zip(KIND_NAMES, kinds, strict=True)},
        records=len(table),
        records_by_category={n: int(c) for n, c in zip(names, counts, strict=True) if c},
        providers=providers + sum(p.registered_elsewhere for p in world.providers.items),
        files=tuple(sorted(files)),
        faults=fault_counts,
    )
