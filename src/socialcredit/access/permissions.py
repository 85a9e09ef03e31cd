"""Who may call which route: one declarative table, role × route × verb.

Every route of the app -- API and pages -- has exactly one row here; a route
without a row is refused to everyone (the gate answers 403), and a test walks
every role against every row (tests/web/test_permissions.py). The table is
rendered into docs/portal.md (``socialcredit portal permissions``).

The table decides who may *call* a route. Which subject, case or record a
caller may touch once in is decided by the route itself, against the caller's
own identity: a subject reads its own report, a reviewer may not decide a
case they filed, an agency reads a report only under a grant in force.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from socialcredit.access.principal import (
    ADMIN,
    AGENCY,
    APPEAL_REVIEWER,
    AUDITOR,
    POLICY_OFFICER,
    PROVIDER,
    PUBLIC,
    RELYING_PARTY,
    REVIEWER,
    ROLES,
    SUBJECT,
    SUBJECT_SERVICE,
    SUPERVISOR,
    Principal,
)


@dataclass(frozen=True)
class Rule:
    verb: str
    path: str  # the route's template, as the app declares it
    roles: frozenset[str]
    purpose: str
    logins: bool  # whether a portal login of a role counts (else only an API key does)

    @property
    def public(self) -> bool:
        return PUBLIC in self.roles


def _rule(
    verb: str, path: str, roles: Iterable[str], purpose: str, logins: bool | None = None
) -> Rule:
    """A row; a portal login counts on pages and, under /v1, only where ``logins`` says
    (the API's other routes take an API key)."""
    counted = not path.startswith("/v1/") if logins is None else logins
    return Rule(verb, path, frozenset(roles), purpose, counted)


ANYONE = (PUBLIC,)
ACCOUNTS = (SUBJECT, REVIEWER, APPEAL_REVIEWER, POLICY_OFFICER, SUPERVISOR, AGENCY, AUDITOR, ADMIN)
CASE_READERS = (SUBJECT_SERVICE, REVIEWER, APPEAL_REVIEWER, PROVIDER)
OVERSIGHT = (SUPERVISOR, AUDITOR, ADMIN, POLICY_OFFICER)
DESK = (REVIEWER, APPEAL_REVIEWER)
# the court (its own requests), the role a request names to decide it, and oversight
JUSTIFICATION_READERS = (PROVIDER, *DESK, SUPERVISOR, AUDITOR)

TABLE: tuple[Rule, ...] = (
    # --- the JSON API -----------------------------------------------------------
    _rule("GET", "/v1/health", ANYONE, "liveness and schema state"),
    _rule("POST", "/v1/checks", (RELYING_PARTY,), "check actions against lists and measures"),
    _rule("POST", "/v1/records", (PROVIDER,), "a provider ingests records"),
    _rule("GET", "/v1/notices", (SUBJECT_SERVICE, REVIEWER), "a subject's notices"),
    _rule("POST", "/v1/objections", (SUBJECT_SERVICE,), "file an objection"),
    _rule("GET", "/v1/objections", CASE_READERS, "objections by subject or record"),
    _rule(
        "GET",
        "/v1/objections/affected",
        (*CASE_READERS, RELYING_PARTY),
        "decisions a corrected record affected",
    ),
    _rule("GET", "/v1/objections/{case}", CASE_READERS, "one objection"),
    _rule("POST", "/v1/objections/{case}/accept", (REVIEWER,), "accept an objection"),
    _rule("POST", "/v1/objections/{case}/answer", (PROVIDER,), "the provider answers"),
    _rule("POST", "/v1/objections/{case}/decide", (REVIEWER,), "decide an objection"),
    _rule("POST", "/v1/appeals", (SUBJECT_SERVICE,), "file an appeal"),
    _rule("GET", "/v1/appeals", CASE_READERS, "appeals by subject"),
    _rule("GET", "/v1/appeals/{case}", CASE_READERS, "one appeal"),
    _rule("POST", "/v1/appeals/{case}/suspend", (APPEAL_REVIEWER,), "suspend a listing"),
    _rule("POST", "/v1/appeals/{case}/decide", (APPEAL_REVIEWER,), "decide an appeal"),
    _rule("POST", "/v1/repairs", (SUBJECT_SERVICE,), "apply for credit repair"),
    _rule("GET", "/v1/repairs", CASE_READERS, "repair applications by subject"),
    _rule("GET", "/v1/repairs/{case}", CASE_READERS, "one repair application"),
    _rule("POST", "/v1/repairs/{case}/decide", (REVIEWER,), "decide a repair application"),
    _rule(
        "GET",
        "/v1/subjects/{code}/report",
        (SUBJECT, AGENCY, SUBJECT_SERVICE),
        "a subject's full report: the subject itself, or an agency it authorised",
        logins=True,
    ),
    _rule("GET", "/v1/search", ANYONE, "public lookup by name or code"),
    _rule("GET", "/v1/subjects/{code}", ANYONE, "what the disclosure rules publish"),
    _rule("GET", "/v1/lists/{list}/entries", ANYONE, "a public list, paged"),
    _rule(
        "GET",
        "/v1/dashboards/{name}",
        OVERSIGHT,
        "the data behind a dashboard chart",
        logins=True,
    ),
    _rule(
        "GET",
        "/v1/supervision/judges",
        (SUPERVISOR, AUDITOR),
        "judges' deviation from what case facts predict",
        logins=True,
    ),
    _rule(
        "GET",
        "/v1/supervision/officials",
        (SUPERVISOR, AUDITOR),
        "indicators of officials and institutions (information only)",
        logins=True,
    ),
    _rule(
        "GET",
        "/v1/supervision/jurisdictions",
        (SUPERVISOR, AUDITOR),
        "local governments' responsiveness to directives (information only)",
        logins=True,
    ),
    _rule(
        "GET",
        "/v1/supervision/providers",
        (SUPERVISOR, AUDITOR),
        "the data providers' reliability",
        logins=True,
    ),
    _rule(
        "GET",
        "/v1/supervision/fairness",
        (SUPERVISOR, AUDITOR),
        "outcome rates by sex, age band and home region (information only)",
        logins=True,
    ),
    _rule(
        "GET",
        "/v1/risk/report",
        (SUPERVISOR, AUDITOR),
        "the risk model's AUC, KS, calibration and stability against the baseline",
        logins=True,
    ),
    _rule("GET", "/v1/risk/models", (SUPERVISOR, AUDITOR), "risk model versions", logins=True),
    _rule(
        "GET",
        "/v1/resolution/review",
        (REVIEWER, SUPERVISOR, AUDITOR),
        "records without identifier waiting for a reviewer's match decision",
        logins=True,
    ),
    _rule(
        "POST",
        "/v1/resolution/review/{record}/confirm",
        (REVIEWER,),
        "confirm a record's link to a person (it may then ground lists and measures)",
    ),
    _rule(
        "POST",
        "/v1/resolution/review/{record}/reject",
        (REVIEWER,),
        "reject a match candidate (the record stays unlinked)",
    ),
    _rule("GET", "/v1/holds", (REVIEWER, SUPERVISOR, AUDITOR), "feeds on hold", logins=True),
    _rule(
        "GET",
        "/v1/holds/{hold}",
        (REVIEWER, SUPERVISOR, AUDITOR),
        "a hold and the records it quarantines",
        logins=True,
    ),
    _rule("POST", "/v1/holds/{hold}/release", (REVIEWER,), "release what a hold quarantined"),
    _rule("POST", "/v1/holds/{hold}/reject", (REVIEWER,), "reject what a hold quarantined"),
    _rule(
        "POST",
        "/v1/justifications",
        (SUPERVISOR,),
        "request a justification of each flagged decision",
    ),
    _rule("GET", "/v1/justifications", JUSTIFICATION_READERS, "open justification requests"),
    _rule("GET", "/v1/justifications/{case}", JUSTIFICATION_READERS, "one justification request"),
    _rule(
        "POST", "/v1/justifications/{case}/answer", (PROVIDER,), "the court justifies a decision"
    ),
    _rule("POST", "/v1/justifications/{case}/decision", DESK, "find a justification sufficient"),
    # --- documents of the API and the server -------------------------------------
    _rule("GET", "/docs", ANYONE, "the API documentation"),
    _rule("GET", "/openapi.json", ANYONE, "the OpenAPI schema"),
    _rule("GET", "/metrics", ANYONE, "Prometheus metrics (counts and latencies only)"),
    _rule("GET", "/static/{path:path}", ANYONE, "the portal's own styles and scripts"),
    # --- the portal ---------------------------------------------------------------
    _rule("GET", "/", ANYONE, "the search box"),
    _rule("GET", "/search", ANYONE, "search results"),
    _rule("GET", "/subjects/{code}", ANYONE, "a subject's public record"),
    _rule("GET", "/lists/{list}", ANYONE, "a public list"),
    _rule("GET", "/language", ANYONE, "switch the language"),
    _rule("GET", "/login", ANYONE, "the login form"),
    _rule("POST", "/login", ANYONE, "log in"),
    _rule("POST", "/logout", ACCOUNTS, "log out"),
    _rule("GET", "/me", (SUBJECT,), "my credit"),
    _rule("POST", "/me/objections", (SUBJECT,), "object to a record"),
    _rule("POST", "/me/appeals", (SUBJECT,), "appeal a decision"),
    _rule("POST", "/me/repairs", (SUBJECT,), "apply for credit repair"),
    _rule("POST", "/me/consent", (SUBJECT,), "grant or withdraw consent to a points scheme"),
    _rule("POST", "/me/grants", (SUBJECT,), "authorise an agency to read my report"),
    _rule("POST", "/me/grants/{grant}/withdraw", (SUBJECT,), "withdraw an authorisation"),
    _rule("GET", "/review", DESK, "the reviewers' queues"),
    _rule("GET", "/review/{case}", DESK, "one case with its record and history"),
    _rule("POST", "/review/{case}", DESK, "decide a case"),
    _rule("GET", "/agency", (AGENCY,), "an agency's authorisations and reads"),
    _rule("GET", "/agency/reports/{code}", (AGENCY,), "read an authorised report"),
    _rule("GET", "/dashboards", OVERSIGHT, "dashboards"),
    _rule(
        "GET",
        "/dashboards/supervision",
        (SUPERVISOR, AUDITOR),
        "the latest saved supervision reports (information only)",
    ),
    _rule(
        "GET",
        "/dashboards/risk",
        (SUPERVISOR, AUDITOR),
        "the risk model's out-of-time figures and versions (information only)",
    ),
    _rule("GET", "/policy", (POLICY_OFFICER, SUPERVISOR, AUDITOR, ADMIN), "active packs"),
    _rule("POST", "/policy/dry-run", (POLICY_OFFICER,), "a candidate pack's transitions"),
    _rule("GET", "/audit", (AUDITOR, ADMIN), "audit chain, decision log, safeguards audit"),
    _rule("GET", "/admin", (ADMIN,), "accounts and keys"),
    _rule("POST", "/admin/users", (ADMIN,), "create an account"),
    _rule("POST", "/admin/keys", (ADMIN,), "create an API key"),
    _rule("POST", "/admin/keys/{key}/revoke", (ADMIN,), "revoke an API key"),
)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    out = []
    for part in parts:
        if part.startswith("{"):
            out.append(".+" if part.endswith(":path}") else "[^/]+")
        else:
            out.append(re.escape(part))
    return re.compile("^" + "".join(out) + "/?$")


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], Rule], ...]:
    # literal paths first, so that /v1/objections/affected wins over /v1/objections/{case}
    ordered = sorted(TABLE, key=lambda r: ("{" in r.path, r.path))
    return tuple((_pattern(r.path), r) for r in ordered)


