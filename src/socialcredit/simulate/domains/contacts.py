"""Contact details subjects give the platform for notices, and their consent per channel.

Each subject may give a mobile number (``sms``), an e-mail address (``email``)
and a postal address (``post``), each with or without consent to receive
notices there; a few change an address later (a new record for the channel).
Shares are modelled, not published. Persons and organisations that exist at
the start give them in the first months; newer enterprises after registering.
E-mail addresses use the reserved ``.example`` domains (RFC 2606), so the demo
can never mail a real person.

Slots: ``a`` channel (0 email, 1 sms, 2 post), ``b`` consent given (1) or not
(0), ``c`` the number an address is made from, ``d`` the postal area and
subdistrict; ``seq`` tells a subject's records apart.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from socialcredit.simulate import numbering
from socialcredit.simulate.domains.common import Fields, Renderer
from socialcredit.simulate.events import Table, block
from socialcredit.simulate.geography import AREAS, DISTRICTS
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import ENTERPRISE, INSTITUTION, PERSON, World

I64 = npt.NDArray[np.int64]

CHANNELS = ("email", "sms", "post")
# (share giving the channel, share of those consenting), by kind: modelled
SHARES = {
    PERSON: ((0.40, 0.85), (0.75, 0.90), (0.15, 0.95)),
    ENTERPRISE: ((0.85, 0.95), (0.30, 0.90), (0.40, 0.90)),
    INSTITUTION: ((0.90, 1.00), (0.10, 1.00), (0.50, 1.00)),
}
CHANGED = 0.05  # share of given addresses replaced later
PERSON_MAIL = ("qq.example", "163.example", "126.example", "sina.example", "mail.example")
ORG_MAIL = ("corp.example", "mail.example", "office.example")
MOBILE_PREFIX = ("13", "15", "17", "18", "19")
SUBDISTRICTS = 32  # postal slots per area: d = area * SUBDISTRICTS + subdistrict


def _places() -> list[str]:
    """Postal area and subdistrict names, ``SUBDISTRICTS`` slots per area."""
    out: list[str] = []
    for area in AREAS:
        district = area if area.subdistricts else DISTRICTS[0]  # city bodies: Huancui
        names = district.subdistricts
        prefix = "山东省" + ("" if district.name.startswith("威海市") else "威海市")
        for k in range(SUBDISTRICTS):
            out.append(prefix + district.name + names[k % len(names)])
    return out


def _kind_rows(world: World, kind: int) -> tuple[I64, I64]:
    """Subjects of ``kind`` and the day each can first give its contacts."""
    w = world.window
    if kind == PERSON:
        subjects = np.arange(world.persons.count, dtype=np.int64)
        since = np.full(len(subjects), w.start, dtype=np.int64)
    elif kind == ENTERPRISE:
        subjects = np.arange(world.enterprises.count, dtype=np.int64) + world.enterprise0
        since = np.maximum(world.enterprises.established.astype(np.int64), w.start)
    else:
        subjects = np.arange(world.institutions.count, dtype=np.int64) + world.institution0
        since = np.full(len(subjects), w.start, dtype=np.int64)
    return subjects, since


def generate(world: World) -> list[Table]:
    rng = world.rng("contacts")
    w = world.window
    provider = world.providers.at("platform_contacts", -1)
    blocks: list[Table] = []
    for kind, shares in SHARES.items():
        subjects, since = _kind_rows(world, kind)
        for channel, (given, consent) in enumerate(shares):
            has = np.flatnonzero(rng.random(len(subjects)) < given)
            if len(has) == 0:
                continue
            who = subjects[has]
            day = np.minimum(since[has] + rng.integers(0, 120, len(has)), w.end)
            keep = day >= since[has]
            who, day = who[keep], day[keep]
            n = len(who)
            consents = (rng.random(n) < consent).astype(np.int64)
            area = world.subject_area[who]
            place = area * SUBDISTRICTS + rng.integers(0, SUBDISTRICTS, n)
            number = rng.integers(10_000_000, 2_000_000_000, n)
            common = {"subject": who, "category": world.cat["registry.contact"]}
            blocks.append(
                block(
                    n,
                    **common,
                    provider=provider,
                    occurred=day,
                    reported=day,
                    doctype=numbering.doc("reg_contact"),
                    a=channel,
                    b=consents,
                    c=number,
                    d=place,
                    seq=channel * 10 + 1,
                )
            )
            moved = np.flatnonzero((rng.random(n) < CHANGED) & (day < w.end - 30))
            later = day[moved] + (rng.random(len(moved)) * (w.end - day[moved])).astype(np.int64)
            blocks.append(
                block(
                    len(moved),
                    subject=who[moved],
                    category=world.cat["registry.contact"],
                    provider=provider,
                    occurred=later,
                    reported=later,
                    doctype=numbering.doc("reg_contact"),
                    a=channel,
                    b=consents[moved],
                    c=rng.integers(10_000_000, 2_000_000_000, len(moved)),
                    d=place[moved],
                    seq=channel * 10 + 2,
                )
            )
    return blocks


def _contact(r: Rows) -> Fields:
    person = r.subject < r.world.enterprise0
    mail = np.where(
        person,
        r.c % len(PERSON_MAIL),
        len(PERSON_MAIL) + r.c % len(ORG_MAIL),
    )
    domains = jsonfmt.table([*PERSON_MAIL, *ORG_MAIL], quoted=False)
    local = jsonfmt.join(
        jsonfmt.take(jsonfmt.table(["", "office"], quoted=False), (~person).astype(np.int64)),
        jsonfmt.text(r.c),
    )
    email = jsonfmt.join(local, "@", jsonfmt.take(domains, mail))
    mobile = jsonfmt.join(
        jsonfmt.take(jsonfmt.table(MOBILE_PREFIX, quoted=False), r.c % len(MOBILE_PREFIX)),
        jsonfmt.padded(r.c % 1_000_000_000, 9),
    )
    post = jsonfmt.join(
        jsonfmt.take(jsonfmt.table(_places(), quoted=False), r.d),
        jsonfmt.text(r.c % 300 + 1),
        "号",
    )
    channel = r.a
    address = _choose(channel, email, mobile, post)
    return {
        "channel": jsonfmt.enum(channel, CHANNELS),
        "address": jsonfmt.quote(address),
        "consent": jsonfmt.boolean(r.b == 1),
    }


def _choose(codes: I64, *options: pa.Array) -> pa.Array:
    """Row by row, the option ``codes`` names."""
    out = options[-1]
    for i in range(len(options) - 2, -1, -1):
        out = pc.if_else(pa.array(codes == i), options[i], out)
    return out


RENDERERS: dict[str, Renderer] = {"registry.contact": _contact}
