"""Builders for the supervision tests: a county with two market regulators that report
decisions, bodies that award procurement contracts, their officials and suppliers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socialcredit.ledger.registry import register_providers
from socialcredit.policy.pack import default_packs
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.factories import org_id, person_id

# providers: two market regulators (each an institution), the organisation department,
# government supervision, procurement centres
MARKET_A = "market.371082"
MARKET_B = "market.371002"
ORGANISATION = "organisation.371000"
SUPERVISION = "government_supervision.371000"
PROCUREMENT = "procurement.371082"
PROVIDERS = [
    {"id": MARKET_A, "kind": "market", "name": "荣成市市场监督管理局", "jurisdiction": "371082"},
    {"id": MARKET_B, "kind": "market", "name": "环翠区市场监督管理局", "jurisdiction": "371002"},
    {"id": ORGANISATION, "kind": "organisation", "name": "市委组织部", "jurisdiction": "371000"},
    {
        "id": SUPERVISION,
        "kind": "government_supervision",
        "name": "威海市人民政府督查室",
        "jurisdiction": "371000",
    },
    {"id": PROCUREMENT, "kind": "procurement", "name": "政府采购中心", "jurisdiction": "371082"},
]

# institutions: A and B report under their provider ids; C and D report nothing
INST_A = org_id(dept="1", kind="1", area="371082", code="00000001A")
INST_B = org_id(dept="1", kind="1", area="371002", code="00000002B")
INST_C = org_id(dept="1", kind="1", area="371082", code="00000003C")
INST_D = org_id(dept="1", kind="2", area="371082", code="00000004D")
# officials
HEAD_A = person_id(area="110105", birth="19700101", seq=11)
DEPUTY_A = person_id(area="110105", birth="19710101", seq=13)
HEAD_B = person_id(area="110105", birth="19720101", seq=15)
# enterprises
FIRM = org_id(code="MA3C4D5E7")
SUP1 = org_id(code="MA1GYT001")
SUP2 = org_id(code="MA1GYT002")
SUP3 = org_id(code="MA1GYT003")
SUP4 = org_id(code="MA1GYT004")


def setup(store: Store) -> None:
    register_providers(store, PROVIDERS, default_packs())


def ingest(store: Store, *rows: dict[str, Any]) -> None:
    result = ingestor(store).ingest_dicts(rows)
    assert result.rejected == 0, result.errors


def record(
    by: str, ref: str, subject: str, category: str, occurred: str, /, **attrs: Any
) -> dict[str, Any]:
    """A record of ``by``; ``reported_at`` among the attributes is the record's own."""
    reported = attrs.pop("reported_at", None)
    out: dict[str, Any] = {
        "provider": by,
        "ref": ref,
        "subject": subject,
        "category": category,
        "occurred_at": occurred,
        "attributes": attrs,
    }
    if reported is not None:
        out["reported_at"] = reported
    return out


def institution(
    subject: str, name: str, type_: str = "government", level: str = "county", **extra: Any
) -> dict[str, Any]:
    return record(
        ORGANISATION,
        f"reg-{subject}",
        subject,
        "registry.institution",
        "2000-01-01",
        name=name,
        type=type_,
        level=level,
        **extra,
    )


def office(
    person: str, inst: str, start: str, title: str = "局长", ended: str | None = None
) -> list[dict[str, Any]]:
    rows = [
        record(
            ORGANISATION, f"appoint-{person}-{inst}", person, "registry.office", start,
            institution=inst, title=title,
        )
    ]  # fmt: skip
    if ended is not None:
        rows.append(
            record(
                ORGANISATION, f"dismiss-{person}-{inst}", person, "registry.office", ended,
                institution=inst, title=title, ended=ended,
            )
        )  # fmt: skip
    return rows


def units(known: str = "2026-03-02") -> list[dict[str, Any]]:
    """The four institutions and three officials (the deputy of A left on 2025-06-30),
    as the registry could report them on day ``known``."""
    rows = [
        institution(INST_A, "荣成市市场监督管理局", provider=MARKET_A),
        institution(INST_B, "环翠区市场监督管理局", provider=MARKET_B),
        institution(INST_C, "荣成市住房和城乡建设局"),
        institution(INST_D, "荣成市人民医院", type_="public_institution"),
        *office(HEAD_A, INST_A, "2020-01-01"),
        *office(DEPUTY_A, INST_A, "2020-01-01", title="副局长", ended="2025-06-30"),
        *office(HEAD_B, INST_B, "2020-01-01"),
    ]
    return [r for r in rows if r["occurred_at"] <= known]


def penalty(
    provider: str, ref: str, occurred: str, reported: str | None = None, subject: str = FIRM
) -> dict[str, Any]:
    return record(
        provider, ref, subject, "market.administrative_penalty", occurred,
        decision_no=ref, penalty="fine", amount=5000, reported_at=reported or occurred,
    )  # fmt: skip


def licence(provider: str, ref: str, occurred: str, reported: str) -> dict[str, Any]:
    return record(
        provider, ref, FIRM, "market.administrative_licence", occurred,
        decision_no=ref, item="食品经营许可", reported_at=reported,
    )  # fmt: skip


def overturned(subject: str, ref: str, occurred: str) -> dict[str, Any]:
    return record(
        SUPERVISION, ref, subject, "government.decision_overturned", occurred,
        case_no=ref, overturned_by="court",
    )  # fmt: skip


def award(
    inst: str, ref: str, occurred: str, supplier: str, amount: float, method: str = "inquiry"
) -> dict[str, Any]:
    return record(
        PROCUREMENT, ref, inst, "government.procurement_award", occurred,
        project_no=ref, supplier=supplier, amount=amount, method=method,
    )  # fmt: skip


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
