"""Loading what one subject's evaluation needs from the store, and assessing it.

Only records known at ``known_at`` (``recorded_at <= known_at``; a record a hold
quarantined only once released, as :mod:`socialcredit.engine.quarantine` says) are
read: the subject's own records and, for role rules (``via``), the records of the
organisations whose role registry records name the subject. The
``record_links`` table, filled at ingestion, finds those organisations from
the person's side; which of them the person still represents on the day of
the assessment is the engine's business (docs/engine.md step 13).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import lru_cache

import orjson
from sqlalchemy import Connection, RowMapping, or_, select

from socialcredit.clock import SystemClock, day_of, naive_utc
from socialcredit.engine.incremental import RoleRecords, evaluate_subject
from socialcredit.engine.model import Assessment, LedgerRecord, SubjectRef
from socialcredit.engine.plan import plan_for
from socialcredit.engine.quarantine import KNOWN_FROM, LEDGER, known_by
from socialcredit.engine.records import effective_records
from socialcredit.engine.scope import SCOPE_CATEGORIES, Scope, scope_of
from socialcredit.errors import NotFound
from socialcredit.identifiers import parse
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.rules import ROLE_CATEGORIES
from socialcredit.store.database import Store
from socialcredit.store.tables import record_links, records, subjects

RECORD_COLUMNS = (  # a LedgerRecord's columns, from LEDGER; ledger_record builds it from a row
    records.c.seq,
    records.c.id,
    records.c.provider,
    records.c.subject,
    records.c.category,
    records.c.occurred_at,
    KNOWN_FROM,
    records.c.attributes,
    records.c.supersedes,
    records.c.withdrawn,
    records.c.ref,
    records.c.legal_basis,
)


def load_subject(
    conn: Connection,
    subject_id: str,
    known_at: dt.datetime,
    *,
    policy: PolicySet | None = None,
    only: frozenset[str] | None = None,
    roles_too: bool = True,
) -> tuple[SubjectRef, list[LedgerRecord], list[RoleRecords]]:
    """The subject, its records known at ``known_at`` and its role organisations'.

    With ``policy``, organisations are looked up only if the policy has role
    rules, and only their records that those rules read (plus any correction
    or withdrawal, whose category may differ) are loaded; without it, all
    records of every organisation naming the subject in a role.

    ``only`` limits the subject's own records to these categories (plus every
    record that supersedes another, and the remedy steps, which can change any
    record's effect; add the scope categories to know where the subject is);
    ``roles_too=False`` skips the role organisations.

    Raises :class:`NotFound` when no record is about the subject or names it.
    """
    known_at = naive_utc(known_at)
    subject = _subject(conn, subject_id)
    if subject is None:
        raise NotFound(f"no subject {subject_id!r} in the ledger", field="subject")
    stmt = (
        select(*RECORD_COLUMNS)
        .select_from(LEDGER)
        .where(records.c.subject == subject.id, known_by(known_at))
    )
    if only is not None:
        stmt = stmt.where(
            or_(
                records.c.category.in_(sorted(only)),
                records.c.category.like("remedy.%"),
                records.c.supersedes.is_not(None),
            )
        )
    own = [ledger_record(r._mapping) for r in conn.execute(stmt.order_by(records.c.seq))]
    if not roles_too:
        return subject, own, []

    categories: frozenset[str] | None = None
    roles = set(ROLE_CATEGORIES)
    if policy is not None:
        plan = plan_for(policy)
        if not plan.role_categories:
            return subject, own, []
        categories = plan.org_categories()
        roles = set(plan.role_categories)
    return subject, own, _role_records(conn, subject.id, known_at, roles, categories)


def assess(
    source: Store | Connection,
    policy: PolicySet,
    subject_id: str,
    at: dt.datetime | None = None,
    known_at: dt.datetime | None = None,
    *,
    explain: bool = True,
) -> Assessment:
    """Assess one subject from the store as of ``at`` with what was known at ``known_at``.

    ``at`` defaults to the store's clock (the system clock for a bare
    connection); ``known_at`` defaults to ``at``. Raises :class:`NotFound`
    for an unknown subject.
    """
    if isinstance(source, Store):
        at = source.clock.now() if at is None else at
        with source.reader() as conn:
            return assess(conn, policy, subject_id, at, known_at, explain=explain)
    at = SystemClock().now() if at is None else at
    known = at if known_at is None else known_at
    subject, own, roles = load_subject(source, subject_id, known, policy=policy)
    return evaluate_subject(policy, subject, own, at, known, roles, explain)


def place_on(
    conn: Connection, subject: SubjectRef, at: dt.datetime, known_at: dt.datetime | None = None
) -> Scope:
    """Where ``subject`` is on the day of ``at`` by its registry records known at
    ``known_at`` (default ``at``): :func:`socialcredit.engine.scope.scope_of`."""
    known = naive_utc(at if known_at is None else known_at)
    stmt = (
        select(*RECORD_COLUMNS)
        .select_from(LEDGER)
        .where(
            records.c.subject == subject.id,
            known_by(known),
            or_(
                records.c.category.in_(sorted(SCOPE_CATEGORIES)),
                records.c.category.like("remedy.%"),
                records.c.supersedes.is_not(None),
            ),
        )
    )
    rows = [ledger_record(r._mapping) for r in conn.execute(stmt.order_by(records.c.seq))]
    day = day_of(naive_utc(at))
    return scope_of(subject.kind, effective_records(rows, known, day, subject.id), day)


def locate(
    conn: Connection,
    at: dt.datetime,
    known_at: dt.datetime | None = None,
    subjects: Iterable[str] = (),
) -> Callable[[str], str | None]:
    """Where a subject is on the day of ``at`` (its area of residence or registration,
    None when no record places it), each subject looked up once; ``subjects`` known to
    be asked about are read together first (:func:`locate_many`)."""
    found: dict[str, str | None] = locate_many(conn, subjects, at, known_at)

    def area_of(subject: str) -> str | None:
        if subject not in found:
            ident = parse(subject)
            ref = SubjectRef(ident.value, ident.kind)
            found[subject] = place_on(conn, ref, at, known_at).area
        return found[subject]

    return area_of


def locate_many(
    conn: Connection,
    subjects: Iterable[str],
    at: dt.datetime,
    known_at: dt.datetime | None = None,
) -> dict[str, str | None]:
    """:func:`place_on`'s area for many subjects, their records read in a few queries."""
    wanted = sorted(set(subjects))
    if not wanted:
        return {}
    known = naive_utc(at if known_at is None else known_at)
    day = day_of(naive_utc(at))
    out: dict[str, str | None] = {}
    for sid, (ref, rows) in load_many(conn, wanted, known, SCOPE_CATEGORIES).items():
        out[sid] = scope_of(ref.kind, effective_records(rows, known, day, sid), day).area
    return out


