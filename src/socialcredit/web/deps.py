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
    token = x_api_key
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    ring: KeyRing = request.app.state.keyring
    return ring.authenticate(token)


StoreDep = Annotated[Store, Depends(_store)]
EnforcementDep = Annotated[Enforcement, Depends(_enforcement)]
KeyDep = Annotated[ApiKey, Depends(_key)]
