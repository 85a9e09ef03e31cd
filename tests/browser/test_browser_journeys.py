"""Journeys through the portal in a real browser: a subject reads why a flight check
was denied and objects, a reviewer upholds the objection and the next check is
allowed; an agency is refused a report until the subject authorises it, and the
subject sees the read; the dashboards draw their charts."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from socialcredit.access.principal import AGENCY, PROVIDER, RELYING_PARTY

from support.portal_browser import (
    AGENCY_ID,
    FIRM_NAME,
    PERSON,
    World,
    account,
    check_accessibility,
    login,
    screenshot,
)

pytestmark = pytest.mark.browser
AIR = "transport.air.ticket"


def check(base: str, world: World) -> str:
    """The flight check an airline makes for the person: its outcome."""
    r = httpx.post(
        f"{base}/v1/checks",
        json={"subject": PERSON, "action": AIR},
        headers={"Authorization": f"Bearer {world.keys[RELYING_PARTY]}"},
    )
    assert r.status_code == 200, r.text
    return str(r.json()["outcome"])


def logout(page: Page) -> None:
    with page.expect_navigation():
        page.locator(".account form button").click()


def test_an_objection_upheld_on_the_desk_lets_the_next_check_through(
    page: Page, world: tuple[str, World]
) -> None:
    base, made = world
    assert check(base, made) == "deny"
    # the subject reads why: the list entry, its ground and legal basis, the measure
    login(page, account("subject"))
    expect(page).to_have_url("/me")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My credit")
    expect(page.get_by_text("List of dishonest judgment defaulters").first).to_be_visible()
    expect(page.get_by_text(AIR).first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "me", full_page=False)
    # and objects to the record the listing rests on
    page.locator("#objection-record").select_option(index=0)
    page.locator("#objection-grounds").select_option("wrong")
    page.locator("#objection-evidence").fill("The judgment was paid in full on 2025-04-02.")
    with page.expect_navigation():
        page.get_by_role("button", name="File the objection").click()
    expect(page.get_by_role("status")).to_be_visible()
    case = re.search(r"OBJ-\d{8}-[0-9a-f]{12}", page.content())
    assert case is not None, "the filed objection is listed with its case id"
    logout(page)
    # the reviewer finds it in the queue and accepts it
    login(page, account("reviewer"))
    expect(page).to_have_url("/review")
    expect(page.get_by_role("link", name=case.group(0))).to_be_visible()
    check_accessibility(page)
    screenshot(page, "review", full_page=False)
    page.get_by_role("link", name=case.group(0)).click()
    page.get_by_label("accept", exact=False).first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record the step").click()
    # the court answers that its record stands; the reviewer upholds the objection
    answer = httpx.post(
        f"{base}/v1/objections/{case.group(0)}/answer",
        json={"outcome": "upheld", "reasons": "the payment reached the court"},
        headers={"Authorization": f"Bearer {made.keys[PROVIDER]}"},
    )
    assert answer.status_code == 200, answer.text
    page.reload()
    page.locator("input[value=uphold]").check()
    page.get_by_label("Reasons (required for a decision)").fill(
        "Paid in full: the record is wrong."
    )
    check_accessibility(page)
    screenshot(page, "case", full_page=False)
    with page.expect_navigation():
        page.get_by_role("button", name="Record the step").click()
    expect(page.get_by_role("status")).to_be_visible()
    # the next check sees the decision at once
    assert check(base, made) == "allow"


def test_an_agency_reads_a_report_only_once_authorised_and_the_subject_sees_it(
    page: Page, world: tuple[str, World]
) -> None:
    base, made = world
    agency = {"Authorization": f"Bearer {made.keys[AGENCY]}"}
    url = f"{base}/v1/subjects/{PERSON}/report"
    refused = httpx.get(url, params={"purpose": "mortgage"}, headers=agency)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_authorised"
    # the subject authorises the agency for that purpose
    login(page, account("subject"))
    page.get_by_role("link", name="English").click()
    page.locator("#grant-agency").fill(AGENCY_ID)
    page.locator("#grant-purpose").fill("mortgage")
    page.locator("#grant-until").fill("2026-06-30")
    with page.expect_navigation():
        page.get_by_role("button", name="Authorise").click()
    granted = httpx.get(url, params={"purpose": "mortgage"}, headers=agency)
    assert granted.status_code == 200 and granted.json()["subject"] == PERSON
    # the agency's own page, with the read it made
    page.goto("/me")
    expect(page.locator("tr.read")).to_have_count(1)
    expect(page.locator("tr.read")).to_contain_text("mortgage")
    logout(page)
    login(page, account("agency"))
    expect(page).to_have_url("/agency")
    check_accessibility(page)
    screenshot(page, "agency", full_page=False)


def test_the_dashboards_draw_every_chart(page: Page) -> None:
    login(page, account("supervisor"))
    expect(page).to_have_url("/dashboards")
    charts = page.locator("svg[role=img]")
    expect(charts).to_have_count(4)
    for n in range(4):
        assert charts.nth(n).locator("path, rect, line").count() > 0
    expect(page.locator("table caption")).to_have_count(4)
    check_accessibility(page)
    screenshot(page, "dashboards", full_page=False)


def test_the_public_finds_a_company_by_a_typo_or_pinyin_and_sees_its_listing_masked(
    page: Page,
) -> None:
    for query in ("荣成海先贸易", "rongcheng haixian maoyi"):  # one wrong character; pinyin
        page.goto("/search?q=" + query)
        expect(page.get_by_role("link", name=FIRM_NAME)).to_be_visible()
    check_accessibility(page)
    screenshot(page, "search", full_page=False)
    page.get_by_role("link", name=FIRM_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(FIRM_NAME)
    expect(page.get_by_text("失信被执行人名单").first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "subject", full_page=False)
    page.goto("/lists/court_defaulters")
    text = page.content()
    assert re.search(r"\d{6}\*{8}\d{3}[\dX]", text), "persons on the list are shown masked"
    assert PERSON not in text and not re.search(r"\b\d{17}[\dX]\b", text)
    check_accessibility(page)
    screenshot(page, "list", full_page=False)
