"""Who is asking: the roles of a request, from its API key or its portal session.

Roles are the rows of the permission table (:mod:`socialcredit.access.permissions`).
An API key's roles come from its scopes -- action scopes make it a relying
party, ``role:provider:<id>`` a provider, ``role:agency:<id>`` a credit
service agency, ``role:<name>`` the role of that name; a portal login has the
one role of its account. A request with neither is ``public``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from socialcredit.access.keys import ApiKey

PUBLIC = "public"
SUBJECT = "subject"
PROVIDER = "provider"
RELYING_PARTY = "relying_party"
SUBJECT_SERVICE = "subject_service"
REVIEWER = "reviewer"
APPEAL_REVIEWER = "appeal_reviewer"
POLICY_OFFICER = "policy_officer"
SUPERVISOR = "supervisor"
AGENCY = "agency"
AUDITOR = "auditor"
ADMIN = "admin"

ROLES = (
    PUBLIC,
    SUBJECT,
    PROVIDER,
    RELYING_PARTY,
    SUBJECT_SERVICE,
    REVIEWER,
    APPEAL_REVIEWER,
    POLICY_OFFICER,
    SUPERVISOR,
    AGENCY,
    AUDITOR,
    ADMIN,
)
# the roles a portal account may have (the others are held by API keys alone)
ACCOUNT_ROLES = (
    SUBJECT,
    REVIEWER,
    APPEAL_REVIEWER,
    POLICY_OFFICER,
    SUPERVISOR,
    AGENCY,
    AUDITOR,
    ADMIN,
)
# role scopes of API keys (``role:<scope>``) and the role each stands for
KEY_ROLES = {
    "subject-service": SUBJECT_SERVICE,
    "reviewer": REVIEWER,
    "appeal-reviewer": APPEAL_REVIEWER,
    "policy-officer": POLICY_OFFICER,
    "supervisor": SUPERVISOR,
    "auditor": AUDITOR,
    "admin": ADMIN,
}


@dataclass(frozen=True)
class Principal:
    """The one asking. ``subject`` is the subject a subject's login acts for;
    ``agency`` the agency an agency's login or key acts for; ``providers`` the
    providers a key answers for."""

    id: str
    name: str
    roles: frozenset[str]
    subject: str | None = None
    agency: str | None = None
    providers: frozenset[str] = field(default_factory=frozenset)
    key: ApiKey | None = None
    csrf: str | None = None  # the session's form token (portal logins only)

    @property
    def authenticated(self) -> bool:
        return self.roles != frozenset({PUBLIC})

    def has(self, role: str) -> bool:
        return role in self.roles


ANONYMOUS = Principal(id="", name="public", roles=frozenset({PUBLIC}))


def of_key(key: ApiKey) -> Principal:
    """The principal an API key stands for."""
    roles: set[str] = set()
    providers: set[str] = set()
    agency: str | None = None
    for scope in key.scopes:
        if scope.startswith("role:provider:"):
            providers.add(scope.removeprefix("role:provider:"))
            roles.add(PROVIDER)
        elif scope.startswith("role:agency:"):
            agency = scope.removeprefix("role:agency:")
            roles.add(AGENCY)
        elif scope.startswith("role:"):
            role = KEY_ROLES.get(scope.removeprefix("role:"))
            if role is not None:
                roles.add(role)
    if key.action_scopes:
        roles.add(RELYING_PARTY)
    return Principal(
        id=f"key:{key.id}",
        name=key.name,
        roles=frozenset(roles),
        agency=agency,
        providers=frozenset(providers),
        key=key,
    )
