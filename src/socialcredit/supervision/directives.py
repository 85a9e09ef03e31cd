"""Directives from a higher level and when each addressee implemented them.

A directive (``government.directive``) is a record about the institution it binds, naming
its document number, the jurisdiction bound, a deadline and the task:

* ``list`` / ``measure``: a pack of the jurisdiction (``jurisdiction`` in pack.yaml) that
  declares the list or measure ``target`` is active -- from the store's activations;
* ``pack_version``: a pack of the jurisdiction at version ``target`` or later is active;
* ``data_reporting``: a provider of the jurisdiction has reported category ``target``.

A task already done when the directive was issued is implemented on its issue day. When
the ledger shows nothing, a supervision finding that the directive was implemented late
(``government.directive_late`` about the addressee, naming the directive, with its
``days_late``) dates the implementation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from socialcredit.clock import day_of
from socialcredit.ledger.policy_store import load_version
from socialcredit.policy.pack import Pack
from socialcredit.store.database import Store
from socialcredit.store.tables import activations, providers
from socialcredit.supervision.records import Row

TASKS = ("list", "measure", "pack_version", "data_reporting")


@dataclass(frozen=True)
class Directive:
    record: str
    number: str
    issuer: str  # the provider that reported it
    addressee: str  # the institution it binds
    jurisdiction: str
    task: str
    target: str
    issued: dt.date
    deadline: dt.date


@dataclass(frozen=True)
class Implementation:
    day: dt.date | None  # None: not implemented yet
    evidence: str  # how the day was found
    records: tuple[str, ...] = ()


def read_directives(rows: Iterable[Row]) -> list[Directive]:
    out = []
    for row in rows:
        deadline = row.day("deadline")
        task = row.text("task")
        if deadline is None or task not in TASKS:
            continue
        out.append(
            Directive(
                row.id,
                row.text("directive") or row.ref,
                row.provider,
                row.subject,
                row.text("jurisdiction") or "",
                task,
                row.text("target") or "",
                row.occurred,
                deadline,
            )
        )
    return out


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """A version's parts, numbers compared as numbers ("2026.10" after "2026.9")."""
    parts = re.split(r"[.\-]", version)
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in parts)


@dataclass(frozen=True)
class Timeline:
    """The packs active after each activation, in order: (day, active packs by name)."""

    states: tuple[tuple[dt.date, tuple[Pack, ...]], ...]

    def first_day(self, directive: Directive) -> tuple[dt.date, str] | None:
        """The first day on or after the issue day the task holds, with the pack."""
        before: tuple[Pack, ...] = ()
        later: list[tuple[dt.date, tuple[Pack, ...]]] = []
        for day, packs in self.states:
            if day <= directive.issued:
                before = packs
            else:
                later.append((day, packs))
        for day, packs in [(directive.issued, before), *later]:
            for pack in packs:
                if _done(pack, directive):
                    return day, f"{pack.name}@{pack.version}"
        return None


def _done(pack: Pack, d: Directive) -> bool:
    if pack.meta.jurisdiction != d.jurisdiction:
        return False
    if d.task == "list":
        return d.target in pack.lists
    if d.task == "measure":
        return d.target in pack.measures
    return version_key(pack.version) >= version_key(d.target)


def read_timeline(store: Store) -> Timeline:
    states: list[tuple[dt.date, tuple[Pack, ...]]] = []
    active: dict[str, Pack] = {}
    with store.reader() as conn:
        rows = conn.execute(select(activations).order_by(activations.c.seq)).all()
        for row in rows:
            if row.action == "activate" and row.digest:
                active[row.pack] = load_version(conn, row.digest)
            else:
                active.pop(row.pack, None)
            states.append((day_of(row.activated_at), tuple(active.values())))
    return Timeline(tuple(states))


def providers_by_jurisdiction(store: Store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with store.reader() as conn:
        for pid, jurisdiction in conn.execute(select(providers.c.id, providers.c.jurisdiction)):
            out.setdefault(jurisdiction, set()).add(pid)
    return out


def implementation(
    d: Directive,
    timeline: Timeline,
    reporters: set[str],
    first: dict[tuple[str, str], tuple[dt.date, str]],
    late: Sequence[Row],
) -> Implementation:
    """When the addressee implemented the directive, and the records that show it."""
    findings = tuple(r.id for r in late)
    if d.task == "data_reporting":
        shown = [(*first[(p, d.target)], p) for p in reporters if (p, d.target) in first]
        if shown:
            day, record, provider = min(shown)
            return Implementation(
                max(day, d.issued), f"first report by {provider}", (record, *findings)
            )
    else:
        found = timeline.first_day(d)
        if found is not None:
            return Implementation(found[0], f"pack {found[1]} active", findings)
    for row in late:
        days = row.number("days_late")
        if days is not None:
            day = d.deadline + dt.timedelta(days=int(days))
            return Implementation(day, "implemented late (supervision finding)", findings)
    return Implementation(None, "not implemented", findings)


__all__ = [
    "TASKS",
    "Directive",
    "Implementation",
    "Timeline",
    "implementation",
    "providers_by_jurisdiction",
    "read_directives",
    "read_timeline",
    "version_key",
]
