"""POST /v1/records: a provider's records, validated and stored as `socialcredit ingest` does.

The body is JSON Lines (``application/x-ndjson`` or ``application/jsonl``: one
record a line, blank lines skipped, line numbers 1-based) or a JSON array
(``application/json``: "line" is the 1-based position in the array). Records
go through the ingestor the CLI uses (``services/ingest.py``): the same checks
and error codes per line, the list entries, enforcement index and notices of
the subjects they touch re-derived in the same transaction. As with the CLI,
valid records are kept and invalid ones reported, line by line; all of one
request is written in one transaction.

Refused before anything is stored:

* a record naming a provider the key does not answer for (``role:provider:<id>``
  scopes): 403 ``provider_not_allowed``;
* more records than ``max_records_per_request``: 413 ``too_many``;
* a body that is not JSON Lines or a JSON array: 415 ``unsupported_media_type``
  or 422 ``malformed``.

A record without ``provider`` takes the key's provider when the key answers for
one alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from socialcredit.errors import Malformed, MalformedRecord, SocialCreditError
from socialcredit.ledger import sources
from socialcredit.ledger.ingest import IngestResult
from socialcredit.ledger.sources import Item
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.web.gate import principal_of

router = APIRouter(prefix="/v1", tags=["records"])
JSONL = ("application/x-ndjson", "application/jsonl")
JSON = "application/json"


class ProviderNotAllowed(SocialCreditError):
    """A record from a provider the key does not answer for."""

    code = "provider_not_allowed"
    status = 403


class TooManyRecords(SocialCreditError):
    code = "too_many"
    status = 413


class UnsupportedMedia(SocialCreditError):
    code = "unsupported_media_type"
    status = 415


class RecordError(BaseModel):
    line: int = Field(description="1-based line (JSON Lines) or position (JSON array)")
    code: str
    message: str


class IngestOut(BaseModel):
    accepted: int = Field(description="records appended")
    duplicates: int = Field(description="resubmissions of identical records (no-ops)")
    rejected: int
    subjects_created: int
    rejected_by_code: dict[str, int]
    errors: list[RecordError]
    errors_truncated: bool


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def decode_body(media: str, body: bytes) -> list[Item]:
    """The items of a request body, in order (undecodable lines as rejections)."""
    if media in JSONL:
        if body.startswith(sources.BOM):
            body = body[len(sources.BOM) :]
        return list(sources.decode(("jsonl", 1, body.splitlines())))
    if media == JSON:
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise Malformed(f"the body is not valid JSON: {exc}", field="body") from None
        if not isinstance(value, list):
            raise Malformed("the body is a JSON array of records", field="body")
        return [
            (i, row if isinstance(row, dict) else MalformedRecord("not a JSON object"))
            for i, row in enumerate(value, start=1)
        ]
    raise UnsupportedMedia(
        f"Content-Type {media or '(none)'!r}: send application/x-ndjson, application/jsonl "
        "or application/json",
        field="content-type",
    )


def check_providers(items: list[Item], providers: frozenset[str]) -> None:
    for line, value in items:
        if isinstance(value, dict):
            named = value.get("provider")
            if named is not None and named not in providers:
                yours = ", ".join(sorted(providers)) or "none"
                raise ProviderNotAllowed(
                    f"line {line}: this key reports for {yours}, not for {named!r}; "
                    "nothing was stored",
                    field="provider",
                )


def ingest_request(
    store: Store, items: list[Item], providers: frozenset[str], *, limit: int
) -> IngestResult:
    """Validate and store the items of one request in one transaction."""
    if len(items) > limit:
        raise TooManyRecords(
            f"{len(items)} records in one request; at most {limit} "
            "(setting max_records_per_request)",
            field="body",
        )
    check_providers(items, providers)
    only = next(iter(providers)) if len(providers) == 1 else None
    records = ingestor(store, provider=only, batch_size=max(len(items), 1))
    return records.ingest_items(items)


@router.post(
    "/records",
    response_model=IngestOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "application/jsonl": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            },
        }
    },
)
async def post_records(request: Request) -> dict[str, Any]:
    """Report records, as `socialcredit ingest` does: valid records are stored, invalid
    ones listed with their line and code. Needs a key with scope
    ``role:provider:<id>``; every record's provider must be one of the key's."""
    media = media_type(request)
    if media not in (*JSONL, JSON):
        decode_body(media, b"")  # refused before the body is read
    items = decode_body(media, await request.body())
    state = request.app.state
    result = await run_in_threadpool(
        ingest_request,
        state.store,
        items,
        principal_of(request.scope).providers,
        limit=state.settings.max_records_per_request,
    )
    observe: Callable[[IngestResult], None] = state.metrics.ingested
    observe(result)
    body = result.to_dict()
    body.pop("files_refused")
    for error in body["errors"]:
        error.pop("file", None)
    return body
