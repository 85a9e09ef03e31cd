"""What the ledger holds: subjects by kind, records by domain, category and provider."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from socialcredit.store.tables import audit_log, categories, providers, records, subjects


@dataclass(frozen=True)
class LedgerSummary:
    subjects_by_kind: dict[str, int]
    officials: int
    records_by_domain: dict[str, int]
    records_by_provider_kind: dict[str, int]
    records_by_category: dict[str, int]
    records: int
    providers: int
    audit_entries: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def summarise(conn: Connection) -> LedgerSummary:
    by_kind = {
        r.kind: r.n
        for r in conn.execute(
            select(subjects.c.kind, func.count().label("n")).group_by(subjects.c.kind)
        )
    }
    officials = (
        conn.execute(
            select(func.count(func.distinct(records.c.subject))).where(
                records.c.category == "registry.office"
            )
        ).scalar()
        or 0
    )
    by_cat = {
        r.category: r.n
        for r in conn.execute(
            select(records.c.category, func.count().label("n")).group_by(records.c.category)
        )
    }
    domain_of = {
        r.name: r.domain or r.kind
        for r in conn.execute(select(categories.c.name, categories.c.domain, categories.c.kind))
    }
    by_domain: dict[str, int] = {}
    for cat, n in by_cat.items():
        key = domain_of.get(cat, "unknown")
        by_domain[key] = by_domain.get(key, 0) + n
    by_provider = {
        r.kind: r.n
        for r in conn.execute(
            select(providers.c.kind, func.count().label("n"))
            .select_from(records.join(providers, providers.c.id == records.c.provider))
            .group_by(providers.c.kind)
        )
    }
    return LedgerSummary(
        subjects_by_kind=dict(sorted(by_kind.items())),
        officials=int(officials),
        records_by_domain=dict(sorted(by_domain.items())),
        records_by_provider_kind=dict(sorted(by_provider.items(), key=lambda kv: -kv[1])),
        records_by_category=dict(sorted(by_cat.items())),
        records=sum(by_cat.values()),
        providers=conn.execute(select(func.count()).select_from(providers)).scalar() or 0,
        audit_entries=conn.execute(select(func.count()).select_from(audit_log)).scalar() or 0,
    )
