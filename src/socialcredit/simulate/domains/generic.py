"""Categories no domain module knows (added to the packs later): records synthesised from the
category's own schema, so that every category providers report appears.

Subjects are drawn among the kinds the category allows (enterprises first), the provider is
one whose kind may report the category (in the subject's area where there is one), and each
attribute takes a value of its type and range derived from a hash of the row.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialcredit.policy.catalogue import AttributeSpec, Category
from socialcredit.simulate import numbering
from socialcredit.simulate.domains.common import Fields, Renderer, offences
from socialcredit.simulate.events import Table, block
from socialcredit.simulate.geography import AREAS
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import ENTERPRISE, INSTITUTION, KIND_NAMES, PERSON, World

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]

RATES = {ENTERPRISE: 0.02, PERSON: 0.002, INSTITUTION: 0.05}


def categories(world: World, known: set[str]) -> list[str]:
    """Categories to synthesise: unknown to the modules, and reported by providers."""
    return [c for c in world.categories if c not in known and world.simulated(c)]


def _providers_by_area(world: World, category: int) -> I64:
    able = np.flatnonzero(world.allowed[:, category])
    areas = np.array([world.providers.items[i].area for i in able])
    out = np.empty(len(AREAS), dtype=np.int64)
    for a in range(len(AREAS)):
        here = able[areas == a]
        city = able[(areas == 0) | (areas == -1)]
        out[a] = here[0] if len(here) else (city[0] if len(city) else able[0])
    return out


def generate(world: World, known: set[str]) -> list[Table]:
    rng = world.rng("generic")
    out: list[Table] = []
    for name in categories(world, known):
        allowed = world.catalogue[name].subjects
        kind = next(k for k in (ENTERPRISE, PERSON, INSTITUTION) if KIND_NAMES[k] in allowed)
        subject, day = offences(world, rng, kind, RATES[kind], 1.0)
        c = world.cat[name]
        provider = _providers_by_area(world, c)[world.subject_area[subject]]
        out.append(
            block(
                len(subject),
                subject=subject,
                category=c,
                provider=provider,
                occurred=day,
                doctype=numbering.doc("generic"),
            )
        )
    return out


def _mix(x: U64) -> U64:
    """splitmix64: a well-spread hash of each value."""
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    out: U64 = x ^ (x >> np.uint64(31))
    return out


def _value(r: Rows, category: Category, key: str, spec: AttributeSpec, h: U64) -> pa.Array:
    n = len(r)
    if spec.type == "identifier":
        kinds = [KIND_NAMES.index(k) for k in (spec.kinds or KIND_NAMES)]
        pick = np.array(kinds)[(h % np.uint64(len(kinds))).astype(np.int64)]
        first = np.array([0, r.world.enterprise0, r.world.institution0])[pick]
        size = np.array(
            [r.world.persons.count, r.world.enterprises.count, r.world.institutions.count]
        )[pick]
        return r.ident(first + ((h >> np.uint64(8)) % size.astype(np.uint64)).astype(np.int64))
    if spec.type == "date":
        return r.date(r.occurred)
    if spec.type == "boolean":
        return jsonfmt.boolean((h & np.uint64(1)).astype(bool))
    if spec.type == "enum":
        assert spec.values is not None
        return jsonfmt.enum((h % np.uint64(len(spec.values))).astype(np.int64), spec.values)
    if spec.type == "string":
        if key == category.case_key or key.endswith("_no"):
            return r.doc
        text = (category.title or key)[: spec.max_length or 60]
        return jsonfmt.take(jsonfmt.table([text]), np.zeros(n, dtype=np.int64))
    u = (h >> np.uint64(11)).astype(np.float64) / float(1 << 53)
    lo = spec.min if spec.min is not None else 0.0
    hi = spec.max if spec.max is not None else lo + (100.0 if spec.type == "integer" else 10_000)
    if spec.type == "integer":
        lo_i, hi_i = int(np.ceil(lo)), int(np.floor(min(hi, lo + 1000)))
        return jsonfmt.integer(lo_i + (u * (hi_i - lo_i + 1)).astype(np.int64))
    return jsonfmt.number(np.clip(np.round(lo + u * (hi - lo), 2), lo, hi))


def renderer(category: Category) -> Renderer:
    def render(r: Rows) -> Fields:
        row = (
            r.subject.astype(np.uint64) * np.uint64(1_000_003)
            + r.seq.astype(np.uint64) * np.uint64(7919)
            + r.year.astype(np.uint64)
        )
        fields: Fields = {}
        for k, (key, spec) in enumerate(category.attributes.items()):
            h = _mix(row ^ _mix(np.full(len(r), k + 1, dtype=np.uint64)))
            value = _value(r, category, key, spec, h)
            if not spec.required:
                value = jsonfmt.where((h >> np.uint64(7)) & np.uint64(1) == 1, value)
            fields[key] = value
        return fields

    return render
