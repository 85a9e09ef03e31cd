"""API keys: scoped, hashed, revocable, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from socialcredit.access.keys import (
    Forbidden,
    KeyRing,
    Unauthorised,
    create_key,
    list_keys,
    revoke_key,
)
from socialcredit.errors import SocialCreditError
from socialcredit.store.database import Store
from socialcredit.store.tables import api_keys, audit_log


def test_a_key_authenticates_and_is_scoped(store: Store) -> None:
    key, token = create_key(store, "China Southern", ["transport.air.*"])
    ring = KeyRing(store)
    found = ring.authenticate(token)
    assert found == key
    assert found.may_check("transport.air.ticket")
    assert not found.may_check("procurement.bid")
    with pytest.raises(Forbidden):
        found.require_action("procurement.bid")


def test_only_a_hash_of_the_secret_is_stored(store: Store) -> None:
    _key, token = create_key(store, "bank", ["finance.loan"])
    secret = token.split("_", 2)[2]
    with store.reader() as conn:
        row = conn.execute(select(api_keys)).one()
        events = [r.event for r in conn.execute(select(audit_log.c.event))]
    assert secret not in row.secret_hash and len(row.secret_hash) == 64
    assert "key.created" in events


@pytest.mark.parametrize("token", [None, "", "nonsense", "sc_abc_def", "sc_x"])
def test_bad_tokens_are_unauthorised(store: Store, token: str | None) -> None:
    with pytest.raises(Unauthorised):
        KeyRing(store).authenticate(token)


def test_a_revoked_key_stops_working(store: Store) -> None:
    key, token = create_key(store, "hotel", ["hospitality.*"])
    revoke_key(store, key.id)
    with pytest.raises(Unauthorised):
        KeyRing(store, ttl_seconds=0).authenticate(token)
    assert list_keys(store)[0]["revoked_at"] is not None
    with pytest.raises(SocialCreditError, match="no active key"):
        revoke_key(store, key.id)


def test_a_key_needs_a_scope(store: Store) -> None:
    with pytest.raises(SocialCreditError) as info:
        create_key(store, "x", [])
    assert info.value.code == "invalid_key"
