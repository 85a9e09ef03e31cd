"""What the OpenAPI schema says about every route: the one error model, the statuses
each route may answer with it, and the shape of a subject identifier."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

# a resident identity number (GB 11643: 17 digits and a digit or X) or a Unified Social
# Credit Code (GB 32100: 18 digits and capital letters), upper or lower case, with
# surrounding spaces tolerated; the check digits are verified by the service (400
# invalid_identifier), which no pattern can express
SUBJECT_PATTERN = r"^ *[0-9A-Za-z]{18} *$"
Subject = Annotated[
    str,
    Field(
        min_length=18,
        max_length=40,
        pattern=SUBJECT_PATTERN,
        description="resident identity number (GB 11643) or USCC (GB 32100); a wrong "
        "check digit or area code answers 400 invalid_identifier",
        examples=["110101199003074477"],
    ),
]


class ErrorDetail(BaseModel):
    code: str = Field(description="machine code, e.g. unauthorised, unknown_action")
    message: str
    field: str | None = Field(default=None, description="the input field it concerns")


class ErrorOut(BaseModel):
    """The one error shape of the API."""

    error: ErrorDetail


_MEANING = {
    400: "a value the service refuses (invalid_identifier, unknown_action, invalid_key…)",
    401: "no, a malformed, unknown or revoked API key (unauthorised)",
    403: "outside the key's scopes (forbidden)",
    404: "no such route, case or record (not_found)",
    405: "the route does not take this method (method_not_allowed; Allow lists those it takes)",
    409: "the step does not follow from the case (invalid_transition, deadline_passed…)",
    413: "the body exceeds max_request_bytes, or too many checks or records (request_too_large, "
    "too_many)",
    415: "a body of a media type the route does not take (unsupported_media_type)",
    422: "the request does not fit the schema or cannot succeed (malformed, not_repairable…)",
    429: "the key is over its rate (rate_limited; see Retry-After)",
    503: "the store is not initialised or needs an upgrade",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route that answers these error statuses."""
    return {s: {"model": ErrorOut, "description": _MEANING[s]} for s in statuses}


KEYED = errors(400, 401, 403, 404, 405, 413, 422, 429)  # every keyed route
REMEDY = {**KEYED, **errors(409)}  # the remedy routes (state machine refusals)
RECORDS = {**KEYED, **errors(415)}  # a provider's records (JSON Lines or a JSON array)
PUBLIC = errors(404, 405, 503)  # the health check
# the routes anyone may call: a presented key is still checked (401) and rated (429)
OPEN = errors(401, 404, 405, 413, 422, 429)
