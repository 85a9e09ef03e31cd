"""A small portal world for the page, permission and browser tests: a listed debtor
company with a name, a person with a judgment default, a portal account for every
account role and an API key for every role a key can hold."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.testclient import TestClient
from playwright.sync_api import Page

from socialcredit.access.keys import create_key
from socialcredit.access.principal import (
    ACCOUNT_ROLES,
    ADMIN,
    AGENCY,
    APPEAL_REVIEWER,
    AUDITOR,
    POLICY_OFFICER,
    PROVIDER,
    RELYING_PARTY,
    REVIEWER,
    SUBJECT_SERVICE,
    SUPERVISOR,
)
from socialcredit.access.users import create_user
from socialcredit.store.database import Store

from support.factories import ingest_on, judgment_default, person_id
from support.portal import csrf_of
from support.remedies import FIRM, dishonest, listed_debtor

PASSWORD = "correct horse battery staple"
PERSON = person_id(seq=61)
FIRM_NAME = "荣成海鲜贸易有限公司"
AGENCY_ID = "agency.test"

# the scopes of a key holding each role
KEY_SCOPES = {
    PROVIDER: ["role:provider:spc.national"],
    RELYING_PARTY: ["transport.air.*"],
    SUBJECT_SERVICE: ["role:subject-service"],
    REVIEWER: ["role:reviewer"],
    APPEAL_REVIEWER: ["role:appeal-reviewer"],
    POLICY_OFFICER: ["role:policy-officer"],
    SUPERVISOR: ["role:supervisor"],
    AUDITOR: ["role:auditor"],
    ADMIN: ["role:admin"],
    AGENCY: [f"role:agency:{AGENCY_ID}"],
}


def account(role: str) -> str:
    """The portal account of a role (``reviewer`` → ``reviewer-1``)."""
    return role.replace("_", "-") + "-1"


@dataclass
class World:
    """What :func:`seed` made: the accounts (role → account id) and keys (role → token)."""

    accounts: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)


def seed_records(store: Store) -> None:
    """A named company on the SAMR list and the court defaulters list, a person on the court
    defaulters list and another with a judgment default."""
    ingest_on(
        store,
        "2024-05-01",
        {
            "provider": "samr.national",
            "ref": "REG-1",
            "subject": FIRM,
            "category": "registry.enterprise",
            "occurred_at": "2015-04-01",
            "attributes": {"name": FIRM_NAME, "sector": "retail", "area": "371082"},
        },
    )
    ingest_on(store, "2024-06-01", dishonest("D-1", "2024-06-01"))  # listed from 2024-06-11
    case = "(2024)鲁1082执9号"  # the company is a judgment defaulter too: the court list
    ingest_on(
        store,
        "2024-05-02",
        judgment_default(
            ref=case,
            subject=FIRM,
            occurred_at="2024-05-02",
            attributes={"case_no": case, "amount": 2.6e5, "ground": "evades_enforcement"},
        ),
    )
    listed_debtor(store)
    ingest_on(store, "2025-03-01", judgment_default(ref="(2025)鲁1082执61号", subject=PERSON))


def seed_accounts(store: Store) -> World:
    world = World()
    for role in ACCOUNT_ROLES:
        user = account(role)
        create_user(
            store,
            user,
            f"{role} one",
            role,
            PASSWORD,
            subject=PERSON if role == "subject" else None,
            agency=AGENCY_ID if role == AGENCY else None,
        )
        world.accounts[role] = user
    for role, scopes in KEY_SCOPES.items():
        _key, token = create_key(store, f"{role} key", scopes)
        world.keys[role] = token
    return world


def seed(store: Store) -> World:
    seed_records(store)
    return seed_accounts(store)


def client_login(client: TestClient, role: str) -> None:
    """Log the client in through the login form as the account of ``role``."""
    token = csrf_of(client.get("/login").text)
    form = {"csrf": token, "account": account(role), "password": PASSWORD, "next": ""}
    r = client.post("/login", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text


# --- in a real browser (tests/browser) -----------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
SERIOUS = ("serious", "critical")


def ensure_axe() -> Path:
    """axe-core's script, installed with npm into the virtualenv on first use
    (`make install` installs it too)."""
    if not AXE.is_file():
        prefix = AXE.parents[2]
        subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(prefix),
             "axe-core@4"],
            check=True,
            timeout=300,
        )  # fmt: skip
    return AXE


def login(page: Page, account: str, password: str = PASSWORD, next: str = "") -> None:
    """Log in through the login form, as a person would, and wait for the page it leads
    to (``next``, else the account's own start page)."""
    page.goto(f"/login?next={next}" if next else "/login")
    page.locator("#account").fill(account)
    page.locator("#password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def check_accessibility(page: Page) -> None:
    """Run axe-core on the page; no violation of impact serious or critical. (axe is
    evaluated through the browser's devtools channel: the pages' Content-Security-Policy
    rightly refuses a script tag added to them.)"""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(ensure_axe().read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("async () => await axe.run(document)")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -- "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]
    assert not bad, f"{page.url}: " + "\n".join(bad)


def screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save the page to docs/screenshots/<name>.png (the README shows them); a long page
    only as far as the window shows (``full_page=False``)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
