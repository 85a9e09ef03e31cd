"""Subjects the public pages and the public API show: a listed person with a name, an
enterprise with a registration, a penalty, a licence and a SAMR listing."""

from __future__ import annotations

from typing import Any

from socialcredit.ledger.registry import register_providers
from socialcredit.policy.pack import default_packs
from socialcredit.store.database import Store
from socialcredit.store.public_refs import refs_of

from support.factories import POLICE, ingest_on, person_id
from support.remedies import DEBTOR, FIRM, dishonest, listed_debtor, penalty

DEBTOR_NAME = "欧阳明华"
FIRM_NAME = "荣成市海味食品有限公司"
QUIET = person_id(seq=57)  # a person on no list
QUIET_NAME = "李四"


def person_named(store: Store, subject: str, name: str, day: str = "2025-01-02") -> None:
    register_providers(store, [POLICE], default_packs())
    ingest_on(
        store,
        day,
        {
            "provider": POLICE["id"],
            "ref": f"pop-{subject}",
            "subject": subject,
            "category": "registry.person",
            "occurred_at": day,
            "attributes": {"name": name, "birth_date": "1990-05-12"},
        },
    )


def firm_named(store: Store, subject: str = FIRM, name: str = FIRM_NAME) -> None:
    ingest_on(
        store,
        "2025-01-02",
        {
            "provider": "samr.national",
            "ref": f"reg-{subject}",
            "subject": subject,
            "category": "registry.enterprise",
            "occurred_at": "2025-01-02",
            "attributes": {"name": name, "sector": "food", "area": "371082"},
        },
    )


def licence(ref: str, occurred: str, subject: str = FIRM, **attrs: Any) -> dict[str, Any]:
    return {
        "provider": "samr.national",
        "ref": ref,
        "subject": subject,
        "category": "market.administrative_licence",
        "occurred_at": occurred,
        "attributes": {
            "decision_no": ref,
            "item": "食品经营许可证",
            "reason": "预包装食品销售",
            **attrs,
        },
    }


def public_world(store: Store) -> dict[str, str]:
    """A listed person (the court list), a quiet person, and a firm with a penalty, a
    licence and a SAMR listing; the public references of the three subjects."""
    person_named(store, DEBTOR, DEBTOR_NAME)
    person_named(store, QUIET, QUIET_NAME)
    firm_named(store)
    listed_debtor(store)  # on the court list from 2026-02-04
    ingest_on(
        store,
        "2026-01-10",
        penalty("市监罚〔2026〕7号", "2026-01-10", reason="销售过期食品"),
        licence("市监许〔2025〕12号", "2026-01-10"),
        dishonest("市监严违〔2026〕3号", "2026-01-10"),
    )
    with store.writer() as conn:
        return refs_of(conn, [DEBTOR, QUIET, FIRM])
