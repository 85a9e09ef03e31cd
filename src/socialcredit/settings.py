"""Settings: one object passed in, never globals read at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_DB = "sqlite:///socialcredit.db"


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
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(values)
