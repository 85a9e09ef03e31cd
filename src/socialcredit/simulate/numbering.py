"""Document-number series and their allocation.

Every series is numbered per issuer and year from 1, in the order the acts
occurred, so numbers look like a real register's: ``(2025)鲁1082执123号``,
``荣市监罚〔2024〕57号``, ``371082120240000123``. Registry references are built
from the subject's identifier instead (style ``ident``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from socialcredit.simulate.calendar import years_of
from socialcredit.simulate.events import Table

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class DocType:
    style: str  # court | doc | serial | contract | ident
    code: str
    pad: int = 0
    with_area: bool = False


_TYPES: dict[str, DocType] = {
    "none": DocType("ident", ""),
    "court_enforcement": DocType("court", "执"),
    "court_civil": DocType("court", "民初"),
    "court_admin": DocType("court", "行初"),
    "court_criminal": DocType("court", "刑初"),
    "court_sanction": DocType("court", "司惩"),
    "tax_notice": DocType("doc", "税通"),
    "tax_penalty": DocType("doc", "税稽罚"),
    "tax_grade": DocType("doc", "税信评"),
    "market_penalty": DocType("doc", "市监罚"),
    "market_quality": DocType("doc", "市监质罚"),
    "market_food": DocType("doc", "市监食罚"),
    "drug_penalty": DocType("doc", "罚"),
    "market_abnormal": DocType("doc", "市监异"),
    "market_serious": DocType("doc", "市监严违"),
    "loan": DocType("contract", "", 8),
    "p2p": DocType("serial", "P2P", 7),
    "fundraising": DocType("doc", "非集认"),
    "traffic": DocType("serial", "1", 8, True),
    "drunk": DocType("serial", "2", 7, True),
    "fare": DocType("serial", "BP", 8),
    "train": DocType("serial", "JC", 8),
    "blood": DocType("serial", "XX", 7, True),
    "volunteer": DocType("serial", "ZY", 7, True),
    "heroic": DocType("doc", "见义勇为认"),
    "utility": DocType("serial", "QF", 8),
    "police_penalty": DocType("doc", "公行罚决字"),
    "reconsideration": DocType("doc", "政复决字"),
    "supervision": DocType("doc", "督查"),
    "gov_contract": DocType("serial", "ZFHT", 5, True),
    "procurement": DocType("serial", "SDGP", 6, True),
    "appointment": DocType("doc", "组任"),
    "dismissal": DocType("doc", "组免"),
    "reg_person": DocType("ident", "HJ"),
    "reg_residence": DocType("ident", "JZ"),
    "reg_enterprise": DocType("ident", "DJ"),
    "reg_legal_rep": DocType("ident", "FR"),
    "reg_controller": DocType("ident", "KZ"),
    "reg_responsible": DocType("ident", "FZ"),
    "reg_institution": DocType("ident", "JG"),
    "reg_consent": DocType("ident", "TY"),
    "reg_contact": DocType("ident", "LX"),
    "customs": DocType("doc", "关信"),
    "generic": DocType("doc", "文"),
    "market_licence": DocType("doc", "市监许"),
}
NAMES: tuple[str, ...] = tuple(_TYPES)
TYPES: tuple[DocType, ...] = tuple(_TYPES.values())
ID: dict[str, int] = {name: i for i, name in enumerate(NAMES)}


def doc(name: str) -> int:
    """The id of a document series, for the ``doctype`` column."""
    return ID[name]


def allocate(table: Table) -> None:
    """Fill ``year`` (where 0) and number every record of a numbered series, in place.

    Records linked to a parent share its number and year.
    """
    year = table.i64("year")
    missing = year == 0
    year[missing] = years_of(table["occurred"][missing])
    table.cols["year"] = year.astype(np.int16)

    styles = np.array([t.style != "ident" for t in TYPES])
    doctype = table.i64("doctype")
    link = table.i64("link")
    numbered = np.flatnonzero(styles[doctype] & (link < 0))
    if len(numbered):
        occurred = table.i64("occurred")[numbered]
        group = (table.i64("issuer")[numbered] * 64 + doctype[numbered]) * 512 + (
            year[numbered] - 1800
        )
        day = occurred - occurred.min()
        if day.max() >= 1 << 17:
            raise ValueError("simulated period too long for document numbering")
        order = np.argsort(group * (1 << 17) + day, kind="stable")
        g = group[order]
        starts = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
        first = np.repeat(starts, np.diff(np.r_[starts, len(g)]))
        seq = table.i64("seq")
        seq[numbered[order]] = np.arange(len(g)) - first + 1
        table.cols["seq"] = seq.astype(np.int32)
    child = np.flatnonzero(link >= 0)
    if len(child):
        parent = link[child]
        for name in ("seq", "year", "doctype", "issuer"):
            table.cols[name][child] = table.cols[name][parent]
