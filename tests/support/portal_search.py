"""Registered names for the search tests: persons from the population registry,
enterprises from market regulation, institutions from the courts' registry."""

from __future__ import annotations

from typing import Any

from socialcredit.ledger.registry import register_providers
from socialcredit.policy.pack import default_packs
from socialcredit.store.database import Store

from support.factories import POLICE, ingest_on, org_id, person_id

DAY = "2026-01-02"
ZHANG_WEI = person_id(seq=101)
OUYANG = person_id(seq=102)
HAIRUN = org_id(code="MA3C4D5F1")
HAIRUN_NAME = "荣成市海润食品有限公司"
COURT = org_id(dept="1", kind="1", code="MA3C4D5F2")
COURT_NAME = "荣成市人民法院"


def person_record(subject: str, name: str, ref: str, **over: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "provider": POLICE["id"],
        "ref": ref,
        "subject": subject,
        "category": "registry.person",
        "occurred_at": "2010-01-01",
        "attributes": {"name": name, "birth_date": "1990-05-12"},
    }
    rec.update(over)
    return rec


def enterprise_record(subject: str, name: str, ref: str, **over: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "provider": "samr.national",
        "ref": ref,
        "subject": subject,
        "category": "registry.enterprise",
        "occurred_at": "2015-03-01",
        "attributes": {"name": name, "sector": "food"},
    }
    rec.update(over)
    return rec


def institution_record(subject: str, name: str, ref: str) -> dict[str, Any]:
    return {
        "provider": "spc.national",
        "ref": ref,
        "subject": subject,
        "category": "registry.institution",
        "occurred_at": "2000-01-01",
        "attributes": {"name": name, "type": "court", "level": "county"},
    }


def register(store: Store, *rows: dict[str, Any]) -> None:
    """Ingest registrations through the standard ingestor (police provider registered)."""
    register_providers(store, [POLICE], default_packs())
    ingest_on(store, DAY, *rows)


def town(store: Store) -> None:
    """张伟, 欧阳娜娜, an enterprise and a court, and a few names near them."""
    register(
        store,
        person_record(ZHANG_WEI, "张伟", "pop-zw"),
        person_record(OUYANG, "欧阳娜娜", "pop-oy"),
        person_record(person_id(seq=103), "张薇薇", "pop-zww"),
        person_record(person_id(seq=104), "李明", "pop-lm"),
        enterprise_record(HAIRUN, HAIRUN_NAME, "reg-hr"),
        enterprise_record(org_id(code="MA3C4D5F3"), "威海市华瑞机械有限公司", "reg-hrj"),
        enterprise_record(org_id(code="MA3C4D5F4"), "荣成市海鑫渔具有限公司", "reg-hx"),
        institution_record(COURT, COURT_NAME, "inst-court"),
    )
