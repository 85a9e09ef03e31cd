"""Dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from socialcredit.enforcement.service import Enforcement
from socialcredit.keys import ApiKey, KeyRing
from socialcredit.ledger.store import Store


async def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def _enforcement(request: Request) -> Enforcement:
    service: Enforcement = request.app.state.enforcement
    return service


async def _key(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> ApiKey:
    ring: KeyRing = request.app.state.keyring
    return ring.authenticate(token_of(authorization, x_api_key))


def token_of(authorization: str | None, x_api_key: str | None) -> str | None:
    """The API key a request presents: `Authorization: Bearer …` or `X-Api-Key`."""
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return x_api_key


StoreDep = Annotated[Store, Depends(_store)]
EnforcementDep = Annotated[Enforcement, Depends(_enforcement)]
KeyDep = Annotated[ApiKey, Depends(_key)]
