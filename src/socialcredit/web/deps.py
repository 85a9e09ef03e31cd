"""Dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from socialcredit.access.keys import ApiKey, KeyRing
from socialcredit.enforcement.service import Enforcement
from socialcredit.store.database import Store
from socialcredit.web.gate import gated_key

# the two ways to present a key, as the OpenAPI schema documents them; the key itself
# is verified by the gate (web/gate.py) before the body is read
BEARER = HTTPBearer(auto_error=False, description="`Authorization: Bearer sc_…`")
API_KEY = APIKeyHeader(name="X-Api-Key", auto_error=False, description="the key itself")


async def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def _enforcement(request: Request) -> Enforcement:
    service: Enforcement = request.app.state.enforcement
    return service


async def _key(
    request: Request,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)],
    _api_key: Annotated[str | None, Security(API_KEY)],
) -> ApiKey:
    ring: KeyRing = request.app.state.keyring
    return gated_key(request.scope, ring)


StoreDep = Annotated[Store, Depends(_store)]
EnforcementDep = Annotated[Enforcement, Depends(_enforcement)]
KeyDep = Annotated[ApiKey, Depends(_key)]
