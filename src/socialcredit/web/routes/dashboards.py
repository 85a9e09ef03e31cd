"""GET /v1/dashboards/{name}: the figures behind a dashboard chart (supervisors,
auditors, policy officers and administrators, by the permission table)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from socialcredit.dashboards.catalogue import NAMES, dashboard
from socialcredit.web.deps import StoreDep

router = APIRouter(prefix="/v1", tags=["dashboards"])


class ColumnOut(BaseModel):
    name: str
    title: str
    title_zh: str
    kind: str = Field(description="text, number or ratio (a share from 0 to 1)")


class LabelOut(BaseModel):
    en: str
    zh: str


class DashboardOut(BaseModel):
    name: str
    title: str
    title_zh: str
    note: str = Field(description="what the figures count")
    note_zh: str
    columns: list[ColumnOut]
    rows: list[list[str | int | float | None]] = Field(description="one value per column")
    labels: dict[str, dict[str, LabelOut]] = Field(
        description="how a code in a column reads: column -> code -> label"
    )


@router.get(
    "/dashboards/{name}",
    summary="The data behind a dashboard chart",
    description=f"One of {', '.join(NAMES)}; any other name answers 404 `not_found`.",
)
def get_dashboard(name: Annotated[str, Path(max_length=40)], store: StoreDep) -> DashboardOut:
    return DashboardOut.model_validate(dashboard(store, name).to_dict())
