"""Who may take which remedy step over HTTP, and the answers the remedy routers share.

API keys carry role scopes (``socialcredit keys create NAME --scope role:…``):

* ``role:subject-service`` -- file objections, appeals and repair applications
  for subjects; read every case.
* ``role:provider:<id>`` -- answer objections to that provider's records; read
  those cases.
* ``role:reviewer`` -- accept and decide objections, decide repairs; read every
  case and the whole affected-decisions report.
* ``role:appeal-reviewer`` -- suspend a listing during an appeal, decide
  appeals; read every case.

The reviewer roles are those a pack's ``remedies.yaml`` names (``reviewers``;
the defaults above). Any key may read the affected decisions it made itself.

A case a key may not read answers 404 exactly as a case that does not exist
(:func:`visible`), before any role is checked: otherwise a 403 would tell a key
holder which case ids exist. A justification request is no case of these routes
(they answer 404 for it); it has its own, /v1/justifications
(:mod:`socialcredit.web.routes.justifications`).
"""

from __future__ import annotations

from socialcredit.access.keys import ApiKey, Forbidden
from socialcredit.remedies.cases import CaseView, show
from socialcredit.remedies.errors import CaseNotFound
from socialcredit.services.assess import assess
from socialcredit.store.database import Store
from socialcredit.web.routes.remedy_models import CaseBody, CaseOut, CasesOut, SubjectOut

SUBJECT_SERVICE = "subject-service"
READERS = (SUBJECT_SERVICE, "reviewer", "appeal-reviewer")


def require_role(key: ApiKey, role: str) -> None:
    if not key.has_role(role):
        raise Forbidden(f"key {key.id} ({key.name}) needs scope role:{role}")


def providers_of(key: ApiKey) -> set[str]:
    """The providers a key answers for (``role:provider:<id>``)."""
    return {s.removeprefix("role:provider:") for s in key.scopes if s.startswith("role:provider:")}


def may_read(key: ApiKey, view: CaseView) -> bool:
    if view.case.kind == "justification":  # read through /v1/justifications only
        return False
    roles = {*READERS, view.settings.reviewers.objection, view.settings.reviewers.appeal}
    roles.add(view.settings.reviewers.repair)
    if any(key.has_role(r) for r in roles):
        return True
    return view.case.provider is not None and view.case.provider in providers_of(key)


def visible(key: ApiKey, store: Store, case_id: str) -> CaseView:
    """The case, if this key may read it; else 404, as for a case that does not exist
    (only a key that reads every case is told that a case was withdrawn)."""
    try:
        view = show(store, case_id)
    except CaseNotFound:
        if any(key.has_role(r) for r in READERS):
            raise
        raise CaseNotFound(f"no case {case_id!r}", field="case") from None
    if not may_read(key, view):
        raise CaseNotFound(f"no case {case_id!r}", field="case")
    return view


def require_reader(key: ApiKey) -> None:
    if not any(key.has_role(r) for r in READERS) and not providers_of(key):
        raise Forbidden(
            f"key {key.id} ({key.name}) needs a role scope: role:subject-service, "
            "role:provider:<id>, role:reviewer or role:appeal-reviewer"
        )


def decided_by(key: ApiKey) -> str:
    return f"{key.name} (key {key.id})"


def case_out(store: Store, view: CaseView, *, reassess: bool = False) -> CaseOut:
    subject = SubjectOut.model_validate(assess(store, view.case.subject)) if reassess else None
    return CaseOut(case=CaseBody.model_validate(view.to_dict()), subject=subject)


def cases_out(key: ApiKey, views: list[CaseView]) -> CasesOut:
    found = [CaseBody.model_validate(v.to_dict()) for v in views if may_read(key, v)]
    return CasesOut(cases=found)
