"""Saved runs of the supervision analytics, for the supervisors' pages.

The judges' and the jurisdictions' reports take tens of seconds on a city (mostly
exporting a ledger snapshot), so a page cannot compute them per request: ``socialcredit
supervise <kind> --save`` keeps a run in ``supervision_reports`` -- the report's JSON
(the ``to_dict()`` that ``--json`` prints), the chart's SVG (what ``--plot`` writes), its
parameters, as of when the ledger was read and when it was computed -- and
``/dashboards/supervision`` shows the latest of each kind.

Every save is one write transaction with its audit entry (``supervision.report_saved``),
which carries the hashes of the report and the chart: :func:`latest` reads them back and
says whether the stored run still matches its entry (``intact``). The last :data:`KEEP`
runs of each kind are kept; a save removes older ones, naming them in its entry.

A saved run is information for supervisors and auditors, as the analytics are: nothing
that decides reads this table (no engine, list, measure or score; import-linter's
``saved`` contract keeps services and the domain packages from importing this module).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Literal, get_args

import orjson
from sqlalchemy import Connection, delete, select

from socialcredit.clock import naive_utc
from socialcredit.errors import InvalidOption
from socialcredit.store.chain import AuditWriter
from socialcredit.store.content import canonical_json
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log, supervision_reports

Kind = Literal["judges", "officials", "jurisdictions", "providers"]
KINDS: tuple[Kind, ...] = get_args(Kind)
KEEP = 20  # runs kept per kind
EVENT = "supervision.report_saved"


@dataclass(frozen=True)
class Run:
    """One computed run of an analytic, ready to save."""

    kind: Kind
    known_at: dt.datetime  # the ledger as known at this instant
    parameters: dict[str, Any]
    report: dict[str, Any]  # the report's to_dict()
    svg: str  # the chart
    seconds: float = 0.0  # what computing it took


@dataclass(frozen=True)
class SavedReport:
    id: str
    kind: Kind
    known_at: dt.datetime
    computed_at: dt.datetime
    seconds: float
    parameters: dict[str, Any]
    report: dict[str, Any]
    svg: str
    audit_seq: int
    intact: bool  # the report and the chart still hash to what the audit entry holds

    def summary(self) -> dict[str, Any]:
        """What the CLI says of a saved run (without the report and the chart)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "known_at": self.known_at.replace(tzinfo=dt.UTC).isoformat(),
            "computed_at": self.computed_at.replace(tzinfo=dt.UTC).isoformat(),
            "seconds": round(self.seconds, 3),
            "parameters": self.parameters,
            "audit_seq": self.audit_seq,
        }


def require_kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise InvalidOption(
            f"no supervision analytic named {kind!r}; there are {', '.join(KINDS)}", field="kind"
        )
    return kind


def plain(value: Any) -> Any:
    """``value`` as JSON reads it back: what ``--json`` prints (numpy numbers as numbers,
    dates and anything else as their text)."""
    options = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
    return orjson.loads(orjson.dumps(value, default=str, option=options))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def save(store: Store, run: Run) -> SavedReport:
    """Save ``run`` with its audit entry in one transaction, and drop the runs of its kind
    beyond the last :data:`KEEP`."""
    kind = require_kind(run.kind)
    now = naive_utc(store.clock.now())
    known_at = naive_utc(run.known_at)
    run_id = f"SUP-{kind}-{now:%Y%m%d%H%M%S}-{secrets.token_hex(4)}"
    body, params = plain(run.report), plain(run.parameters)
    report = canonical_json(body)
    parameters = canonical_json(params)
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        kept = conn.execute(
            select(supervision_reports.c.id)
            .where(supervision_reports.c.kind == kind)
            .order_by(
                supervision_reports.c.computed_at.desc(),
                supervision_reports.c.audit_seq.desc(),
            )
        ).scalars()
        pruned = sorted(list(kept)[KEEP - 1 :])
        audit.append(
            EVENT,
            run_id,
            {
                "id": run_id,
                "kind": kind,
                "known_at": known_at.isoformat(),
                "computed_at": now.isoformat(),
                "parameters": params,
                "report_sha256": _sha256(report),
                "svg_sha256": _sha256(run.svg),
                "pruned": pruned,
            },
        )
        conn.execute(
            supervision_reports.insert().values(
                id=run_id,
                kind=kind,
                known_at=known_at,
                computed_at=now,
                seconds=float(run.seconds),
                parameters=parameters,
                report=report,
                svg=run.svg,
                audit_seq=audit.seq,
            )
        )
        if pruned:
            conn.execute(delete(supervision_reports).where(supervision_reports.c.id.in_(pruned)))
    return SavedReport(
        run_id, kind, known_at, now, run.seconds, params, body, run.svg,
        audit.seq, True,
    )  # fmt: skip


def latest(store: Store) -> dict[Kind, SavedReport | None]:
    """The latest saved run of each kind (None: never saved), checked against its entry."""
    with store.reader() as conn:
        return {kind: _latest(conn, kind) for kind in KINDS}


def latest_of(store: Store, kind: str) -> SavedReport | None:
    with store.reader() as conn:
        return _latest(conn, require_kind(kind))


def runs(store: Store, kind: str) -> list[dict[str, Any]]:
    """The saved runs of ``kind``, the latest first, without their report and chart."""
    t = supervision_reports
    with store.reader() as conn:
        rows = conn.execute(
            select(t.c.id, t.c.known_at, t.c.computed_at, t.c.seconds, t.c.parameters,
                   t.c.audit_seq)
            .where(t.c.kind == require_kind(kind))
            .order_by(t.c.computed_at.desc(), t.c.audit_seq.desc())
        ).all()  # fmt: skip
    return [
        {
            "id": r.id,
            "kind": kind,
            "known_at": r.known_at.replace(tzinfo=dt.UTC).isoformat(),
            "computed_at": r.computed_at.replace(tzinfo=dt.UTC).isoformat(),
            "seconds": round(r.seconds, 3),
            "parameters": orjson.loads(r.parameters),
            "audit_seq": r.audit_seq,
        }
        for r in rows
    ]


def _latest(conn: Connection, kind: Kind) -> SavedReport | None:
    t = supervision_reports
    row = conn.execute(
        select(t)
        .where(t.c.kind == kind)
        .order_by(t.c.computed_at.desc(), t.c.audit_seq.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    entry = conn.execute(
        select(audit_log.c.event, audit_log.c.ref, audit_log.c.payload).where(
            audit_log.c.seq == row.audit_seq
        )
    ).first()
    intact = False
    if entry is not None and entry.event == EVENT and entry.ref == row.id:
        held = orjson.loads(entry.payload)
        intact = held.get("report_sha256") == _sha256(row.report) and held.get(
            "svg_sha256"
        ) == _sha256(row.svg)
    return SavedReport(
        id=row.id,
        kind=kind,
        known_at=row.known_at,
        computed_at=row.computed_at,
        seconds=row.seconds,
        parameters=orjson.loads(row.parameters),
        report=orjson.loads(row.report),
        svg=row.svg,
        audit_seq=row.audit_seq,
        intact=intact,
    )


__all__ = [
    "EVENT",
    "KEEP",
    "KINDS",
    "Kind",
    "Run",
    "SavedReport",
    "latest",
    "latest_of",
    "plain",
    "require_kind",
    "runs",
    "save",
]
