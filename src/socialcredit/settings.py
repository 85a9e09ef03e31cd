"""Settings: one object passed in, never globals read at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_DB = "sqlite:///socialcredit.db"
NoticeChannel = Literal["jsonl", "smtp", "sms", "post"]


class Settings(BaseModel):
    """Every setting has help text; the README documents each (a test checks it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    db: str = Field(
        default=DEFAULT_DB,
        description="SQLAlchemy URL of the store (env SOCIALCREDIT_DB; SQLite or PostgreSQL).",
    )
    packs: tuple[str, ...] = Field(
        default=("national", "food-drug", "rongcheng"),
        description="Policy packs loaded by `init` (names of shipped packs or folders); "
        "env SOCIALCREDIT_PACKS, comma-separated.",
    )
    ingest_batch: int = Field(
        default=10_000,
        ge=1,
        le=100_000,
        description="Records validated and written per transaction during ingestion "
        "(env SOCIALCREDIT_INGEST_BATCH).",
    )
    ingest_workers: int = Field(
        default_factory=lambda: 1 if (os.cpu_count() or 1) > 1 else 0,
        ge=0,
        le=32,
        description="Processes that decode and validate large files while ingestion "
        "writes (0: all in one process; default 1 on a machine with several cores; "
        "env SOCIALCREDIT_INGEST_WORKERS).",
    )
    notice_channels: tuple[NoticeChannel, ...] = Field(
        default=("jsonl",),
        description="Channels notices are delivered through: smtp, sms, post (to the "
        "addresses recipients consented to; recipients without one get the platform "
        "mailbox) and jsonl (a feed of every notice) "
        "(env SOCIALCREDIT_NOTICE_CHANNELS, comma-separated; empty: keep them undelivered).",
    )
    notice_file: str = Field(
        default="notices.jsonl",
        min_length=1,
        description="File the jsonl channel appends one JSON line per notice to; a relative "
        "name is in the outbox folder beside the store; created 0600 "
        "(env SOCIALCREDIT_NOTICE_FILE).",
    )
    smtp_host: str = Field(
        default="localhost",
        min_length=1,
        description="SMTP server of the smtp channel (env SOCIALCREDIT_SMTP_HOST).",
    )
    smtp_port: int = Field(
        default=25,
        ge=1,
        le=65_535,
        description="Port of the SMTP server (env SOCIALCREDIT_SMTP_PORT).",
    )
    smtp_from: str = Field(
        default="notices@socialcredit.invalid",
        pattern=r"^[^@\s]+@[^@\s]+$",
        description="Sender address of notice e-mails (env SOCIALCREDIT_SMTP_FROM).",
    )
    sms_file: str = Field(
        default="sms.jsonl",
        min_length=1,
        description="File the sms channel hands text messages to the SMS gateway through, "
        "one JSON line each; relative: in the outbox folder beside the store; created 0600 "
        "(env SOCIALCREDIT_SMS_FILE).",
    )
    post_file: str = Field(
        default="post.jsonl",
        min_length=1,
        description="File the post channel hands letters to the print-and-post service "
        "through, one JSON line each; relative: in the outbox folder beside the store; "
        "created 0600 (env SOCIALCREDIT_POST_FILE).",
    )

    api_rate_limit: float = Field(
        default=50.0,
        gt=0,
        le=100_000,
        description="Requests a second an API key may make unless it has its own rate "
        "(`keys create --rate`); over it: 429 with Retry-After "
        "(env SOCIALCREDIT_API_RATE_LIMIT).",
    )
    max_request_bytes: int = Field(
        default=8 * 1024 * 1024,  # a bulk request of 10,000 checks is about 1.5 MB
        ge=1024,
        le=1024 * 1024 * 1024,
        description="Largest request body the API accepts, in bytes; a larger declared "
        "Content-Length is refused before the body is read, a larger chunked body when it "
        "grows past it (413 request_too_large) (env SOCIALCREDIT_MAX_REQUEST_BYTES).",
    )
    max_records_per_request: int = Field(
        default=10_000,
        ge=1,
        le=1_000_000,
        description="Most records one `POST /v1/records` request may carry; more: 413 "
        "too_many, nothing stored (env SOCIALCREDIT_MAX_RECORDS_PER_REQUEST).",
    )
    public_rate_limit: float = Field(
        default=20.0,
        gt=0,
        le=100_000,
        description="Requests a second one client address may make to the public routes "
        "(lookup, subject pages, lists) without a key or login; over it: 429 with "
        "Retry-After (env SOCIALCREDIT_PUBLIC_RATE_LIMIT).",
    )
    session_secret: str | None = Field(
        default=None,
        min_length=32,
        description="Key that signs portal session cookies; unset, `serve` draws a random "
        "one at start, so logins end when the server restarts "
        "(env SOCIALCREDIT_SESSION_SECRET).",
    )
    session_hours: float = Field(
        default=8.0,
        gt=0,
        le=24 * 30,
        description="Hours a portal login lasts before the user logs in again "
        "(env SOCIALCREDIT_SESSION_HOURS).",
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if "SOCIALCREDIT_DB" in env:
            values["db"] = env["SOCIALCREDIT_DB"]
        if "SOCIALCREDIT_PACKS" in env:
            values["packs"] = tuple(p for p in env["SOCIALCREDIT_PACKS"].split(",") if p)
        if "SOCIALCREDIT_INGEST_BATCH" in env:
            values["ingest_batch"] = int(env["SOCIALCREDIT_INGEST_BATCH"])
        if "SOCIALCREDIT_INGEST_WORKERS" in env:
            values["ingest_workers"] = int(env["SOCIALCREDIT_INGEST_WORKERS"])
        if "SOCIALCREDIT_NOTICE_CHANNELS" in env:
            channels = env["SOCIALCREDIT_NOTICE_CHANNELS"].split(",")
            values["notice_channels"] = tuple(c.strip() for c in channels if c.strip())
        for name in (
            "notice_file",
            "smtp_host",
            "smtp_port",
            "smtp_from",
            "sms_file",
            "post_file",
            "api_rate_limit",
            "max_request_bytes",
            "max_records_per_request",
            "public_rate_limit",
            "session_secret",
            "session_hours",
        ):
            if (key := f"SOCIALCREDIT_{name.upper()}") in env:
                values[name] = env[key]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(values)
