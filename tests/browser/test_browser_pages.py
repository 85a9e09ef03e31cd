"""The pages in a real browser: what a visitor sees, in which language, and that axe-core
finds no serious or critical accessibility violation. Each main page is saved to
docs/screenshots/ for the README."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from support.portal_browser import account, check_accessibility, login, screenshot

pytestmark = pytest.mark.browser


def test_the_home_page_offers_the_search_in_chinese(page: Page) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("查询自然人或企业")
    expect(page.get_by_label("名称、统一社会信用代码或身份证号码")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "home")


def test_the_language_switch_turns_the_page_into_english(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Look up a person or an enterprise")
    page.reload()  # the choice is remembered
    expect(page.get_by_role("heading", level=1)).to_have_text("Look up a person or an enterprise")


def test_a_reviewer_logs_in_and_sees_their_desk_in_the_navigation(page: Page) -> None:
    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    check_accessibility(page)
    screenshot(page, "login")
    login(page, account("reviewer"), next="/")
    expect(page.locator(".account .who")).to_have_text("reviewer one")
    expect(
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="复核工作台")
    ).to_be_visible()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def test_a_wrong_password_is_refused_on_the_form(page: Page) -> None:
    login(page, account("reviewer"), password="not the password at all")
    expect(page.get_by_role("alert")).to_have_text("账号不存在或密码错误。")
    expect(page.locator(".account .who")).to_have_count(0)


def test_a_policy_officer_reads_the_policy_and_dry_runs_a_candidate(page: Page) -> None:
    login(page, account("policy_officer"))
    expect(page).to_have_url("/policy")
    expect(page.get_by_role("heading", level=1)).to_have_text("现行政策")
    expect(page.get_by_text("nat.judgment_default.refuses")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "policy", full_page=False)
    page.get_by_label("政策包", exact=True).select_option("national")
    page.get_by_role("button", name="试运行").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("候选政策包试运行")
    expect(page.get_by_role("table").first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "dry_run")
