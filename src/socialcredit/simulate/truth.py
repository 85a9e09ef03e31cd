"""Ground truth, kept out of the record files: ``truth.json`` (parameters, biased judges,
late and sloppy providers, procurement favouritism, fault counts and, for small runs, the
fault list), ``truth-subjects.parquet`` (latent traits per subject) and
``truth-faults.parquet`` (every injected fault with the reference it concerns)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from socialcredit.simulate import events, faults, timing
from socialcredit.simulate.calendar import from_days
from socialcredit.simulate.domains import government, judicial
from socialcredit.simulate.events import Table
from socialcredit.simulate.geography import AREAS, DISTRICTS
from socialcredit.simulate.institutions import SPECIALTIES
from socialcredit.simulate.names import SECTORS
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.render.chunk import columns, references, subjects
from socialcredit.simulate.world import KIND_NAMES, World

I64 = npt.NDArray[np.int64]
INLINE_FAULTS = 20_000  # list faults in truth.json itself up to this many


def _summary(values: npt.NDArray[np.floating[Any]]) -> dict[str, float]:
    if len(values) == 0:
        return {}
    q = np.quantile(values, [0.5, 0.9, 0.99])
    return {
        "mean": round(float(values.mean()), 4),
        "p50": round(float(q[0]), 4),
        "p90": round(float(q[1]), 4),
        "p99": round(float(q[2]), 4),
        "max": round(float(values.max()), 4),
    }


def _ident(world: World, subjects_: I64) -> list[str]:
    out: list[str] = world.ident.take(pa.array(subjects_)).to_pylist()
    return out


_FAULT_NAMES = {
    events.DUPLICATE: "duplicate",
    events.ERRONEOUS: "erroneous",
    events.CORRECTION: "correction",
    events.SPURIOUS: "spurious",
    events.WITHDRAWAL: "withdrawal",
    **{v: "invalid" for v in events.INVALID_VARIANTS},
    events.FAULTY: "faulty_feed",
    events.BIASED: "biased_provider",
}


def _lookup(values: Sequence[str | None], codes: I64) -> pa.Array:
    return pa.array(values, pa.string()).take(pa.array(codes))


def _fault_table(world: World, table: Table) -> pa.Table:
    """Every fault row (and every very late report) with its reference, vectorised."""
    variant = table.i64("variant")
    link = table.i64("link")
    rows = np.flatnonzero(variant != events.NORMAL)
    late_rows = np.flatnonzero(table.i64("late") == 1)
    both = np.concatenate([rows, late_rows])
    cols = columns(table, both)
    _doc, _base, ref_all = references(world, cols)
    subject_all = subjects(
        world, cols["subject"].astype(np.int64), variant[both], table.i64("farg")[both]
    )
    category = table.i64("category")[both]
    farg = table.i64("farg")[both]
    provider = table.i64("provider")[both]
    shown = np.where(
        variant[both] == events.UNKNOWN_CATEGORY, len(world.categories) + farg, category
    )
    names = [*world.categories, *faults.BOGUS_CATEGORIES]
    provider_ids = [x.id for x in world.providers.items]

    n = len(rows)
    v = variant[rows]
    pos = np.full(len(table), -1, dtype=np.int64)
    pos[rows] = np.arange(n)
    related = np.full(n, -1, dtype=np.int64)
    related[v == events.DUPLICATE] = np.flatnonzero(v == events.DUPLICATE)
    for later in (events.CORRECTION, events.WITHDRAWAL):  # and the records they supersede
        k = np.flatnonzero(v == later)
        related[k] = pos[link[rows[k]]]
        ok = related[k] >= 0
        related[related[k][ok]] = k[ok]
    ref = ref_all[:n]
    related_ref = ref.take(pa.array(np.maximum(related, 0)))
    related_ref = jsonfmt.where(related >= 0, related_ref) if n else related_ref

    kinds = [x.kind for x in world.providers.items]
    codes = max(_FAULT_NAMES) + 1
    fault = _lookup([_FAULT_NAMES.get(x) for x in range(codes)], v)
    expected = _lookup([events.EXPECTED_CODE.get(x) for x in range(codes)], v)
    static = {
        events.ERRONEOUS: "wrong attribute value (amount ten times too high or another "
        "typo), corrected later",
        events.SPURIOUS: "reported about the wrong subject",
        events.BAD_IDENTIFIER: "subject identifier has a wrong check character",
        events.FAULTY: "sent by a faulty feed (truth.json: faulty_feed)",
        events.BIASED: "over-reported about a group (truth.json: biased_provider)",
    }
    detail = _lookup([static.get(x) for x in range(codes)], v)
    unknown = _lookup(
        [f"category {b} is not in the catalogue" for b in faults.BOGUS_CATEGORIES],
        np.clip(farg[:n], 0, len(faults.BOGUS_CATEGORIES) - 1),
    )
    unauthorised = jsonfmt.join(
        "provider kind ",
        _lookup(list(kinds), provider[:n]),
        " may not report ",
        _lookup(list(world.categories), category[:n]),
    )
    schema_text = [
        "{}:{}".format(*jsonfmt.schema_fault(world.catalogue[c], f))
        for c in world.categories
        for f in (0, 1)
    ]
    schema = _lookup(list(schema_text), category[:n] * 2 + np.clip(farg[:n], 0, 1))
    for code, text in (
        (events.UNKNOWN_CATEGORY, unknown),
        (events.UNAUTHORISED, unauthorised),
        (events.SCHEMA, schema),
    ):
        detail = pc.if_else(pa.array(v == code), text, detail)

    m = len(late_rows)
    delay = table.i64("reported")[late_rows] - table.i64("occurred")[late_rows]
    late_detail = jsonfmt.join("reported ", jsonfmt.integer(delay), " days after the act")
    nothing = pa.nulls(m, pa.string())
    return pa.table(
        {
            "fault": pa.concat_arrays([fault, pa.array(["late_report"] * m, pa.string())]),
            "provider": _lookup(provider_ids, provider),
            "ref": ref_all,
            "subject": subject_all,
            "category": _lookup(names, shown),
            "related_ref": pa.concat_arrays([related_ref, nothing]),
            "expected_code": pa.concat_arrays([expected, nothing]),
            "detail": pa.concat_arrays([detail, late_detail]),
        }
    )


def _subjects_table(world: World) -> pa.Table:
    p, e, i = world.persons, world.enterprises, world.institutions

    def spread(person: Any, firm: Any, inst: Any, dtype: Any) -> pa.Array:
        parts = [person, firm, inst]
        sizes = (p.count, e.count, i.count)
        full = [
            np.asarray(x) if x is not None else np.zeros(s)
            for x, s in zip(parts, sizes, strict=True)
        ]
        mask = np.concatenate([np.full(s, x is None) for x, s in zip(parts, sizes, strict=True)])
        return pa.array(np.concatenate(full).astype(dtype), mask=mask)

    sector = np.array(SECTORS, dtype=object)[e.sector]
    return pa.table(
        {
            "id": world.ident,
            "kind": pa.array(np.array(KIND_NAMES, dtype=object)[world.subject_kind]),
            "area": pa.array(np.array([a.code for a in AREAS], dtype=object)[world.subject_area]),
            "risk": spread(p.risk, e.risk, i.risk, np.float64),
            "chronic": spread(p.chronic, None, None, bool),
            "civic": spread(p.civic, None, None, np.float64),
            "drives": spread(p.drives, None, None, bool),
            "consent": spread(p.consent, None, None, bool),
            "honesty": spread(None, e.honesty, None, np.float64),
            "sector": pa.array(
                np.concatenate([np.full(p.count, None), sector, np.full(i.count, None)]),
                pa.string(),
            ),
        }
    )


def write_truth(
    world: World,
    table: Table,
    out: Path,
    parameters: dict[str, Any],
    faulty_feed: dict[str, Any] | None = None,
    biased_provider: dict[str, Any] | None = None,
) -> tuple[list[str], dict[str, int]]:
    """Write the truth files; return their names and the fault counts (``faulty_feed``:
    the faulty feed's description, when the city has one)."""
    fault_table = _fault_table(world, table)
    pq.write_table(fault_table, out / "truth-faults.parquet", compression="zstd")
    pq.write_table(_subjects_table(world), out / "truth-subjects.parquet", compression="zstd")
    kinds = fault_table.column("fault").to_pylist()
    counts = {
        k: kinds.count(k)
        for k in (
            "duplicate",
            "erroneous",
            "correction",
            "spurious",
            "withdrawal",
            "invalid",
            "late_report",
            "faulty_feed",
            "biased_provider",
        )
    }
    j, inst = world.judges, world.institutions
    biased = []
    for k in np.flatnonzero(j.bias != 0):
        specialty = SPECIALTIES[int(j.specialty[k])]
        criminal = specialty == "criminal"
        size = float(j.bias[k])
        biased.append(
            {
                "judge": _ident(world, np.array([j.person[k]]))[0],
                "court": _ident(world, np.array([j.court[k] + world.institution0]))[0],
                "court_name": inst.names[int(j.court[k])],
                "specialty": specialty,
                "kind": "sentencing" if criminal else "awards",
                "direction": ("harsher" if size > 0 else "more_lenient")
                if criminal
                else ("pro_plaintiff" if size > 0 else "pro_defendant"),
                "size": size,
            }
        )
    fav = government.favouritism(world)
    providers = world.providers
    p, e = world.persons, world.enterprises
    truth: dict[str, Any] = {
        "generator": "socialcredit.simulate",
        "parameters": parameters,
        "window": {
            "start": from_days(world.window.start).isoformat(),
            "end": from_days(world.window.end).isoformat(),
        },
        "city": {
            "code": AREAS[0].code,
            "name": AREAS[0].name,
            "districts": [{"code": d.code, "name": d.name, "share": d.share} for d in DISTRICTS],
        },
        "subjects": {
            "file": "truth-subjects.parquet",
            "counts": {
                "person": p.count,
                "enterprise": e.count,
                "institution": world.institutions.count,
                "official": len(np.unique(world.offices.person)),
                "judge": len(j.person),
            },
            "person_risk": _summary(p.risk),
            "chronic_offenders": int(p.chronic.sum()),
            "person_civic": _summary(p.civic),
            "enterprise_honesty": _summary(e.honesty),
            "enterprise_risk": _summary(e.risk),
            "model": {
                "chronic_share": 0.03,
                "person_risk": "gamma(0.6, 1) or, if chronic, gamma(2, 4)",
                "enterprise_risk": "((1 - honesty) / 0.25) ** 2, honesty ~ beta(6, 2)",
                "offences": "Poisson(base * risk ** k * years)",
            },
        },
        "judges": {
            "count": len(j.person),
            "decisions_per_year": judicial.DECISIONS_PER_YEAR,
            "biased": biased,
        },
        "procurement_favouritism": [
            {"institution": a, "supplier": b, "share": float(s)}
            for a, b, s in zip(
                _ident(world, fav.institution), _ident(world, fav.supplier), fav.share, strict=True
            )
        ],
        "providers": {
            "late": [
                {
                    "provider": providers.items[i].id,
                    "mean_delay_days": round(float(providers.mean_delay[i]), 1),
                }
                for i in providers.late
            ],
            "duplicate_prone": [providers.items[i].id for i in providers.sloppy],
            "mean_delay_days": {
                x.id: round(float(providers.mean_delay[i]), 1)
                for i, x in enumerate(providers.items)
            },
        },
        "faults": {
            "file": "truth-faults.parquet",
            "counts": counts,
            "shares": {
                "spurious": faults.SPURIOUS_SHARE,
                "invalid": faults.INVALID_SHARE,
                "erroneous": faults.ERROR_SHARE,
                "duplicate": faults.DUPLICATE_SHARE,
                "late": timing.LATE_SHARE,
            },
        },
    }
    if faulty_feed is not None:
        truth["faulty_feed"] = faulty_feed
    if biased_provider is not None:
        truth["biased_provider"] = biased_provider
    if fault_table.num_rows <= INLINE_FAULTS:
        truth["faults"]["records"] = [
            {k: v for k, v in row.items() if v is not None} for row in fault_table.to_pylist()
        ]
    (out / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return ["truth-faults.parquet", "truth-subjects.parquet", "truth.json"], counts
