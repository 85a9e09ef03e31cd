"""Resolving records without identifiers: score, decide, link or queue for review.

Each waiting hinted record gets its best candidate's match probability. At or above
the pack's ``upper`` threshold, with the name agreeing in characters (a name only in
pinyin, or only alike, is for a reviewer), and with no second candidate reaching
``lower`` (a namesake), it is linked: the record is appended to the ledger under the person, with
its provider's id and content, and beside it a ``remedy.record_linked`` record naming
the model version, the probability and ``confirmed: false``. From ``lower`` up, it
waits for a reviewer (``review``); below, it stays ``unlinked`` and counts nowhere.

A reviewer confirms a link (appending the record if the link was not automatic, and a
``remedy.record_linked`` with ``confirmed: true``), or rejects the candidate (the
record stays out of the ledger). The engines let a link by probability count in a
score but rest no list entry, hence no measure, on it until confirmed
(:mod:`socialcredit.engine.links`).

A link undone on the person's objection (:mod:`socialcredit.remedies.unlink`) puts the
record back among the unlinked, and every later run leaves that person out of its
candidates (:func:`excluded`); a reviewer cannot link it to them either. A record
linked again, to someone else, is appended under a ref of its own (``<ref>#relink-<n>``,
:func:`ledger_ref`): the first copy stays in the ledger, withdrawn.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson
from sqlalchemy import Connection, select, update

from socialcredit.clock import naive_utc, today
from socialcredit.errors import InvalidOption, NotFound
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.policy_store import active_policy
from socialcredit.ledger.record import Record, record_id
from socialcredit.policy.resolution import ResolutionSettings, effective_resolution
from socialcredit.resolution.features import Party, registry_persons, waiting
from socialcredit.resolution.matcher import Candidate, Engine, score, train
from socialcredit.resolution.models import MatchModel, latest_model, save_model
from socialcredit.store.database import Store
from socialcredit.store.tables import hinted_records, records

MIN_PERSONS_TO_TRAIN = 1_000  # below, u and the prior say little about a city
TRAIN_SAMPLE = 20_000  # hinted records EM estimates m on (a random sample: ids are hashes)
LINK_BATCH = 2_000  # automatic links appended per transaction
PLATFORM = "platform.remedies"
LINKED = "remedy.record_linked"
UNLINKED = "remedy.record_unlinked"
Outcome = Literal["linked", "review", "unlinked"]


@dataclass(frozen=True)
class Decision:
    hinted: str
    outcome: Outcome
    subject: str | None
    probability: float
    candidates: tuple[Candidate, ...] = ()


@dataclass
class ResolveResult:
    model: str
    persons: int
    scored: int
    linked: int = 0
    review: int = 0
    unlinked: int = 0
    decisions: list[Decision] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "persons": self.persons,
            "scored": self.scored,
            "linked": self.linked,
            "review": self.review,
            "unlinked": self.unlinked,
        }


def decide(
    hinted: Sequence[str],
    candidates: Sequence[Candidate],
    settings: ResolutionSettings,
    excluded: Mapping[str, frozenset[str]] | None = None,
) -> list[Decision]:
    """Each hinted record's outcome from its candidates (pure: the thresholds' rule),
    leaving out the persons ``excluded`` for it (those who objected to its link)."""
    by: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        if excluded is None or c.person not in excluded.get(c.hinted, ()):
            by[c.hinted].append(c)
    out = []
    for uid in hinted:
        found = sorted(by.get(uid, ()), key=lambda c: (-c.probability, c.person))
        found = [c for c in found if c.probability >= settings.lower]
        if not found:
            out.append(Decision(uid, "unlinked", None, 0.0))
            continue
        best = found[0]
        sure = best.probability >= settings.upper and best.same_characters
        outcome: Outcome = "linked" if sure and len(found) == 1 else "review"
        out.append(Decision(uid, outcome, best.person, best.probability, tuple(found[:5])))
    return out


def resolve(
    store: Store,
    ingestor: Ingestor,
    settings: ResolutionSettings,
    *,
    retrain: bool = False,
    engine: Engine = "duckdb",
) -> ResolveResult:
    """Score every unlinked hinted record against the registry, on ``engine`` (splink on
    DuckDB, or on a local Spark session), and act on the outcome."""
    with store.reader() as conn:
        persons = list(registry_persons(conn))
        hinted = list(waiting(conn))
    model = None if retrain else latest_model(store)
    if model is None:
        if not persons or not hinted:
            return ResolveResult("", len(persons), 0, unlinked=len(hinted))
        if len(persons) < MIN_PERSONS_TO_TRAIN:
            raise InvalidOption(
                f"the registry holds {len(persons)} person(s): estimating a match model "
                f"needs at least {MIN_PERSONS_TO_TRAIN} (a small registry makes every "
                "likeness look like a match)",
                field="registry",
            )
        sample = sorted(hinted, key=lambda h: h.uid)[:TRAIN_SAMPLE]  # ids are hashes
        model = save_model(store, train(persons, sample, engine), len(persons), len(sample))
    return apply(store, ingestor, model, persons, hinted, settings, engine)


def excluded(conn: Connection) -> dict[str, frozenset[str]]:
    """For each hinted record whose link was undone on an objection, the persons who
    objected: never to be linked to it again (``remedy.record_unlinked`` records)."""
    found: dict[str, set[str]] = defaultdict(set)
    rows = conn.execute(
        select(records.c.subject, records.c.attributes)
        .where(records.c.category == UNLINKED)
        .where(records.c.provider == PLATFORM)
    )
    for subject, text in rows:
        found[str(orjson.loads(text)["hinted"])].add(subject)
    return {k: frozenset(v) for k, v in found.items()}


def ledger_ref(ref: str, hinted: str, generation: int) -> str:
    """The ref the record is appended to the ledger under when linked: the provider's
    own the first time; ``<ref>#relink-<n>`` after ``n`` links undone (the id of ``ref``
    and ``#relink-<n>`` when that would pass the 200 characters of a ref)."""
    if generation == 0:
        return ref
    tail = f"#relink-{generation}"
    return ref + tail if len(ref) + len(tail) <= 200 else hinted + tail


