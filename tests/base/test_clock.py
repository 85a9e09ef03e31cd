"""Times and days from users: parsed strictly, bounded, refused with a code."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.clock import Day, parse_instant
from socialcredit.errors import SocialCreditError


@pytest.mark.parametrize(
    "text", ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59", "9999-12-31", "1899-12-31"]
)
def test_times_beyond_the_calendar_are_invalid_time(text: str) -> None:
    with pytest.raises(SocialCreditError) as err:
        parse_instant(text)
    assert err.value.code == "invalid_time"


def test_a_day_is_the_end_of_that_day_in_china() -> None:
    assert parse_instant("2026-03-01") == dt.datetime(2026, 3, 1, 15, 59, 59)
    assert parse_instant("2026-03-01T08:00:00") == dt.datetime(2026, 3, 1, 0, 0)


class _Row(BaseModel):
    day: Day


@pytest.mark.parametrize(
    "value", [1740787200, "1740787200", "2025-03-01T00:00:00", dt.datetime(2025, 3, 1), "3/1/25"]
)
def test_a_day_is_never_coerced_from_numbers_or_datetimes(value: Any) -> None:
    with pytest.raises(ValidationError):
        _Row(day=value)


def test_a_day_is_an_iso_date_or_a_date() -> None:
    assert _Row(day="2025-03-01").day == _Row(day=dt.date(2025, 3, 1)).day


def test_the_check_command_refuses_a_time_beyond_the_calendar(tmp_path: Any) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    args = ["11010519491231002X", "transport.air.ticket", "--at", "0001-01-01T00:00:00+08:00"]
    result = runner.invoke(app, ["--db", db, "check", *args])
    assert isinstance(result.exception, SocialCreditError)
    assert result.exception.code == "invalid_time"
