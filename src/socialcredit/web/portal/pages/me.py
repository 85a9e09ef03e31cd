"""``/me``: a subject's own credit, and the forms to contest, repair and authorise.

The page shows, per scheme, the grade and the score by domain; the risk score
under the active model with the four reasons lowering it most; every record
that counts with its rule, points, legal basis and end; the way to a better
grade; the score over the last twelve months (an SVG drawn on the server);
the notices, list entries and measures in force with the actions they
restrict; the open cases; and the agencies authorised to read the report with
every read they made. Each form acts for the login's own subject only, checks
its token first, and goes back to ``/me?done=<what>`` when the step is taken;
a refusal is the error page, with nothing written.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from functools import lru_cache
from typing import Any

import altair as alt
import vl_convert as vlc
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from socialcredit.clock import today
from socialcredit.enforcement.paths import GROUNDS
from socialcredit.engine.ledger_view import ledger_record
from socialcredit.engine.records import CONSENT_CATEGORY, consented
from socialcredit.errors import NotFound
from socialcredit.ledger.policy_store import policy_at
from socialcredit.masking import is_resident_id
from socialcredit.notices.model import subject_notices
from socialcredit.remedies.appeals import file_appeal
from socialcredit.remedies.cases import cases, show
from socialcredit.remedies.errors import CaseNotFound
from socialcredit.remedies.objections import file_objection
from socialcredit.remedies.repair import Showing, apply_repair
from socialcredit.safeguards.consent import consent_schemes
from socialcredit.services import agencies
from socialcredit.services.history import Point, score_history
from socialcredit.services.ingest import ingestor
from socialcredit.services.kept import kept
from socialcredit.services.report import subject_report
from socialcredit.store.database import Store
from socialcredit.store.tables import records
from socialcredit.web.deps import StoreDep
from socialcredit.web.gate import principal_of
from socialcredit.web.portal.forms import InvalidForm, checked_form, field
from socialcredit.web.portal.i18n import Language, language
from socialcredit.web.portal.names import titled
from socialcredit.web.portal.render import N_, page, visit

router = APIRouter(include_in_schema=False)
CONSENT_PROVIDER = "platform.contacts"  # the platform's register of consents
DONE = {
    "objection": N_("Your objection has been filed."),
    "appeal": N_("Your appeal has been filed."),
    "repair": N_("Your application for credit repair has been filed."),
    "consent": N_("Your consent has been recorded."),
    "grant": N_("The agency has been authorised."),
    "withdrawn": N_("The authorisation has been withdrawn."),
}

GROUND_LABELS = {
    "wrong": N_("The record is wrong"),
    "missing": N_("Something is missing from it"),
    "duplicated": N_("It is a duplicate"),
    "outdated": N_("It is out of date"),
    "should_not_be_shown": N_("It should not be shown"),
    "inconsistent": N_("It contradicts another record"),
}

# the states a report names, as the page shows them (others: the code itself)
STATES = {
    "scored": N_("scored"),
    "no_consent": N_("not scored: no consent"),
    "pending": N_("pending"),
    "active": N_("in force"),
    "suspended": N_("suspended"),
    "ended": N_("ended"),
}


# the bands of the risk score (supervision/risk/service.py BANDS)
RISK_BANDS = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}


def contestable(report: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The subject's own records a form may name: those counting, and list grounds."""
    if report is None:
        return []
    found: dict[str, str] = {}
    for c in report["contributions"]:
        if c["objection"]["body"]["subject"] == report["subject"]:
            found.setdefault(c["record_id"], f"{c['category']} ({c['occurred_at']})")
    for e in report["entries"]:
        ground = e.get("ground")
        if e["via"] is None and ground is not None:
            found.setdefault(ground["record"], f"{ground['category']} ({ground['occurred_at']})")
    return sorted(found.items(), key=lambda item: item[1])


def report_names(store: Store, lang: Language) -> dict[str, Any]:
    """The titles a report's sections show, in the page's language (``_report.html``)."""
    with store.reader() as conn:
        policy, _note = policy_at(conn, store.clock.now())
    return {
        "states": STATES,
        "schemes": {name: titled(x.scheme, lang) for name, x in policy.schemes.items()},
        "list_titles": {name: titled(x.definition, lang) for name, x in policy.lists.items()},
        "measure_titles": {name: titled(x.definition, lang) for name, x in policy.measures.items()},
    }


def own_subject(request: Request) -> str:
    subject = principal_of(request.scope).subject
    if not subject:  # a subject's account always names its subject (access/users.py)
        raise NotFound("this login acts for no subject")
    return subject


def back(done: str) -> RedirectResponse:
    return RedirectResponse(f"/me?done={done}", status_code=303)


def chart(points: list[Point], lang: Language) -> str | None:
    """The score per scheme at each month's end as an SVG data URI (None: no point).
    Drawing costs tens of milliseconds and the points change at most once a day, so
    charts are kept by their points and language."""
    values = tuple((p.month.isoformat(), p.score, p.scheme) for p in points if p.score is not None)
    return _drawn(values, lang.tag) if values else None


