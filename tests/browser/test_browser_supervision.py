"""The saved supervision reports in a real browser: a supervisor goes from the dashboards
to /dashboards/supervision and sees the four charts drawn, each with its table."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from socialcredit.store.database import Store

from support.portal_browser import account, check_accessibility, login, screenshot
from support.supervision_saved import save_all, supervised_city

pytestmark = pytest.mark.browser


def seed_more(store: Store) -> None:
    """The four analytics saved over a city that gives each something to show."""
    supervised_city(store)
    save_all(store)


def test_a_supervisor_sees_the_saved_supervision_reports_drawn(page: Page) -> None:
    login(page, account("supervisor"))
    expect(page).to_have_url("/dashboards")
    page.get_by_role("link", name="监督分析报告：法官、公职人员、地方政府、数据提供单位").click()
    expect(page).to_have_url("/dashboards/supervision")
    expect(page.get_by_role("heading", level=1)).to_have_text("监督分析报告")
    charts = page.locator("section svg[role=img]")
    expect(charts).to_have_count(4)
    for n in range(4):
        assert charts.nth(n).locator("path, rect, line").count() > 0
        assert charts.nth(n).bounding_box() is not None  # laid out, not hidden
    expect(page.locator("table caption")).to_have_count(4)
    check_accessibility(page)
    screenshot(page, "supervision", full_page=False)


def test_an_auditor_reads_them_in_english_and_a_reviewer_is_refused(page: Page) -> None:
    login(page, account("auditor"), next="/dashboards/supervision")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision reports")
    judges = page.get_by_role("heading", name="Judges: deviation from what the case facts predict")
    expect(judges).to_be_visible()
    expect(page.locator("section svg[role=img]")).to_have_count(4)
    page.context.clear_cookies()
    login(page, account("reviewer"))
    response = page.goto("/dashboards/supervision")
    assert response is not None and response.status == 403
