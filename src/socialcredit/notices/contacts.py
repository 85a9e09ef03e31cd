"""Where a notice may reach its recipient: the contact details the recipient consented to.

Contact details are ledger records like everything else (``registry.contact``:
``channel`` email, sms or post, ``address``, ``consent``, optional ``ended``),
so they are bitemporal and audited. For a recipient at an instant, the usable
contacts are, per channel, the latest effective record (by ``occurred_at``,
then ``seq``) known then, if it has not ended, carries ``consent: true`` and an
address of the channel's form (an e-mail address; a mainland mobile number; a
postal address). A channel the recipient has not consented to is never used.
A recipient with no usable contact gets notices in the platform mailbox
(:mod:`socialcredit.notices.outbox`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection

from socialcredit.clock import day_of, naive_utc
from socialcredit.engine.ledger_view import load_many
from socialcredit.engine.model import LedgerRecord
from socialcredit.engine.records import effective_records

CONTACT = "registry.contact"
CHANNELS = ("email", "sms", "post")
_FORMS = {
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    "sms": re.compile(r"^1[3-9][0-9]{9}$"),  # a mainland mobile number
    "post": re.compile(r"\S"),
}


@dataclass(frozen=True, slots=True)
class Contact:
    channel: str  # email, sms or post
    address: str


def usable(channel: str, address: object) -> bool:
    """Whether ``address`` has the form of ``channel``'s addresses."""
    form = _FORMS.get(channel)
    return form is not None and isinstance(address, str) and bool(form.search(address))


def consented_contacts(
    conn: Connection, recipients: Iterable[str], now: dt.datetime
) -> dict[str, list[Contact]]:
    """The usable contacts of each recipient at ``now``, in the order email, sms, post."""
    now = naive_utc(now)
    wanted = sorted(set(recipients))
    loaded = load_many(conn, wanted, now, frozenset({CONTACT}))
    found = {who: recs for who, (_ref, recs) in loaded.items()}
    day = day_of(now)
    return {who: _contacts(found[who], who, now, day) for who in wanted}


def _contacts(
    found: list[LedgerRecord], subject: str, now: dt.datetime, day: dt.date
) -> list[Contact]:
    latest: dict[str, LedgerRecord] = {}
    for r in effective_records(found, now, day, subject):
        channel = r.attributes.get("channel")
        if r.category != CONTACT or not isinstance(channel, str):
            continue
        held = latest.get(channel)
        if held is None or (r.occurred_at, r.seq) > (held.occurred_at, held.seq):
            latest[channel] = r
    out = []
    for channel in CHANNELS:
        held = latest.get(channel)
        if held is None or held.attributes.get("consent") is not True:
            continue
        ended = held.attributes.get("ended")
        if isinstance(ended, str) and ended <= day.isoformat():
            continue
        address = held.attributes.get("address")
        if usable(channel, address):
            assert isinstance(address, str)
            out.append(Contact(channel, address.strip()))
    return out


__all__ = ["CHANNELS", "CONTACT", "Contact", "consented_contacts", "usable"]
