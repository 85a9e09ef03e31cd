"""JSON text built column-wise with pyarrow.compute.

Values are JSON fragments (``"text"``, ``12``, ``true``); an object is the
join of ``"key": value`` pairs in catalogue order, leaving out nulls, with the
separators of Python's ``json.dumps`` (``", "`` and ``": "``). Strings put
into fragments come from fixed tables or are assembled from digits, ASCII
letters and CJK characters, so they never need escaping; table values are
escaped with :func:`json.dumps` once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from socialcredit.policy.catalogue import AttributeSpec, Category

NULL = pa.scalar(None, pa.string())
FALSE_TRUE = pa.array(["false", "true"])


def join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation (null if any part is null)."""
    return pc.binary_join_element_wise(*parts, "")


def quote(values: pa.Array) -> pa.Array:
    return join('"', values, '"')


def table(values: Sequence[str], *, quoted: bool = True) -> pa.Array:
    """A lookup table of strings, JSON-quoted by default."""
    if quoted:
        return pa.array([json.dumps(v, ensure_ascii=False) for v in values], pa.string())
    return pa.array(list(values), pa.string())


def take(lookup: pa.Array, codes: npt.ArrayLike) -> pa.Array:
    return lookup.take(pa.array(np.asarray(codes, dtype=np.int64)))


def text(values: npt.ArrayLike) -> pa.Array:
    """Numbers as their shortest decimal text (integers without a fraction)."""
    return pc.cast(pa.array(np.asarray(values)), pa.string())


def number(values: npt.ArrayLike, decimals: int = 2) -> pa.Array:
    """A JSON number rounded to ``decimals``; NaN becomes null."""
    v = np.round(np.asarray(values, dtype=np.float64), decimals)
    return pc.cast(pa.array(v, mask=np.isnan(v)), pa.string())


def integer(values: npt.ArrayLike) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def boolean(values: npt.ArrayLike) -> pa.Array:
    return take(FALSE_TRUE, np.asarray(values, dtype=np.int64))


def enum(codes: npt.ArrayLike, values: Sequence[str]) -> pa.Array:
    return take(table(values), codes)


def where(mask: npt.ArrayLike, values: pa.Array) -> pa.Array:
    """``values`` where ``mask`` holds, null elsewhere (an optional attribute left out)."""
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), values, NULL)


def padded(values: npt.ArrayLike, width: int) -> pa.Array:
    return pc.utf8_lpad(integer(values), width, "0")


def schema_fault(category: Category, farg: int) -> tuple[str, str]:
    """How an injected schema violation breaks ``category``.

    Returns (``missing`` or ``out_of_range``, the attribute concerned).
    """
    required = [k for k, s in category.attributes.items() if s.required]
    bounded = [k for k, s in category.attributes.items() if _breakable(s)]
    if (farg == 1 and bounded) or not required:
        return "out_of_range", bounded[0]
    return "missing", required[0]


def _breakable(spec: AttributeSpec) -> bool:
    if spec.type in ("number", "integer"):
        return spec.min is not None or spec.max is not None
    return spec.type == "string" and spec.max_length is not None


def _violation(spec: AttributeSpec) -> str:
    if spec.type in ("number", "integer"):
        if spec.min is not None:
            low = spec.min - 1
            return str(int(low)) if float(low).is_integer() else str(low)
        assert spec.max is not None
        return str(int(spec.max + 1)) if float(spec.max).is_integer() else str(spec.max + 1)
    assert spec.max_length is not None
    return json.dumps("长" * (spec.max_length + 1), ensure_ascii=False)


def build(
    category: Category,
    fields: Mapping[str, pa.Array | None],
    n: int,
    schema_farg: npt.NDArray[np.int8] | None = None,
) -> pa.Array:
    """The attributes object of ``n`` records of ``category``.

    ``fields`` maps attribute names to JSON fragments (null or None: left
    out). ``schema_farg`` (-1 for sound rows) marks rows that get an injected
    schema violation.
    """
    unknown = set(fields) - set(category.attributes)
    if unknown:
        raise KeyError(f"{category.name}: attributes not in the catalogue: {sorted(unknown)}")
    values = dict(fields)
    if schema_farg is not None and (schema_farg >= 0).any():
        for farg in (0, 1):
            rows = schema_farg == farg
            if not rows.any():
                continue
            how, key = schema_fault(category, farg)
            mask = pa.array(rows)
            current = values.get(key)
            if current is None:
                current = pa.nulls(n, pa.string())
            if how == "missing":
                values[key] = pc.if_else(mask, NULL, current)
            else:
                bad = _violation(category.attributes[key])
                values[key] = pc.if_else(mask, pa.scalar(bad), current)
    present: list[tuple[str, pa.Array]] = []
    for key in category.attributes:
        candidate = values.get(key)
        if candidate is not None:
            present.append((key, candidate))
    for key, value in present:
        if len(value) != n:
            raise ValueError(f"{category.name}.{key}: {len(value)} values for {n} rows")
    if not present:
        return pa.array(["{}"] * n, pa.string())
    # Each pair carries its leading separator and a left-out pair is the empty string
    # (binary_join_element_wise's null_handling="skip" would drop rows whose parts are all
    # null). When the first pair is never left out, it needs no separator and no slicing.
    head_complete = present[0][1].null_count == 0
    args: list[pa.Array | str] = ["{"]
    for i, (key, value) in enumerate(present):
        label = f'"{key}": ' if i == 0 and head_complete else f', "{key}": '
        if value.null_count == 0:
            args += [label, value]
        else:
            args.append(pc.fill_null(join(label, value), ""))
    if head_complete:
        return join(*args, "}")
    body = pc.utf8_slice_codeunits(join(*args[1:]), 2)
    return join("{", body, "}")
