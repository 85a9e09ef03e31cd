"""A synthetic ledger snapshot for the batch benchmark, generated vectorised (numpy, pyarrow).

Same columns as ``socialcredit.engine.batch.snapshot``; attributes are canonical JSON
text (sorted keys, numbers of `number` type as floats like ``50000.0``). The category mix
follows a city's: mostly traffic tickets, tax and loan arrears, market penalties, court
judgments with some performed, a food sector, volunteer hours and consent in Rongcheng,
legal representatives and controllers of enterprises, about 1% corrections and 0.5%
withdrawals.

Large ledgers are generated in parts of at most ``PART`` records, each written to the
Parquet files before the next is drawn, so that memory stays bounded: every part is a
population of its own (identifiers numbered on from the previous part's), with its own
registry and conduct records and its own corrections and withdrawals, and ``seq`` and
``id`` numbered on, so that they stay unique and increasing across parts. A ledger of at
most ``PART`` records is one part.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from socialcredit.engine.batch import Snapshot, SnapshotWriter

END = dt.date(2026, 6, 30)
AT = dt.datetime.combine(END, dt.time(4))  # noon in Beijing: the snapshot's known_at
AREAS = ("371082", "371002", "371083", "370102", "370203", "110105", "310115", "440305")
RONGCHENG = "371082"
# share of conduct records per category (the rest of the ledger is registry records)
MIX = {
    "transport.traffic_violation": 0.34,
    "tax.arrears": 0.12,
    "finance.loan_default": 0.10,
    "market.administrative_penalty": 0.09,
    "judicial.judgment_default": 0.06,
    "judicial.judgment_fulfilled": 0.03,
    "market.food_safety_violation": 0.02,
    "civic.volunteer_hours": 0.08,
    "registry.person": 0.06,
}
PENALTIES = ("warning", "fine", "fine", "fine", "confiscation", "suspension", "licence_revoked")
SECTORS = ("food", "retail", "logistics", "construction", "manufacturing")
PART = 5_000_000  # records generated in memory at once, at most


def _s(values: np.ndarray | pa.Array) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _pick(rng: np.random.Generator, choices: tuple[str, ...], n: int) -> pa.Array:
    return pa.array(np.array(choices)[rng.integers(0, len(choices), n)])


def _ids(prefix: np.ndarray, index: np.ndarray, width: int) -> pa.Array:
    return _join(pa.array(prefix), pc.utf8_lpad(_s(index), width, "0"))


@dataclass(frozen=True)
class _Start:
    """Where a part's numbering starts: the first person's and enterprise's index, and
    the number of records in the parts before it."""

    person: int = 0
    enterprise: int = 0
    records: int = 0


class _Population:
    def __init__(self, rng: np.random.Generator, records: int, start: _Start) -> None:
        self.persons = max(10, records // 8)
        self.enterprises = max(4, records // 40)
        areas = np.array(AREAS)
        p_area = areas[rng.choice(len(AREAS), self.persons, p=_area_weights())]
        e_area = areas[rng.choice(len(AREAS), self.enterprises, p=_area_weights())]
        self.person_ids = _ids(p_area, np.arange(self.persons) + start.person, 12)
        self.org_ids = _ids(
            np.char.add("91", e_area), np.arange(self.enterprises) + start.enterprise, 10
        )
        self.person_area = p_area
        self.enterprise_area = e_area
        self.subjects = pa.table(
            {
                "id": pa.concat_arrays([self.person_ids, self.org_ids]),
                "kind": pa.array(["person"] * self.persons + ["enterprise"] * self.enterprises),
            }
        )


def _area_weights() -> np.ndarray:
    w = np.array([3.0, 2, 1, 2, 2, 1, 1, 1])
    return w / w.sum()


def _days(rng: np.random.Generator, n: int, years: int = 4) -> np.ndarray:
    return (np.datetime64(END) - rng.integers(0, 365 * years, n)).astype("datetime64[D]")


def _conduct(rng: np.random.Generator, pop: _Population, category: str, n: int) -> pa.Table:
    """n records of one category, with subjects and attributes."""
    num = lambda lo, hi: _join(_s(rng.integers(lo, hi, n)), ".0")  # noqa: E731
    ref = _s(rng.integers(0, 10**9, n))
    persons_only = category in (
        "transport.traffic_violation",
        "civic.volunteer_hours",
        "registry.person",
    )
    orgs_only = category in ("market.administrative_penalty", "market.food_safety_violation")
    if persons_only:
        subject = pc.take(pop.person_ids, pa.array(rng.integers(0, pop.persons, n)))
    elif orgs_only:
        subject = pc.take(pop.org_ids, pa.array(rng.integers(0, pop.enterprises, n)))
    else:
        who = rng.random(n) < 0.7
        p = pc.take(pop.person_ids, pa.array(rng.integers(0, pop.persons, n)))
        o = pc.take(pop.org_ids, pa.array(rng.integers(0, pop.enterprises, n)))
        subject = pc.if_else(pa.array(who), p, o)
    match category:
        case "transport.traffic_violation":
            attrs = _join(
                '{"fine":',
                num(50, 2000),
                ',"offence":"speeding","penalty_points":',
                _s(rng.integers(0, 13, n)),
                ',"ticket_no":"T',
                ref,
                '"}',
            )
        case "tax.arrears":
            attrs = _join(
                '{"amount":',
                num(100, 200_000),
                ',"months":',
                _s(rng.integers(1, 36, n)),
                ',"notice_no":"N',
                ref,
                '","tax_type":"vat"}',
            )
        case "finance.loan_default":
            attrs = _join(
                '{"amount":',
                num(1_000, 500_000),
                ',"contract":"loan","contract_no":"L',
                ref,
                '","months_overdue":',
                _s(rng.integers(1, 24, n)),
                "}",
            )
        case "market.administrative_penalty":
            attrs = _join(
                '{"amount":',
                num(0, 100_000),
                ',"decision_no":"D',
                ref,
                '","penalty":"',
                _pick(rng, PENALTIES, n),
                '","sector":"',
                _pick(rng, SECTORS, n),
                '"}',
            )
        case "judicial.judgment_default" | "judicial.judgment_fulfilled":
            # case numbers from a small pool per subject, so that fulfilments meet defaults
            case = _join("(2025)鲁执", _s(rng.integers(0, 3, n)), "号")
            if category.endswith("default"):
                attrs = _join(
                    '{"amount":',
                    num(1_000, 1_000_000),
                    ',"case_no":"',
                    case,
                    '","ground":"able_but_refuses"}',
                )
            else:
                attrs = _join('{"case_no":"', case, '","how":"paid_in_full"}')
        case "market.food_safety_violation":
            attrs = _join('{"decision_no":"F', ref, '","harm":"none_found","product":"milk"}')
        case "civic.volunteer_hours":
            attrs = _join('{"activity":"community","hours":', num(1, 40), "}")
        case _:
            attrs = _join('{"name":"N', ref, '"}')
    return _frame(rng, category, subject, attrs, _days(rng, n))


def _frame(
    rng: np.random.Generator,
    category: str,
    subject: pa.Array,
    attrs: pa.Array,
    occurred: np.ndarray,
) -> pa.Table:
    n = len(subject)
    lag = rng.integers(0, 30 * 24 * 3600, n).astype("timedelta64[s]")
    recorded = occurred.astype("datetime64[s]") + np.timedelta64(86_400, "s") + lag
    return pa.table(
        {
            "subject": subject,
            "category": pa.array([category] * n),
            "occurred_at": pa.array(occurred, pa.date32()),
            "recorded_at": pa.array(recorded.astype("datetime64[us]")),
            "attributes": attrs,
        }
    )


def _registry(rng: np.random.Generator, pop: _Population) -> list[pa.Table]:
    e = pop.enterprises
    # where subjects are (engine/scope.py): a residence record per person (most in the
    # area their number was issued in, a tenth elsewhere) and a registration per firm
    moved = rng.random(pop.persons) < 0.1
    lives = np.where(
        moved, np.array(AREAS)[rng.integers(0, len(AREAS), pop.persons)], pop.person_area
    )
    settled = _days(rng, pop.persons, 8)
    tables = [
        _frame(
            rng,
            "registry.residence",
            pop.person_ids,
            _join('{"area":"', pa.array(lives), '","since":"', pa.array(settled.astype(str)), '"}'),
            settled,
        ),
        _frame(
            rng,
            "registry.enterprise",
            pop.org_ids,
            _join('{"area":"', pa.array(pop.enterprise_area), '","name":"E"}'),
            _days(rng, e, 8),
        ),
    ]
    lr_person = pc.take(pop.person_ids, pa.array(rng.integers(0, pop.persons, e)))
    tables += [
        _frame(
            rng,
            "registry.legal_representative",
            pop.org_ids,
            _join('{"person":"', lr_person, '"}'),
            _days(rng, e, 8),
        ),
    ]
    ctl = rng.random(e) < 0.3
    orgs = pc.filter(pop.org_ids, pa.array(ctl))
    people = pc.take(pop.person_ids, pa.array(rng.integers(0, pop.persons, len(orgs))))
    tables.append(
        _frame(
            rng,
            "registry.controller",
            orgs,
            _join('{"person":"', people, '"}'),
            _days(rng, len(orgs), 8),
        )
    )
    local = np.flatnonzero(lives == RONGCHENG)
    asked = local[rng.random(len(local)) < 0.6]
    given = np.where(rng.random(len(asked)) < 0.85, "true", "false")
    tables.append(
        _frame(
            rng,
            "registry.consent",
            pc.take(pop.person_ids, pa.array(asked)),
            _join('{"given":', pa.array(given), ',"scheme":"rongcheng"}'),
            _days(rng, len(asked), 3),
        )
    )
    return tables


def parts(records: int, part: int = PART) -> list[int]:
    """Records per part: as few parts as hold ``records`` with at most ``part`` each."""
    n = max(1, -(-records // part))
    return [records // n + (i < records % n) for i in range(n)]


def generate_parts(records: int, seed: int = 1, part: int = PART) -> Iterator[dict[str, pa.Table]]:
    """About ``records`` records as snapshot tables, part by part (see the module's doc)."""
    sizes = parts(records, part)
    start = _Start()
    for k, size in enumerate(sizes):
        rng = np.random.default_rng(seed if len(sizes) == 1 else (seed, k))
        tables, pop = _part(rng, size, start)
        yield tables
        start = _Start(
            start.person + pop.persons,
            start.enterprise + pop.enterprises,
            start.records + tables["records"].num_rows,
        )
        del tables, pop  # not held while the next part is drawn


def generate(records: int, seed: int = 1, part: int = PART) -> dict[str, pa.Table]:
    """About ``records`` records (and their subjects and links) as snapshot tables, in
    memory."""
    tables = list(generate_parts(records, seed, part))
    return {name: pa.concat_tables([t[name] for t in tables]) for name in tables[0]}


def _part(
    rng: np.random.Generator, records: int, start: _Start
) -> tuple[dict[str, pa.Table], _Population]:
    pop = _Population(rng, records, start)
    parts = _registry(rng, pop)
    conduct = max(0, records - sum(t.num_rows for t in parts))
    base = int(conduct / 1.015)
    for category, share in MIX.items():
        parts.append(_conduct(rng, pop, category, int(base * share / sum(MIX.values()))))
    table = pa.concat_tables(parts)
    del parts
    table = table.append_column("uid", pa.array(np.arange(table.num_rows)))
    table = table.append_column("supersedes_uid", pa.nulls(table.num_rows, pa.int64()))
    table = table.append_column("withdrawn", pa.array(np.zeros(table.num_rows, bool)))
    fixes = _fixes(rng, table, conduct - base)
    table = pa.concat_tables([table, fixes]).sort_by("recorded_at")
    del fixes
    n = table.num_rows
    seq = np.arange(1, n + 1) + start.records
    ids = pc.utf8_lpad(_s(seq), 32, "0")
    by_uid = pc.take(ids, pc.sort_indices(table["uid"]))
    supersedes = pc.take(by_uid, table["supersedes_uid"])
    del by_uid
    records_table = pa.table(
        {
            "seq": seq,
            "id": ids,
            "provider": pa.array(["bench"] * n),
            "subject": table["subject"],
            "category": table["category"],
            "occurred_at": table["occurred_at"],
            "recorded_at": table["recorded_at"],
            "attributes": table["attributes"],
            "supersedes": supersedes,
            "withdrawn": table["withdrawn"],
        }
    )
    del table
    role = pc.is_in(
        records_table["category"],
        pa.array(["registry.legal_representative", "registry.controller"]),
    )
    roles = records_table.filter(pc.and_(role, pc.invert(records_table["withdrawn"])))
    links = pa.table(
        {
            "seq": roles["seq"],
            "attr": pa.array(["person"] * roles.num_rows),
            "subject": roles["subject"],
            "category": roles["category"],
            "target": pc.utf8_slice_codeunits(roles["attributes"], 11, 29),
        }
    )
    tables = {"records": records_table, "subjects": pop.subjects, "record_links": links}
    return tables, pop


def _fixes(rng: np.random.Generator, table: pa.Table, n: int) -> pa.Table:
    """Corrections (two thirds: amounts changed) and withdrawals of earlier records."""
    registry = pc.starts_with(table["category"], "registry.")
    conduct = np.flatnonzero(~registry.to_numpy())
    target = pa.array(rng.choice(conduct, n, replace=False) if n else np.array([], int))
    orig = table.take(target)
    withdrawn = rng.random(n) < 1 / 3
    attrs = pc.if_else(
        pa.array(withdrawn),
        pa.scalar("{}"),
        pc.replace_substring_regex(orig["attributes"], r'"amount":(\d+)\.0', r'"amount":\1.5'),
    )
    lag = rng.integers(1, 90 * 24 * 3600, n).astype("timedelta64[s]")
    recorded = pc.add(orig["recorded_at"], pa.array(lag.astype("timedelta64[us]")))
    return pa.table(
        {
            "subject": orig["subject"],
            "category": orig["category"],
            "occurred_at": orig["occurred_at"],
            "recorded_at": recorded,
            "attributes": attrs,
            "uid": pa.array(np.arange(n) + table.num_rows),
            "supersedes_uid": target,
            "withdrawn": pa.array(withdrawn),
        }
    )


def write(folder: Path, records: int, seed: int = 1, part: int = PART) -> Snapshot:
    """Generate the ledger into a snapshot in ``folder``, one part in memory at a time."""
    with SnapshotWriter(folder, AT) as writer:
        for tables in generate_parts(records, seed, part):
            writer.write(tables)
            del tables
    return writer.snapshot()
