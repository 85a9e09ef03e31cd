"""The portal of `make demo`: a login for every account role, keys for a provider and
a relying party, a session secret kept beside the store, the saved supervision reports
and the server.

The demo's passwords are printed: they open a synthetic city on the local
machine only. The session secret is written 0600 under the demo folder and
reused by later runs, so that a restarted server keeps the browser's login.

The supervisors' page ``/dashboards/supervision`` shows saved runs of the analytics: the
providers' report (about two seconds: it reads the running statistics) is saved during
the build; the others (the judges' and the jurisdictions' take 10-25 s, mostly exporting
a ledger snapshot) are computed one after the other by ``socialcredit supervise <kind>
--save`` in a background process once the server answers, so the page fills in within a
minute of the portal opening.
"""

from __future__ import annotations

import datetime as dt
import secrets
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from sqlalchemy import select

from socialcredit.access.keys import create_key
from socialcredit.access.users import create_user
from socialcredit.clock import day_of
from socialcredit.enforcement.entries import is_active
from socialcredit.enforcement.model import ListEntry
from socialcredit.errors import SocialCreditError
from socialcredit.identifiers import parse
from socialcredit.private_files import create_private
from socialcredit.remedies.objections import file_objection
from socialcredit.services import agencies
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store
from socialcredit.store.tables import providers, subjects

HOST = "127.0.0.1"
PORT = 8000
AGENCY = "credit-agency.demo"
SECRET_FILE = "session.secret"
SUPERVISION_LOG = "supervision.log"
BACKGROUND = ("officials", "judges", "jurisdictions")  # saved once the server answers
RELYING_SCOPES = ["transport.air.*", "procurement.*"]


@dataclass(frozen=True)
class Login:
    account: str
    role: str
    password: str
    acts_for: str = ""
    note: str = ""


def session_secret(root: Path) -> str:
    """The demo's session secret: read from ``root/session.secret``, or drawn and
    written there (0600) the first time."""
    path = root / SECRET_FILE
    if path.exists():
        kept = path.read_text(encoding="utf-8").strip()
        if len(kept) >= 32:
            return kept
        path.unlink()
    create_private(path)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret + "\n", encoding="utf-8")
    return secret


def _listed(entries: list[ListEntry], day: dt.date, kind: str) -> list[ListEntry]:
    return [
        e
        for e in entries
        if e.kind == "black"
        and e.ground_record is not None
        and is_active(e, day)
        and parse(e.subject).kind == kind
    ]


def _objecting_person(store: Store, entries: list[ListEntry], console: Console) -> str | None:
    """A listed person who objects to the ground of their listing (a case in flight)."""
    day = day_of(store.clock.now())
    for entry in _listed(entries, day, "person")[:10]:
        try:
            file_objection(
                ingestor(store),
                entry.subject,
                entry=entry.id,
                grounds="wrong",
                evidence="the judgment was paid in full; see the court's receipt",
            )
        except SocialCreditError as exc:
            console.print(f"  objection not filed: {exc.code}: {exc.message}")
            continue
        return entry.subject
    return None


def _enterprise(store: Store, entries: list[ListEntry]) -> str | None:
    """A listed enterprise, else any enterprise of the city."""
    day = day_of(store.clock.now())
    listed = _listed(entries, day, "enterprise")
    if listed:
        return listed[0].subject
    with store.reader() as conn:
        found = conn.execute(
            select(subjects.c.id).where(subjects.c.kind == "enterprise").limit(1)
        ).scalar()
    return str(found) if found else None


def _password(account: str) -> str:
    return f"{account}-demo-2026"


def create_logins(store: Store, entries: list[ListEntry], console: Console) -> list[Login]:
    """A login for every account role; the subject's with a list entry and an objection
    in flight, and an authorisation for the demo agency to read its report."""
    logins: list[Login] = []

    def add(account: str, role: str, note: str, **acts: str) -> None:
        create_user(store, account, note, role, _password(account), **acts)
        acting = acts.get("subject") or acts.get("agency") or ""
        logins.append(Login(account, role, _password(account), acting, note))

    person = _objecting_person(store, entries, console)
    if person is not None:
        add("resident", "subject", "a listed resident who objected", subject=person)
        agencies.grant(
            store,
            person,
            AGENCY,
            "mortgage application",
            day_of(store.clock.now()) + dt.timedelta(days=90),
        )
    firm = _enterprise(store, entries)
    if firm is not None:
        add("legalrep", "subject", "an enterprise's legal representative", subject=firm)
    add("reviewer", "reviewer", "objections and repairs desk")
    add("appeals", "appeal_reviewer", "appeals desk")
    add("policy", "policy_officer", "policy office")
    add("supervisor", "supervisor", "supervision office")
    add("agency", "agency", "a credit service agency", agency=AGENCY)
    add("auditor", "auditor", "audit office")
    add("admin", "admin", "platform administration")
    return logins