def rule_for(verb: str, path: str) -> Rule | None:
    """The row of a request (HEAD is read as GET), or None for a path no row names."""
    verb = "GET" if verb == "HEAD" else verb
    for pattern, rule in _compiled():
        if rule.verb == verb and pattern.match(path):
            return rule
    return None


def path_known(path: str) -> bool:
    """Whether any row names this path (with whatever verb)."""
    return any(pattern.match(path) for pattern, _ in _compiled())


# what each role is, for a refusal's message and the docs
ROLE_MEANING = {
    PUBLIC: "anyone, without a key or login",
    SUBJECT: "a person or an enterprise's legal representative, logged in to the portal",
    PROVIDER: "a key with scope role:provider:<id>",
    RELYING_PARTY: "a key whose scopes name the actions it checks (transport.air.*)",
    SUBJECT_SERVICE: "a key with scope role:subject-service (files remedies for subjects)",
    REVIEWER: "a reviewer's login, or a key with scope role:reviewer",
    APPEAL_REVIEWER: "a second reviewer's login, or a key with scope role:appeal-reviewer",
    POLICY_OFFICER: "a policy officer's login, or a key with scope role:policy-officer",
    SUPERVISOR: "a supervisor's login, or a key with scope role:supervisor",
    AGENCY: "a credit service agency's login, or a key with scope role:agency:<id>",
    AUDITOR: "an auditor's login, or a key with scope role:auditor",
    ADMIN: "an administrator's login, or a key with scope role:admin",
}


def refusal(rule: Rule) -> str:
    """What a caller needs for a row, in words."""
    needs = "; ".join(ROLE_MEANING[r] for r in sorted(rule.roles))
    return needs if rule.logins else f"an API key of: {needs}"


def allowed(principal: Principal, rule: Rule) -> bool:
    if rule.public:
        return True
    if principal.key is None and not rule.logins:
        return False  # a portal login on a route that takes an API key
    return bool(principal.roles & rule.roles)


def as_markdown() -> str:
    """The table as docs/portal.md shows it: one line per route, a column per role."""
    head = "| verb | route | by | " + " | ".join(ROLES) + " | what |"
    rule = "|---|---|---|" + "---|" * len(ROLES) + "---|"
    lines = [head, rule]
    for r in TABLE:
        marks = " | ".join("✓" if r.public or role in r.roles else "" for role in ROLES)
        by = "anyone" if r.public else ("key or login" if r.logins else "key")
        lines.append(f"| {r.verb} | `{r.path}` | {by} | {marks} | {r.purpose} |")
    return "\n".join(lines)