def settings_now(store: Store) -> ResolutionSettings:
    """The thresholds of the packs in force now (``resolution.yaml``; else the defaults)."""
    with store.reader() as conn:
        policy = active_policy(conn, store.clock.now())
    return effective_resolution(policy.packs)


def apply(
    store: Store,
    ingestor: Ingestor,
    model: MatchModel,
    persons: Sequence[Party],
    hinted: Sequence[Party],
    settings: ResolutionSettings,
    engine: Engine = "duckdb",
) -> ResolveResult:
    candidates = score(model.model, persons, hinted, settings.lower, engine)
    result = ResolveResult(model.id, len(persons), len(hinted))
    now = naive_utc(store.clock.now())
    with store.reader() as conn:
        left_out = excluded(conn)
    links: list[Decision] = []
    queued: list[Decision] = []
    for d in decide([h.uid for h in hinted], candidates, settings, left_out):
        result.decisions.append(d)
        if d.outcome == "linked":
            links.append(d)
        elif d.outcome == "review":
            queued.append(d)
        else:
            result.unlinked += 1
    for i in range(0, len(links), LINK_BATCH):
        chunk = links[i : i + LINK_BATCH]
        _link(store, ingestor, [(d.hinted, d.subject or "", d.probability) for d in chunk],
              model.id, None)  # fmt: skip
        result.linked += len(chunk)
    if queued:
        with store.writer() as conn:
            for d in queued:
                _set_status(conn, d.hinted, ("unlinked", "review"), "review", d.subject,
                            d.probability, model.id, now)  # fmt: skip
        result.review = len(queued)
    return result


def review_queue(store: Store) -> list[dict[str, Any]]:
    """The hinted records waiting for a reviewer, oldest first, with their candidate and
    the persons who objected to an earlier link (never to be linked to them)."""
    with store.reader() as conn:
        rows = conn.execute(
            select(hinted_records)
            .where(hinted_records.c.status == "review")
            .order_by(hinted_records.c.recorded_at, hinted_records.c.id)
        ).all()
        left_out = excluded(conn)
    return [
        {
            "id": r.id,
            "provider": r.provider,
            "ref": r.ref,
            "category": r.category,
            "occurred_at": r.occurred_at.isoformat(),
            "hint": orjson.loads(r.hint),
            "candidate": r.subject,
            "probability": r.probability,
            "model": r.model,
            "excluded": sorted(left_out.get(r.id, ())),
        }
        for r in rows
    ]


def confirm(
    store: Store, ingestor: Ingestor, hinted: str, reviewer: str, subject: str | None = None
) -> str:
    """A reviewer confirms the link of ``hinted`` (to its candidate, or to ``subject``):
    the record counts for the person, lists and measures included. Returns the subject."""
    row = _row(store, hinted)
    if row.status not in ("review", "linked"):
        raise InvalidOption(
            f"record {hinted} is {row.status}: only a record in review or linked automatically "
            "can be confirmed",
            field="record",
        )
    if row.status == "linked" and row.reviewed_by is not None:
        raise InvalidOption(
            f"record {hinted} was confirmed already, by {row.reviewed_by}", field="record"
        )
    person = subject or row.subject
    if person is None:
        raise InvalidOption("subject: name the person the record is about", field="subject")
    if row.status == "linked" and person != row.subject:
        raise InvalidOption(
            "subject: the record is linked to another person; object to the link instead",
            field="subject",
        )
    _link(store, ingestor, [(hinted, person, row.probability or 0.0)], row.model or "", reviewer)
    return person