def create_keys(store: Store) -> list[tuple[str, str, str]]:
    """(who, scopes, token) of a provider's key, a relying party's key and the subject
    service's key (it files objections for subjects)."""
    with store.reader() as conn:
        court = (
            conn.execute(select(providers.c.id).where(providers.c.id == "spc.national")).scalar()
            or conn.execute(select(providers.c.id).order_by(providers.c.id)).scalar()
        )
    made = []
    if court:
        scope = f"role:provider:{court}"
        _key, token = create_key(store, f"{court} (demo)", [scope])
        made.append((str(court), scope, token))
    _key, token = create_key(store, "airline (demo)", RELYING_SCOPES)
    made.append(("airline", ", ".join(RELYING_SCOPES), token))
    _key, token = create_key(store, "subject service (demo)", ["role:subject-service"])
    made.append(("subject service", "role:subject-service", token))
    return made


def show(logins: list[Login], keys: list[tuple[str, str, str]], console: Console) -> None:
    """The logins and keys, one a line and never cut (they are copied from here)."""

    def say(text: str) -> None:
        console.print(text, soft_wrap=True, highlight=False, markup=False)

    say(f"\nportal logins at http://{HOST}:{PORT}/login (account / password: role, who):")
    for login in logins:
        acting = f", for {login.acts_for}" if login.acts_for else ""
        say(f"  {login.account} / {login.password}: {login.role}{acting} ({login.note})")
    say("API keys (header `Authorization: Bearer <token>`):")
    for who, scopes, token in keys:
        say(f"  {who} [{scopes}]: {token}")


def save_providers_report(store: Store, console: Console) -> None:
    """Save the providers' reliability report for the supervisors' page, as
    ``socialcredit supervise providers --save`` does."""
    from socialcredit.supervision.chart import svg
    from socialcredit.supervision.report import providers_report
    from socialcredit.supervision.saved import Run, save

    started = time.perf_counter()
    report = providers_report(store)
    run = Run(
        "providers",
        store.clock.now(),
        {"weeks": 12, "at": None},
        report.to_dict(),
        svg(report),
        time.perf_counter() - started,
    )
    saved = save(store, run)
    console.print(
        f"saved the providers' reliability report ({len(report.feeds)} feeds) in "
        f"{saved.seconds:.1f} s for /dashboards/supervision"
    )


def _answers(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def supervise_in_background(
    db: str, root: Path, host: str = HOST, port: int = PORT
) -> tuple[Path, threading.Thread]:
    """Once the server at ``host:port`` answers (at most two minutes' wait), run
    ``socialcredit supervise <kind> --save`` for each of :data:`BACKGROUND`, one after the
    other, in a child process each (output in ``root/supervision.log``, 0600: the reports
    name judges and officials). Returns the log's path and the thread that waits on them."""
    log = root / SUPERVISION_LOG
    log.unlink(missing_ok=True)
    create_private(log)

    def work() -> None:
        deadline = time.monotonic() + 120
        while not _answers(host, port) and time.monotonic() < deadline:
            time.sleep(0.5)
        with log.open("a", encoding="utf-8") as out:
            for kind in BACKGROUND:
                command = [sys.executable, "-m", "socialcredit.cli", "--db", db, "supervise",
                           kind, "--save"]  # fmt: skip
                out.write(f"$ socialcredit supervise {kind} --save\n")
                out.flush()
                started = time.perf_counter()
                done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False)
                out.write(f"# exit {done.returncode} in {time.perf_counter() - started:.1f} s\n")
                out.flush()

    thread = threading.Thread(target=work, name="supervision-reports", daemon=True)
    thread.start()
    return log, thread


def serve(db: str, secret: str, console: Console, root: Path | None = None) -> None:
    """The portal and the API until Ctrl-C; with ``root`` (the demo's folder), the slow
    supervision reports computed in the background once it answers."""
    import uvicorn

    from socialcredit.settings import Settings
    from socialcredit.web.app import create_app

    app = create_app(Settings(db=db, session_secret=secret), warm_up=True)
    console.print(f"\nserving the portal at http://{HOST}:{PORT} (Ctrl-C stops it)")
    if root is not None:
        log, _thread = supervise_in_background(db, root)
        console.print(
            f"computing the {', '.join(BACKGROUND)} supervision reports in the background "
            f"(about a minute; log: {log}): each appears on "
            f"http://{HOST}:{PORT}/dashboards/supervision (supervisor or auditor login) "
            "as soon as it is saved",
            soft_wrap=True,
        )
    uvicorn.run(app, host=HOST, port=PORT, log_level="warning", access_log=False)
