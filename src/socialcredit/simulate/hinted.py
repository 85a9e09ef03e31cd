"""Records without identifiers: a share of the city's records, in the categories the
catalogue marks ``hinted``, rewritten with a ``subject_hint`` in place of the subject.

Older court files, community committees and utilities know a person by name, date of
birth and address, and write them as people do: a mistyped character (often one that
sounds the same: 李娜 as 李那), the two characters of the given name swapped, traditional
forms (張偉), the name in pinyin ("Zhang Wei"), an address the person has left, one digit
of the birth date wrong, no address at all. Namesakes -- two persons of the same name
born the same year -- arise from the city's own names; the truth file marks them. The
true subject of each rewritten record is in ``truth-hinted.parquet``.

The rewriting runs on the written files (``records.jsonl`` and ``records.parquet``, kept
identical), so a city without ``hinted`` is unchanged, byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from pypinyin import lazy_pinyin
from zhconv import convert  # type: ignore[import-untyped]

from socialcredit.ledger.record import record_id
from socialcredit.policy.pack import default_packs
from socialcredit.simulate.names import GIVEN_FEMALE, GIVEN_MALE

TRUTH_FILE = "truth-hinted.parquet"
# how a provider writes what it knows of the person, with the share of each
VARIATIONS: tuple[tuple[str, float], ...] = (
    ("exact", 0.35),
    ("typo", 0.12),  # a character of the given name mistyped, most often a homophone
    ("swapped", 0.08),  # the two characters of the given name swapped
    ("traditional", 0.12),  # traditional forms
    ("pinyin", 0.13),  # the name in letters
    ("moved", 0.12),  # an address the person no longer lives at
    ("birth_typo", 0.08),  # one digit of the date of birth wrong
)
NO_ADDRESS = 0.3  # of the hints: the area only
_POOL = tuple(dict.fromkeys(GIVEN_MALE + GIVEN_FEMALE + tuple("那玮丽莉立力俐军君钧")))


def _homophones() -> dict[str, tuple[str, ...]]:
    by_sound: dict[str, list[str]] = {}
    for ch in _POOL:
        by_sound.setdefault(lazy_pinyin(ch)[0], []).append(ch)
    return {ch: tuple(c for c in by_sound[lazy_pinyin(ch)[0]] if c != ch) for ch in _POOL}


_HOMOPHONES = _homophones()


@dataclass(frozen=True)
class Facts:
    """What the registry knows of a person, as a provider might know it."""

    name: str
    birth_date: str
    area: str
    address: str


def hinted_categories() -> frozenset[str]:
    """The categories the default packs let arrive with a subject hint."""
    return frozenset(
        code for pack in default_packs() for code, c in pack.categories.items() if c.hinted
    )


def variant(
    rng: np.random.Generator, facts: Facts, places: Sequence[tuple[str, str]]
) -> tuple[dict[str, Any], str]:
    """A hint about the person of ``facts`` as a provider might write it, and its kind;
    ``places`` are (area, address) pairs of the city, for a person who moved."""
    kinds = [k for k, _ in VARIATIONS]
    weights = np.array([w for _, w in VARIATIONS])
    kind = kinds[int(rng.choice(len(kinds), p=weights / weights.sum()))]
    name, born, area, address = facts.name, facts.birth_date, facts.area, facts.address
    surname, given = name[:1], name[1:]
    if kind == "typo" and given:
        i = int(rng.integers(len(given)))
        sounds = _HOMOPHONES.get(given[i], ())
        pool = sounds if sounds and rng.random() < 0.7 else _POOL
        name = surname + given[:i] + str(pool[int(rng.integers(len(pool)))]) + given[i + 1 :]
    elif kind == "swapped" and len(given) == 2:
        name = surname + given[::-1]
    elif kind == "traditional":
        name = str(convert(name, "zh-tw"))
    elif kind == "pinyin":
        name = " ".join(
            "".join(lazy_pinyin(part)).capitalize() for part in (surname, given) if part
        )
    elif kind == "moved":
        others = [p for p in places if p[0] != area] or list(places)
        area, address = others[int(rng.integers(len(others)))]
    elif kind == "birth_typo":
        i = int(rng.choice([3, 6, 9]))  # the year's last digit, the month's, the day's
        digit = str((int(born[i]) + 1 + int(rng.integers(8))) % 10)
        born = born[:i] + digit + born[i + 1 :]
        if born[5:7] in ("00", "13", "14", "15", "16", "17", "18", "19") or born[8:] in (
            "00", "32", "33", "34", "35", "36", "37", "38", "39"
        ):  # fmt: skip
            born = facts.birth_date[:8] + ("28" if born[8:] != "28" else "27")
    hint: dict[str, Any] = {"name": name, "birth_date": born, "area": area}
    if rng.random() >= NO_ADDRESS:
        hint["address"] = address
    return hint, kind


def _registry(rows: Sequence[Mapping[str, Any]]) -> dict[str, Facts]:
    known: dict[str, dict[str, Any]] = {}
    for row in rows:
        attrs = row["attributes"]
        facts = known.setdefault(row["subject"], {})
        if row["category"] == "registry.person":
            facts.update(name=attrs.get("name"), birth_date=attrs.get("birth_date"))
        else:
            facts.update(area=attrs.get("area"), address=attrs.get("address"))
    return {
        s: Facts(f["name"], f["birth_date"], f["area"], f["address"])
        for s, f in known.items()
        if all(f.get(k) for k in ("name", "birth_date", "area", "address"))
    }


def rewrite(out: Path, share: float, seed: int) -> list[str]:
    """Rewrite ``share`` of the records about persons in hinted categories, in the
    written record files, with a subject hint; write the truth file; return its name."""
    jsonl, parquet = out / "records.jsonl", out / "records.parquet"
    categories = hinted_categories()
    wanted = categories | {"registry.person", "registry.residence"}
    rows: list[dict[str, Any]] = []
    if parquet.exists():
        table = pq.read_table(
            parquet, columns=["provider", "ref", "subject", "category", "supersedes", "withdrawn"]
        )
        picked = np.flatnonzero(np.isin(table.column("category").to_numpy(), list(wanted)))
        attrs = pq.read_table(parquet, columns=["attributes"]).column("attributes")
        part = table.take(picked).to_pylist()
        for row, text in zip(part, attrs.take(picked).to_pylist(), strict=True):
            row["attributes"] = orjson.loads(text)
            rows.append(row)
    else:
        with jsonl.open("rb") as f:
            for line in f:
                obj = orjson.loads(line)
                if obj.get("category") in wanted:
                    rows.append(obj)
    registry = _registry([r for r in rows if r["category"].startswith("registry.")])
    places = sorted({(p.area, p.address) for p in registry.values()})
    born_year: dict[tuple[str, str], int] = {}
    for p in registry.values():
        key = (p.name, p.birth_date[:4])
        born_year[key] = born_year.get(key, 0) + 1
    # a record later corrected or withdrawn keeps its identifier: a correction must name
    # the subject of the record it supersedes
    superseded = {(r["provider"], r["supersedes"]) for r in rows if r.get("supersedes")}
    rng = np.random.default_rng(seed + 1313)
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    truth: list[dict[str, Any]] = []
    for row in rows:
        if row["category"] not in categories or row["subject"] not in registry:
            continue
        if row.get("supersedes") or row.get("withdrawn"):  # corrections name their subject
            continue
        if (row["provider"], row["ref"]) in superseded:
            continue
        if rng.random() >= share:
            continue
        facts = registry[row["subject"]]
        hint, kind = variant(rng, facts, places)
        chosen[(row["provider"], row["ref"])] = hint
        truth.append(
            {
                "id": record_id(row["provider"], row["ref"]),
                "provider": row["provider"],
                "ref": row["ref"],
                "subject": row["subject"],
                "variation": kind,
                "namesake": born_year[(facts.name, facts.birth_date[:4])] > 1,
            }
        )
    if jsonl.exists():
        _rewrite_jsonl(jsonl, chosen)
    if parquet.exists():
        _rewrite_parquet(parquet, chosen)
    schema = pa.schema(
        [(c, pa.string()) for c in ("id", "provider", "ref", "subject", "variation")]
        + [("namesake", pa.bool_())]
    )
    pq.write_table(pa.Table.from_pylist(truth, schema=schema), out / TRUTH_FILE)
    return [TRUTH_FILE]


def _rewrite_jsonl(path: Path, chosen: Mapping[tuple[str, str], dict[str, Any]]) -> None:
    tmp = path.with_suffix(".jsonl.tmp")
    with path.open("rb") as src, tmp.open("wb") as dst:
        for line in src:
            obj = orjson.loads(line)
            hint = chosen.get((obj.get("provider"), obj.get("ref")))
            if hint is None:
                dst.write(line)
                continue
            obj.pop("subject", None)
            obj["subject_hint"] = hint
            dst.write(orjson.dumps(obj) + b"\n")
    tmp.replace(path)


def _rewrite_parquet(path: Path, chosen: Mapping[tuple[str, str], dict[str, Any]]) -> None:
    table = pq.read_table(path)
    keys = zip(table.column("provider").to_pylist(), table.column("ref").to_pylist(), strict=True)
    hints = [chosen.get(k) for k in keys]
    subjects = [
        None if h is not None else s
        for s, h in zip(table.column("subject").to_pylist(), hints, strict=True)
    ]
    text = [None if h is None else orjson.dumps(h).decode() for h in hints]
    i = table.schema.get_field_index("subject")
    table = table.set_column(i, "subject", pa.array(subjects, pa.string()))
    table = table.append_column("subject_hint", pa.array(text, pa.string()))
    pq.write_table(table, path)


__all__ = ["TRUTH_FILE", "VARIATIONS", "Facts", "hinted_categories", "rewrite", "variant"]
