"""A chunk of sorted event rows rendered into an Arrow table and JSON lines."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from socialcredit.policy.law.citation import citation_ids
from socialcredit.simulate import events, ids
from socialcredit.simulate.behaviour import TYPOS, renderer
from socialcredit.simulate.calendar import day_of
from socialcredit.simulate.domains.common import amount_typo
from socialcredit.simulate.events import Table
from socialcredit.simulate.faults import BOGUS_CATEGORIES
from socialcredit.simulate.render import docs, jsonfmt
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import World

I64 = npt.NDArray[np.int64]

SCHEMA = pa.schema(
    [
        ("provider", pa.string()),
        ("ref", pa.string()),
        ("subject", pa.string()),
        ("category", pa.string()),
        ("occurred_at", pa.date32()),
        ("reported_at", pa.date32()),
        ("attributes", pa.string()),
        ("legal_basis", pa.string()),
        ("supersedes", pa.string()),
        ("withdrawn", pa.bool_()),
    ]
)
BOGUS_LEGAL_BASIS = "Rongzhengfa [2021] No. 3"


@dataclass
class Context:
    """Lookup tables shared by every chunk."""

    world: World
    date0: int
    dates: pa.Array  # unquoted YYYY-MM-DD, indexed by day - date0
    quoted_dates: pa.Array
    provider_ids: pa.Array
    category_names: pa.Array  # catalogue names, then the bogus ones
    legal_basis: pa.Array
    # pieces of JSON lines: '{"provider": "<id>", "ref": "' by provider;
    # '", "category": "<name>", "occurred_at": "' and ', "legal_basis": "<text>"' by category
    line_head: pa.Array
    line_category: pa.Array
    line_legal_basis: pa.Array

    @classmethod
    def of(cls, world: World) -> Context:
        date0 = int(day_of(1900, 1, 1))
        days = np.arange(date0, world.window.end + 1, dtype=np.int64).astype("datetime64[D]")
        dates = pa.array(np.datetime_as_string(days, unit="D").astype(object), pa.string())
        cats = [*world.categories, *BOGUS_CATEGORIES]
        basis = [citation_ids(world.catalogue[c].legal_basis) for c in world.categories]
        basis += [BOGUS_LEGAL_BASIS] * len(BOGUS_CATEGORIES)
        return cls(
            world=world,
            date0=date0,
            dates=dates,
            quoted_dates=jsonfmt.quote(dates),
            provider_ids=jsonfmt.table([p.id for p in world.providers.items], quoted=False),
            category_names=jsonfmt.table(cats, quoted=False),
            legal_basis=jsonfmt.table(basis, quoted=False),
            line_head=jsonfmt.table(
                [f'{{"provider": {json.dumps(p.id)}, "ref": "' for p in world.providers.items],
                quoted=False,
            ),
            line_category=jsonfmt.table(
                [f'", "category": {json.dumps(c)}, "occurred_at": "' for c in cats], quoted=False
            ),
            line_legal_basis=jsonfmt.table(
                [f', "legal_basis": {json.dumps(b, ensure_ascii=False)}' for b in basis],
                quoted=False,
            ),
        )


def columns(table: Table, idx: I64) -> dict[str, npt.NDArray[np.generic]]:
    out: dict[str, npt.NDArray[np.generic]] = {}
    for name in events.COLUMNS:
        column = table[name][idx]
        out[name] = column if name == "amount" else column.astype(np.int64)
    return out


def references(
    world: World, cols: dict[str, npt.NDArray[np.generic]]
) -> tuple[pa.Array, pa.Array, pa.Array]:
    """(document number, base reference, reference) of rows."""

    def i(name: str) -> I64:
        return cols[name].astype(np.int64)

    doc = docs.numbers(world, i("doctype"), i("issuer"), i("year"), i("seq"), i("subject"))
    cat_suffix, var_suffix = docs.suffixes(world, i("category"), i("variant"))
    base = jsonfmt.join(doc, cat_suffix)
    return doc, base, jsonfmt.join(base, var_suffix)


def _attributes(ctx: Context, cols: dict[str, npt.NDArray[np.generic]], doc: pa.Array) -> pa.Array:
    world = ctx.world
    category = cols["category"].astype(np.int64)
    amount = cols["amount"].astype(np.float64)
    quoted_doc = jsonfmt.quote(doc)
    order = np.argsort(category, kind="stable")
    bounds = np.r_[0, np.flatnonzero(np.diff(category[order])) + 1, len(order)]
    parts: list[pa.Array] = []
    for lo, hi in itertools.pairwise(bounds):
        rows = order[lo:hi]
        if len(rows) == 0:
            continue
        name = world.categories[int(category[rows[0]])]

        def col(key: str, rows: I64 = rows) -> I64:
            return cols[key][rows].astype(np.int64)

        view = Rows(
            world=world,
            subject=col("subject"),
            other=col("other"),
            provider=col("provider"),
            issuer=col("issuer"),
            occurred=col("occurred"),
            year=col("year"),
            seq=col("seq"),
            amount=amount[rows],
            a=col("a"),
            b=col("b"),
            c=col("c"),
            d=col("d"),
            variant=col("variant"),
            farg=col("farg"),
            doc=quoted_doc.take(pa.array(rows)),
            dates=ctx.quoted_dates,
            date0=ctx.date0,
        )
        erroneous = view.variant == events.ERRONEOUS
        if erroneous.any():
            TYPOS.get(name, amount_typo)(view, erroneous)
        fields = renderer(world, name)(view)
        schema = np.where(view.variant == events.SCHEMA, view.farg, -1).astype(np.int8)
        text = jsonfmt.build(world.catalogue[name], fields, len(rows), schema)
        withdrawn = view.variant == events.WITHDRAWAL
        if withdrawn.any():
            text = pc.if_else(pa.array(withdrawn), pa.scalar("{}"), text)
        parts.append(text)
    merged = pa.concat_arrays(parts) if parts else pa.array([], pa.string())
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.arange(len(order))
    return merged.take(pa.array(inverse))


def subjects(world: World, subject: I64, variant: I64, farg: I64) -> pa.Array:
    bad = np.flatnonzero(variant == events.BAD_IDENTIFIER)
    if len(bad) == 0:
        return world.ident.take(pa.array(subject))
    matrix = world.ident_matrix[subject]
    matrix[bad] = ids.corrupt_check(matrix[bad], farg[bad])
    return ids.to_arrow(matrix)


def render(ctx: Context, table: Table, idx: I64, lines: bool) -> tuple[pa.Table, pa.Array | None]:
    """Rows ``idx`` of ``table`` as a record batch table (and JSON lines ending in newlines)."""
    world = ctx.world
    cols = columns(table, idx)
    category = cols["category"].astype(np.int64)
    variant = cols["variant"].astype(np.int64)
    doc, base, ref = references(world, cols)
    attributes = _attributes(ctx, cols, doc)
    subject = subjects(
        world, cols["subject"].astype(np.int64), variant, cols["farg"].astype(np.int64)
    )
    shown = np.where(
        variant == events.UNKNOWN_CATEGORY,
        len(world.categories) + cols["farg"].astype(np.int64),
        category,
    )
    shown_category = ctx.category_names.take(pa.array(shown))
    legal = ctx.legal_basis.take(pa.array(shown))
    provider = ctx.provider_ids.take(pa.array(cols["provider"].astype(np.int64)))
    occurred = cols["occurred"].astype(np.int32)
    reported = cols["reported"].astype(np.int32)
    supersedes_mask = (variant == events.CORRECTION) | (variant == events.WITHDRAWAL)
    supersedes = jsonfmt.where(supersedes_mask, base)
    withdrawn_mask = variant == events.WITHDRAWAL
    withdrawn = pa.array(np.where(withdrawn_mask, True, False), mask=~withdrawn_mask)
    out = pa.Table.from_arrays(
        [
            provider,
            ref,
            subject,
            shown_category,
            pa.array(occurred, pa.date32()),
            pa.array(reported, pa.date32()),
            attributes,
            legal,
            supersedes,
            withdrawn,
        ],
        schema=SCHEMA,
    )
    if not lines:
        return out, None
    # the optional keys, built for the few rows that have them only
    rows = np.flatnonzero(supersedes_mask)
    extra = jsonfmt.join(
        ', "supersedes": "',
        base.take(pa.array(rows)),
        '"',
        jsonfmt.take(
            jsonfmt.table(["", ', "withdrawn": true'], quoted=False), withdrawn_mask[rows]
        ),
    )
    slot = np.zeros(len(idx), dtype=np.int64)
    slot[rows] = np.arange(1, len(rows) + 1)
    tail = pa.concat_arrays([pa.array([""], pa.string()), extra]).take(pa.array(slot))
    text = jsonfmt.join(
        ctx.line_head.take(pa.array(cols["provider"].astype(np.int64))),
        ref,
        '", "subject": "',
        subject,
        ctx.line_category.take(pa.array(shown)),
        ctx.dates.take(pa.array(occurred.astype(np.int64) - ctx.date0)),
        '", "reported_at": "',
        ctx.dates.take(pa.array(reported.astype(np.int64) - ctx.date0)),
        '", "attributes": ',
        attributes,
        ctx.line_legal_basis.take(pa.array(shown)),
        tail,
        "}\n",
    )
    return out, text
