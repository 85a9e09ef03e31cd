"""Registry records: persons, enterprises and their people, institutions, offices, consent.

Entities that existed before the simulated period are loaded on its first
day; the others are registered shortly after they come into being.

Slots: ``other`` the person or institution named; ``c`` an end day
(``ended``); ``amount`` the controller's share; ``a`` the office index
(offices) or role (responsible persons) or consent given (1) / withdrawn (0).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialcredit.simulate import institutions as inst_mod
from socialcredit.simulate import numbering
from socialcredit.simulate.calendar import day_of
from socialcredit.simulate.domains.common import Fields, Renderer, area_provider, reporting_provider
from socialcredit.simulate.events import Table, block
from socialcredit.simulate.geography import DISTRICTS
from socialcredit.simulate.names import SECTORS
from socialcredit.simulate.population import adults_at
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import World

I64 = npt.NDArray[np.int64]

ROLES = ("principal_manager", "directly_responsible")
# where persons live (registry.residence, Residence Permit Regulation 2015): residents
# born in their district live there since birth; the others moved in as adults; a
# share moves during the period, within the city or away to Jinan (outside it)
MOVE_SHARE = 0.03
MOVED_AWAY_SHARE = 0.4  # of the movers
AWAY = "370102"  # Jinan, Lixia district: a city-born resident living elsewhere
ADULT_DAYS = 18 * 365
LR_CHANGE_SHARE = 0.04
CONSENT_WITHDRAWN = 0.04


def _loaded(world: World, occurred: I64) -> I64:
    """Reported on the first day for what predates the period, else timed later (-1)."""
    return np.where(occurred < world.window.start, world.window.start, -1)


def generate(world: World) -> list[Table]:
    rng = world.rng("registry")
    w = world.window
    cat = world.cat
    p, e, inst = world.persons, world.enterprises, world.institutions
    blocks: list[Table] = []

    persons = np.arange(p.count, dtype=np.int64)
    blocks.append(
        block(
            p.count,
            subject=persons,
            category=cat["registry.person"],
            provider=world.providers.district_array("police")[p.district],
            occurred=p.birth,
            reported=_loaded(world, p.birth),
            doctype=numbering.doc("reg_person"),
        )
    )

    blocks.extend(_residences(world, rng))

    firms = np.arange(e.count, dtype=np.int64) + world.enterprise0
    market = area_provider(world, "market", firms)
    est = e.established
    blocks.append(
        block(
            e.count,
            subject=firms,
            category=cat["registry.enterprise"],
            provider=market,
            occurred=est,
            reported=_loaded(world, est),
            doctype=numbering.doc("reg_enterprise"),
        )
    )
    blocks.append(
        block(
            e.count,
            subject=firms,
            category=cat["registry.legal_representative"],
            provider=market,
            occurred=est,
            reported=_loaded(world, est),
            other=e.legal_rep,
            doctype=numbering.doc("reg_legal_rep"),
            seq=1,
        )
    )
    blocks.append(
        block(
            e.count,
            subject=firms,
            category=cat["registry.controller"],
            provider=market,
            occurred=est,
            reported=_loaded(world, est),
            other=e.controller,
            amount=e.control_share,
            doctype=numbering.doc("reg_controller"),
            seq=1,
        )
    )
    # legal representatives who change during the period: the old one's office ends
    change = np.flatnonzero((rng.random(e.count) < LR_CHANGE_SHARE) & (est < w.end - 60))
    when = np.maximum(est[change], w.start) + (
        rng.random(len(change)) * (w.end - np.maximum(est[change], w.start))
    ).astype(np.int64)
    successor = adults_at(rng, p, when)
    for seq, person, ended in ((2, e.legal_rep[change], when), (3, successor, None)):
        blocks.append(
            block(
                len(change),
                subject=firms[change],
                category=cat["registry.legal_representative"],
                provider=market[change],
                occurred=when,
                other=person,
                c=-1 if ended is None else ended,
                doctype=numbering.doc("reg_legal_rep"),
                seq=seq,
            )
        )
    # principal managers and directly responsible persons of a quarter of the enterprises
    resp = np.flatnonzero(rng.random(e.count) < 0.25)
    resp = np.concatenate([resp, resp[rng.random(len(resp)) < 0.4]])
    resp.sort(kind="stable")
    resp_seq = np.ones(len(resp), dtype=np.int64)
    resp_seq[1:][resp[1:] == resp[:-1]] = 2
    blocks.append(
        block(
            len(resp),
            subject=firms[resp],
            category=cat["registry.responsible_person"],
            provider=market[resp],
            occurred=est[resp],
            reported=_loaded(world, est[resp]),
            other=adults_at(rng, p, est[resp]),
            a=(resp_seq - 1) % 2,
            doctype=numbering.doc("reg_responsible"),
            seq=resp_seq,
        )
    )

    bodies = np.arange(inst.count, dtype=np.int64) + world.institution0
    organisation = world.providers.area_array("organisation")[inst.area]
    founded = day_of(1950 + rng.integers(0, 55, inst.count), rng.integers(1, 13, inst.count), 1)
    blocks.append(
        block(
            inst.count,
            subject=bodies,
            category=cat["registry.institution"],
            provider=organisation,
            occurred=founded,
            reported=_loaded(world, founded),
            doctype=numbering.doc("reg_institution"),
        )
    )
    off = world.offices
    heads = np.flatnonzero(off.head)
    blocks.append(
        block(
            len(heads),
            subject=off.institution[heads] + world.institution0,
            category=cat["registry.legal_representative"],
            provider=organisation[off.institution[heads]],
            occurred=off.start[heads],
            reported=_loaded(world, off.start[heads]),
            other=off.person[heads],
            doctype=numbering.doc("reg_legal_rep"),
            seq=1,
        )
    )
    seats = np.arange(len(off.person), dtype=np.int64)
    org_of_seat = organisation[off.institution]
    blocks.append(
        block(
            len(seats),
            subject=off.person,
            category=cat["registry.office"],
            provider=org_of_seat,
            occurred=off.start,
            reported=_loaded(world, off.start),
            other=off.institution + world.institution0,
            a=seats,
            doctype=numbering.doc("appointment"),
        )
    )
    ended = np.flatnonzero(off.ended >= 0)
    blocks.append(
        block(
            len(ended),
            subject=off.person[ended],
            category=cat["registry.office"],
            provider=org_of_seat[ended],
            occurred=off.ended[ended],
            other=off.institution[ended] + world.institution0,
            a=ended,
            c=off.ended[ended],
            doctype=numbering.doc("dismissal"),
        )
    )

    consenting = np.flatnonzero(p.consent)
    given = w.start + (rng.random(len(consenting)) * (w.days + 365) - 365).astype(np.int64)
    given = np.minimum(given, w.end)
    community = world.person_community[consenting]
    blocks.append(
        block(
            len(consenting),
            subject=consenting,
            category=cat["registry.consent"],
            provider=community,
            occurred=given,
            reported=_loaded(world, given),
            a=1,
            doctype=numbering.doc("reg_consent"),
            seq=1,
        )
    )
    back = np.flatnonzero((rng.random(len(consenting)) < CONSENT_WITHDRAWN) & (given < w.end))
    later = given[back] + (rng.random(len(back)) * (w.end - given[back])).astype(np.int64) + 1
    later = np.minimum(later, w.end)
    blocks.append(
        block(
            len(back),
            subject=consenting[back],
            category=cat["registry.consent"],
            provider=community[back],
            occurred=later,
            a=0,
            doctype=numbering.doc("reg_consent"),
            seq=2,
        )
    )
    return blocks


_RESIDENCE = [d.code for d in DISTRICTS]
_PLACES = [*_RESIDENCE, AWAY]
_ADDRESSES = [f"{d.name}{d.subdistricts[0]}" for d in DISTRICTS] + ["济南市历下区"]


def _residences(world: World, rng: np.random.Generator) -> list[Table]:
    """A residence record per person (``a``: index into ``_PLACES``, ``c``: since), and
    a second for those who move during the period."""
    p, w = world.persons, world.window
    persons = np.arange(p.count, dtype=np.int64)
    codes = np.array([int(c) for c in _RESIDENCE], dtype=np.int64)
    local = p.birth_area == codes[p.district]
    adult = p.birth + ADULT_DAYS
    span = np.maximum(w.start - adult, 1)
    moved_in = adult + (rng.random(p.count) * span).astype(np.int64)
    since = np.where(local | (adult >= w.start), p.birth, np.minimum(moved_in, w.start - 1))
    police = world.providers.district_array("police")
    out = [
        block(
            p.count,
            subject=persons,
            category=world.cat["registry.residence"],
            provider=police[p.district],
            occurred=since,
            reported=_loaded(world, since),
            a=p.district,
            c=since,
            doctype=numbering.doc("reg_residence"),
            seq=1,
        )
    ]
    movers = np.flatnonzero((rng.random(p.count) < MOVE_SHARE) & (adult < w.start))
    when = w.start + (rng.random(len(movers)) * (w.end - w.start)).astype(np.int64)
    away = rng.random(len(movers)) < MOVED_AWAY_SHARE
    n_districts = len(DISTRICTS)
    within = (p.district[movers] + 1 + rng.integers(0, n_districts - 1, len(movers))) % n_districts
    to = np.where(away, n_districts, within)
    out.append(
        block(
            len(movers),
            subject=movers,
            category=world.cat["registry.residence"],
            provider=police[p.district[movers]],
            occurred=when,
            a=to,
            c=when,
            doctype=numbering.doc("reg_residence"),
            seq=2,
        )
    )
    return out


def _person(r: Rows) -> Fields:
    residence = jsonfmt.enum(r.world.subject_area[r.subject] - 1, _RESIDENCE)
    birth = r.date(r.world.persons.birth[r.subject])
    return {"name": r.name(r.subject), "residence": residence, "birth_date": birth}


def _residence(r: Rows) -> Fields:
    return {
        "address": jsonfmt.take(jsonfmt.table(_ADDRESSES), r.a),
        "area": jsonfmt.enum(r.a, _PLACES),
        "since": r.date(r.c),
    }


def _enterprise(r: Rows) -> Fields:
    local = r.subject - r.world.enterprise0
    e = r.world.enterprises
    return {
        "name": r.name(r.subject),
        "sector": jsonfmt.enum(e.sector[local], SECTORS),
        "registered_capital": jsonfmt.number(e.capital[local]),
        "established": r.date(e.established[local]),
    }


def _ended(r: Rows) -> pa.Array:
    return jsonfmt.where(r.c >= 0, r.date(np.maximum(r.c, r.world.window.start)))


def _person_link(r: Rows) -> Fields:
    return {"person": r.ident(r.other), "ended": _ended(r)}


def _controller(r: Rows) -> Fields:
    return {"person": r.ident(r.other), "share": jsonfmt.number(r.amount)}


def _responsible(r: Rows) -> Fields:
    return {"person": r.ident(r.other), "role": jsonfmt.enum(r.a, ROLES)}


def _institution(r: Rows) -> Fields:
    local = r.subject - r.world.institution0
    i = r.world.institutions
    providers = reporting_provider(r.world)
    lookup = jsonfmt.table([p or "" for p in providers])
    return {
        "name": r.name(r.subject),
        "type": jsonfmt.enum(i.type[local], inst_mod.TYPES),
        "level": jsonfmt.enum(i.level[local], inst_mod.LEVELS),
        "provider": jsonfmt.where(
            np.array([providers[k] is not None for k in local], dtype=bool),
            jsonfmt.take(lookup, local),
        ),
    }


def _office(r: Rows) -> Fields:
    off = r.world.offices
    return {
        "institution": r.ident(r.other),
        "title": jsonfmt.take(jsonfmt.table(off.title), r.a),
        "rank": jsonfmt.take(jsonfmt.table(off.rank), r.a),
        "ended": _ended(r),
    }


def _consent(r: Rows) -> Fields:
    return {
        "scheme": jsonfmt.take(jsonfmt.table(["rongcheng"]), np.zeros(len(r), np.int64)),
        "given": jsonfmt.boolean(r.a == 1),
    }


RENDERERS: dict[str, Renderer] = {
    "registry.person": _person,
    "registry.residence": _residence,
    "registry.enterprise": _enterprise,
    "registry.legal_representative": _person_link,
    "registry.controller": _controller,
    "registry.responsible_person": _responsible,
    "registry.institution": _institution,
    "registry.office": _office,
    "registry.consent": _consent,
}