def _subject(conn: Connection, subject_id: str) -> SubjectRef | None:
    """The subject's row; or, for a subject no record is about but one names
    (a legal representative, say), what its identifier says."""
    key = subject_id.strip().upper()
    row = conn.execute(select(subjects.c.id, subjects.c.kind).where(subjects.c.id == key)).first()
    if row is not None:
        return SubjectRef(row.id, row.kind)
    named = conn.execute(
        select(record_links.c.target).where(record_links.c.target == key).limit(1)
    ).first()
    if named is None:
        return None
    ident = parse(key)
    return SubjectRef(ident.value, ident.kind)


def _role_records(
    conn: Connection,
    person: str,
    known_at: dt.datetime,
    roles: Iterable[str],
    categories: Collection[str] | None,
) -> list[RoleRecords]:
    """Every organisation a known role registry record names the person in, with its records."""
    role_categories = sorted(ROLE_CATEGORIES[r] for r in roles)
    found = select(record_links.c.subject).select_from(
        record_links.join(LEDGER, records.c.seq == record_links.c.seq)
    )
    found = found.where(
        record_links.c.target == person,
        record_links.c.attr == "person",
        record_links.c.category.in_(role_categories),
        known_by(known_at),
    )
    orgs = sorted({row.subject for row in conn.execute(found.distinct())})
    if not orgs:
        return []
    refs = {
        r.id: SubjectRef(r.id, r.kind)
        for r in conn.execute(select(subjects.c.id, subjects.c.kind).where(subjects.c.id.in_(orgs)))
    }
    stmt = (
        select(*RECORD_COLUMNS)
        .select_from(LEDGER)
        .where(records.c.subject.in_(orgs), known_by(known_at))
    )
    if categories is not None:
        stmt = stmt.where(
            or_(records.c.category.in_(sorted(categories)), records.c.supersedes.is_not(None))
        )
    by_org: dict[str, list[LedgerRecord]] = {org: [] for org in refs}
    for row in conn.execute(stmt.order_by(records.c.seq)):
        by_org[row.subject].append(ledger_record(row._mapping))
    return [RoleRecords(refs[org], tuple(by_org[org])) for org in sorted(refs)]


def ledger_record(m: RowMapping) -> LedgerRecord:
    return LedgerRecord(
        seq=int(m["seq"]),
        id=m["id"],
        provider=m["provider"],
        subject=m["subject"],
        category=m["category"],
        occurred_at=m["occurred_at"],
        recorded_at=m["recorded_at"],
        attributes=orjson.loads(m["attributes"]),
        supersedes=m["supersedes"],
        withdrawn=bool(m["withdrawn"]),
        ref=m["ref"],
        legal_basis=m["legal_basis"],
    )


__all__ = [
    "RECORD_COLUMNS",
    "assess",
    "ledger_record",
    "load_many",
    "load_subject",
    "locate",
    "place_on",
]


@lru_cache(maxsize=65536)
def _ref(subject_id: str) -> SubjectRef:
    """A subject as its identifier names it (checked once: ingestion touches the same
    subjects batch after batch)."""
    ident = parse(subject_id)
    return SubjectRef(ident.value, ident.kind)


def load_many(
    conn: Connection,
    subject_ids: Sequence[str],
    known_at: dt.datetime,
    only: frozenset[str],
) -> dict[str, tuple[SubjectRef, list[LedgerRecord]]]:
    """Several subjects' own records of the categories ``only`` (plus corrections and
    remedy steps, as :func:`load_subject`), in a few queries. Subjects' kind is the one
    their identifiers name; add :data:`~socialcredit.engine.scope.SCOPE_CATEGORIES` to
    ``only`` to know where they are."""
    known_at = naive_utc(known_at)
    out: dict[str, tuple[SubjectRef, list[LedgerRecord]]] = {}
    for sid in subject_ids:
        ref = _ref(sid)
        out[ref.id] = (ref, [])
    keys = sorted(out)
    for i in range(0, len(keys), 900):
        stmt = (
            select(*RECORD_COLUMNS)
            .select_from(LEDGER)
            .where(
                records.c.subject.in_(keys[i : i + 900]),
                known_by(known_at),
                or_(
                    records.c.category.in_(sorted(only)),
                    records.c.category.like("remedy.%"),
                    records.c.supersedes.is_not(None),
                ),
            )
            .order_by(records.c.seq)
        )
        for r in conn.execute(stmt):
            rec = ledger_record(r._mapping)
            out[rec.subject][1].append(rec)
    return out