def reject(store: Store, hinted: str, reviewer: str) -> None:
    """A reviewer finds the candidate is not the person: the record stays unlinked."""
    row = _row(store, hinted)
    if row.status != "review":
        raise InvalidOption(f"record {hinted} is {row.status}, not in review", field="record")
    now = naive_utc(store.clock.now())
    with store.writer() as conn:
        _set_status(conn, hinted, ("review",), "rejected", row.subject, row.probability or 0.0,
                    row.model or "", now, reviewer)  # fmt: skip


def _row(store: Store, hinted: str) -> Any:
    with store.reader() as conn:
        row = conn.execute(select(hinted_records).where(hinted_records.c.id == hinted)).first()
    if row is None:
        raise NotFound(f"no record without identifier {hinted!r}", field="record")
    return row


def _link(
    store: Store,
    ingestor: Ingestor,
    links: Sequence[tuple[str, str, float]],
    model: str,
    reviewer: str | None,
) -> None:
    """Append, for each (hinted record, person, probability), the record under the
    person (unless already linked) and its ``remedy.record_linked``, and mark the hinted
    record ``linked``: all in one write transaction, all or nothing."""
    day = today(store.clock)
    ids = [h for h, _, _ in links]
    with store.reader() as conn:
        found = {
            r.id: r
            for r in conn.execute(select(hinted_records).where(hinted_records.c.id.in_(ids)))
        }
        left_out = excluded(conn)
    rows: list[dict[str, Any]] = []
    for hinted, subject, probability in links:
        row = found.get(hinted)
        if row is None:
            raise NotFound(f"no record without identifier {hinted!r}", field="record")
        if subject in left_out.get(hinted, ()):
            raise InvalidOption(
                f"subject: {subject} objected to the link of record {hinted} and it was "
                "undone: it may not be linked to them again",
                field="subject",
            )
        generation = len(left_out.get(hinted, ()))
        ref = ledger_ref(row.ref, hinted, generation)
        if row.status != "linked":
            rows.append(
                {
                    "provider": row.provider,
                    "ref": ref,
                    "subject": subject,
                    "category": row.category,
                    "occurred_at": row.occurred_at.isoformat(),
                    "reported_at": row.reported_at.isoformat() if row.reported_at else None,
                    "attributes": orjson.loads(row.attributes),
                    "legal_basis": row.legal_basis,
                }
            )
        attributes: dict[str, Any] = {
            "target": record_id(row.provider, ref),
            "model_version": model,
            "match_probability": round(probability, 6),
            "method": "reviewed" if reviewer else "automatic",
            "confirmed": reviewer is not None,
        }
        if reviewer:
            attributes["reviewed_by"] = reviewer
        if generation:
            attributes["hinted"] = hinted
        how = "confirmed" if reviewer else "automatic"
        link_ref = f"LINK-{hinted}-{generation}-{how}" if generation else f"LINK-{hinted}-{how}"
        rows.append(
            {
                "provider": PLATFORM,
                "ref": link_ref,
                "subject": subject,
                "category": LINKED,
                "occurred_at": day.isoformat(),
                "attributes": attributes,
            }
        )

    def mark(conn: Connection, _appended: list[Record]) -> None:
        now = naive_utc(store.clock.now())
        for hinted, subject, probability in links:
            # the status read above must still hold: a reviewer deciding meanwhile wins
            _set_status(conn, hinted, (found[hinted].status,), "linked", subject, probability,
                        model, now, reviewer)  # fmt: skip

    ingestor.ingest_atomic(rows, within=mark)


def _set_status(
    conn: Connection,
    hinted: str,
    expected: tuple[str, ...],
    status: str,
    subject: str | None,
    probability: float,
    model: str,
    now: dt.datetime,
    reviewer: str | None = None,
) -> None:
    """Move ``hinted`` from one of the ``expected`` statuses to ``status``; refused
    (``invalid_option``) if someone moved it meanwhile, which rolls the transaction back."""
    done = conn.execute(
        update(hinted_records)
        .where(hinted_records.c.id == hinted)
        .where(hinted_records.c.status.in_(expected))
        .values(
            status=status,
            subject=subject,
            probability=probability,
            model=model or None,
            resolved_at=now,
            reviewed_by=reviewer,
        )
    )
    if done.rowcount != 1:
        raise InvalidOption(
            f"record {hinted} was decided meanwhile; look at it again", field="record"
        )


__all__ = ["Decision", "ResolveResult", "apply", "confirm", "decide", "excluded", "ledger_ref",
           "reject", "resolve", "review_queue", "settings_now"]  # fmt: skip