@lru_cache(maxsize=4096)
def _drawn(points: tuple[tuple[str, float | None, str], ...], tag: str) -> str:
    lang = language(tag)
    values = [{"month": m, "score": v, "scheme": s} for m, v, s in points]
    spec = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", title=lang.gettext("Month")),
            y=alt.Y("score:Q", title=lang.gettext("Score")),
            color=alt.Color("scheme:N", title=lang.gettext("Scheme")),
        )
        .properties(width=480, height=200)
    )
    svg = vlc.vegalite_to_svg(spec.to_json())
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def consents(store: Store, subject: str) -> list[dict[str, Any]]:
    """The consent schemes and whether the subject consents to each now."""
    if not is_resident_id(subject):  # only a person is scored under a points scheme
        return []
    now = store.clock.now()
    with store.reader() as conn:
        policy, _note = policy_at(conn, now)
        schemes = consent_schemes(policy)
        if not schemes:
            return []
        rows = conn.execute(
            select(records).where(
                records.c.subject == subject, records.c.category == CONSENT_CATEGORY
            )
        ).all()
    found = [ledger_record(r._mapping) for r in rows]
    return [
        {
            "scheme": name,
            "title": policy.schemes[name].scheme.title,
            "given": consented(found, name),
        }
        for name in schemes
    ]


def own_credit(store: Store, subject: str) -> dict[str, Any]:
    """What ``/me`` shows of a subject in any language, kept until the store's next
    write (:mod:`socialcredit.services.kept`): a filing, a decision, an agency's read
    or a new record shows at once, and nothing is assessed twice in between."""

    def compute() -> dict[str, Any]:
        try:
            report: dict[str, Any] | None = subject_report(store, subject, risk=True)
        except NotFound:
            report = None
        return {
            "report": report,
            "contestable": contestable(report),
            "history": score_history(store, subject) if report is not None else [],
            "notices": subject_notices(store, subject),
            "cases": [v.to_dict() for v in cases(store, subject=subject)],
            "grants": agencies.grants_of(store, subject),
            "reads": agencies.reads_of(store, subject),
            "consents": consents(store, subject),
        }

    return kept(store, ("me", subject), compute)


@router.get("/me")
def me(request: Request, store: StoreDep, done: str = "") -> HTMLResponse:
    subject = own_subject(request)
    lang = visit(request).lang
    credit = own_credit(store, subject)
    return page(
        request,
        "me.html",
        subject=subject,
        **credit,
        **report_names(store, lang),
        ground_labels=GROUND_LABELS,
        risk_bands=RISK_BANDS,
        chart=chart(credit["history"], lang),
        grounds=GROUNDS,
        today=today(store.clock),
        done=DONE.get(done),
    )


@router.post("/me/objections")
async def post_objection(request: Request, store: StoreDep) -> RedirectResponse:
    form = await checked_form(request)
    subject = own_subject(request)
    record = field(form, "record", max_length=200)
    grounds = field(form, "grounds", max_length=40)
    if grounds not in GROUNDS:
        raise InvalidForm(f"grounds: one of {', '.join(GROUNDS)}", field="grounds")
    evidence = field(form, "evidence", max_length=4000)
    file_objection(
        ingestor(store),
        subject,
        record=record,
        grounds=grounds,  # checked against GROUNDS above
        evidence=evidence,
    )
    return back("objection")


@router.post("/me/appeals")
async def post_appeal(request: Request, store: StoreDep) -> RedirectResponse:
    form = await checked_form(request)
    subject = own_subject(request)
    case = field(form, "case", max_length=80)
    grounds = field(form, "grounds", max_length=4000)
    evidence = field(form, "evidence", required=False, max_length=4000) or None
    if show(store, case).case.subject != subject:  # another's case: as if absent
        raise CaseNotFound(f"no case {case!r}", field="case")
    file_appeal(ingestor(store), case, grounds, evidence)
    return back("appeal")


@router.post("/me/repairs")
async def post_repair(request: Request, store: StoreDep) -> RedirectResponse:
    form = await checked_form(request)
    subject = own_subject(request)
    record = field(form, "record", max_length=200)
    showing = Showing(
        pledge=form.get("pledge") == "yes",
        course=form.get("course") == "yes",
        fulfilment=field(form, "fulfilment", required=False, max_length=200) or None,
    )
    apply_repair(ingestor(store), subject, record=record, showing=showing)
    return back("repair")


@router.post("/me/consent")
async def post_consent(request: Request, store: StoreDep) -> RedirectResponse:
    form = await checked_form(request)
    subject = own_subject(request)
    scheme = field(form, "scheme", max_length=60)
    given = field(form, "given", max_length=3)
    if given not in ("yes", "no"):
        raise InvalidForm("given: yes or no", field="given")
    with store.reader() as conn:
        policy, _note = policy_at(conn, store.clock.now())
    if scheme not in consent_schemes(policy):
        raise InvalidForm(f"scheme: {scheme!r} is not a scheme that asks consent", field="scheme")
    now = store.clock.now()
    row = {
        "provider": CONSENT_PROVIDER,
        "ref": f"consent-{scheme}-{now:%Y%m%d}-{secrets.token_hex(6)}",
        "subject": subject,
        "category": CONSENT_CATEGORY,
        "occurred_at": today(store.clock).isoformat(),
        "attributes": {"scheme": scheme, "given": given == "yes"},
    }
    ingestor(store).ingest_atomic([row])
    return back("consent")


@router.post("/me/grants")
async def post_grant(request: Request, store: StoreDep) -> RedirectResponse:
    form = await checked_form(request)
    subject = own_subject(request)
    agency = field(form, "agency", max_length=80)
    purpose = field(form, "purpose", max_length=200)
    until = field(form, "until", max_length=10)
    try:
        last = dt.date.fromisoformat(until)
    except ValueError:
        raise InvalidForm("until: a day (YYYY-MM-DD)", field="until") from None
    agencies.grant(store, subject, agency, purpose, last)
    return back("grant")


@router.post("/me/grants/{grant}/withdraw")
async def post_withdraw(grant: str, request: Request, store: StoreDep) -> RedirectResponse:
    await checked_form(request)
    agencies.withdraw(store, own_subject(request), grant)
    return back("withdrawn")
