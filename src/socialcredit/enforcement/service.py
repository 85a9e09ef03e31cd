"""The check service: what relying parties call (in-process, CLI and HTTP).

* :meth:`Enforcement.outcome` answers from the in-memory index — the fast
  path for ticketing systems and bulk screening;
* :meth:`Enforcement.check` returns the full decision: measures, entries,
  records, legal bases, policy version and data time;
* with ``known_at`` in the past, :meth:`Enforcement.check` recomputes from
  the ledger as it was then ("what would we have decided on 3 March with
  what we knew then").

Every non-allow decision goes to the decision log (in the audit chain);
allows are counted and sampled.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from socialcredit.clock import SystemClock, day_of, naive_utc
from socialcredit.enforcement.actions import require_known
from socialcredit.enforcement.cache import IndexCache
from socialcredit.enforcement.decide import decide, roles_of
from socialcredit.enforcement.entries import entries_for
from socialcredit.enforcement.log import DecisionLog, LogItem
from socialcredit.enforcement.model import Decision, ListEntry
from socialcredit.engine.ledger_view import load_subject, place_on
from socialcredit.engine.model import SubjectRef
from socialcredit.engine.scope import Scope
from socialcredit.errors import NotFound, SocialCreditError
from socialcredit.identifiers import parse
from socialcredit.ledger.policy_store import policy_at
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.rules import ROLE_CATEGORIES
from socialcredit.store.database import Store
from socialcredit.store.tables import providers

MAX_BULK = 10_000


class TooManyChecks(SocialCreditError):
    """A bulk check of more than :data:`MAX_BULK` checks."""

    code = "too_many"
    status = 413


@dataclass(frozen=True)
class CheckOptions:
    refresh_seconds: float = 0.02
    allow_sample_rate: float = 0.01
    log_flush_seconds: float = 0.25
    log_flush_size: int = 5000


class Enforcement:
    def __init__(self, store: Store, options: CheckOptions | None = None) -> None:
        self.store = store
        self.options = options or CheckOptions()
        self.cache = IndexCache(store, self.options.refresh_seconds)
        self.log = DecisionLog(
            store,
            self.options.allow_sample_rate,
            self.options.log_flush_seconds,
            self.options.log_flush_size,
        )
        self._policies: dict[dt.datetime, tuple[PolicySet, str | None]] = {}
        self._activation_seq = -1
        self._tick_until = 0.0
        self._tick: tuple[dt.datetime, dt.date] = (dt.datetime.min, dt.date.min)
        self._next_policy_poll = 0.0
        self._provider_names = ProviderNames(store)

    def close(self) -> None:
        self.cache.close()
        self.log.close()

    def _now(self) -> tuple[dt.datetime, dt.date]:
        """The clock's time and China date, re-read at most every millisecond."""
        if not isinstance(self.store.clock, SystemClock):
            now = self.store.clock.now()  # a controlled clock: never stale
            return now, day_of(now)
        tick = time.monotonic()
        if tick >= self._tick_until:
            now = self.store.clock.now()
            self._tick = (now, day_of(now))
            self._tick_until = tick + 0.001
        return self._tick

    # -- fast path ------------------------------------------------------------
    def outcome(
        self,
        subject: str,
        action: str,
        at: dt.datetime | None = None,
        requester: str = "in-process",
    ) -> str:
        """The decision's outcome only, from the index; logged like any check."""
        self.cache.refresh()
        now, today = self._now()
        require_known(self._policy(None, now if at is None else naive_utc(at)), action)
        day = today if at is None else day_of(naive_utc(at))
        result = self.cache.outcome(subject, action, day)
        self.log.count(day, requester, action, result)
        if result != "allow" or self.log.sample_allow():
            measures = [r.measure for r in self.cache.lookup(subject, action, day)]
            self.log.add(
                LogItem(
                    requester,
                    subject,
                    action,
                    result,
                    now if at is None else naive_utc(at),
                    now,
                    "index",
                    {"measures": measures},
                    sampled=result == "allow",
                )
            )
        else:
            self.log.maybe_flush()
        return result

    def outcomes(
        self,
        subjects_: Sequence[str],
        action: str,
        at: dt.datetime | None = None,
        requester: str = "bulk",
    ) -> list[str]:
        """Bulk screening of many subjects for one action (e.g. a passenger manifest)."""
        self.cache.refresh()
        now, today = self._now()
        require_known(self._policy(None, now if at is None else naive_utc(at)), action)
        day = today if at is None else day_of(naive_utc(at))
        rows = self.cache.rows
        out = ["allow"] * len(subjects_)
        for i, subject in enumerate(subjects_):
            if subject in rows:
                result = self.cache.outcome(subject, action, day)
                out[i] = result
                if result != "allow":
                    self.log.add(
                        LogItem(
                            requester, subject, action, result, now, now, "index", {"bulk": True}
                        )
                    )
        for result in set(out):
            self.log.count(day, requester, action, result, out.count(result))
        self.log.maybe_flush()
        return out

    # -- full decisions ---------------------------------------------------------
    def check(
        self,
        subject: str,
        action: str,
        at: dt.datetime | None = None,
        known_at: dt.datetime | None = None,
        requester: str = "in-process",
        *,
        purpose: str | None = None,
        reference: str | None = None,
        log_all: bool = False,
    ) -> Decision:
        """The full decision. ``purpose`` and ``reference`` (the relying party's stated
        purpose and transaction reference) are echoed in the decision and logged with it;
        ``log_all`` logs an allow too (every check of a bulk request is logged)."""
        ident = parse(subject)
        now = self.store.clock.now()
        when = now if at is None else naive_utc(at)
        active = self._policy(None, when)
        require_known(active, action)
        known = now if known_at is None else naive_utc(known_at)
        # the index is in memory: ingestion in this process refreshes it on commit,
        # another process's within one poll
        if known_at is None and ident.value not in self.cache.rows:
            # nothing on any list reaches this subject: allow, without the ledger
            policy = active
            decision = Decision(
                subject=ident.value,
                action=action,
                outcome="allow",
                policy_version=policy.version,
                at=when,
                known_at=known,
                purpose=purpose,
                reference=reference,
            )
            self._log(decision, requester, log_all)
            return decision
        # the kind is the one the identifier names; where the subject is, its registry
        # records say (a measure of a local pack applies to those it places there)
        ref = SubjectRef(ident.value, ident.kind)
        if known_at is None:
            policy = active
            own, roles = self._entries_from_index(ref.id, action, day_of(when))
            place = self.cache.memo(ref.id, day_of(when), lambda: self._place(ref, when))
        else:
            with self.store.reader() as conn:
                policy = self._policy(conn, when)
                own, roles = entries_from_ledger(conn, policy, ref, when, known)
                place = place_on(conn, ref, when, known)
        decision = decide(
            policy,
            ref,
            action,
            own,
            roles,
            when,
            known,
            provider_names=self._provider_names,
            purpose=purpose,
            reference=reference,
            place=place,
        )
        self._log(decision, requester, log_all)
        return decision

    def _place(self, ref: SubjectRef, when: dt.datetime) -> Scope:
        """Where ``ref`` is on the day of ``when`` by what is known now."""
        with self.store.reader() as conn:
            return place_on(conn, ref, when, self.store.clock.now())

    def require_action(
        self, action: str, at: dt.datetime | None = None, field: str = "action"
    ) -> None:
        """Refuse (``unknown_action``) an action the policy active at ``at`` (default:
        now) does not know: not in the catalogue of actions nor named by a measure."""
        when = self._now()[0] if at is None else naive_utc(at)
        require_known(self._policy(None, when), action, field)

    def check_many(
        self,
        items: Sequence[tuple[str, str]],
        at: dt.datetime | None = None,
        requester: str = "in-process",
    ) -> list[Decision]:
        if len(items) > MAX_BULK:
            raise TooManyChecks(f"at most {MAX_BULK} checks in one request", field="checks")
        return [self.check(s, a, at, requester=requester) for s, a in items]

    def _policy(self, conn: Connection | None, when: dt.datetime) -> PolicySet:
        """The policy active at ``when``, cached; activations are polled like the index."""
        latest = self.cache.activation_seq  # polled with the index
        if latest != self._activation_seq:
            self._policies.clear()
            self._activation_seq = latest
        key = when.replace(second=0, microsecond=0)
        cached = self._policies.get(key)
        if cached is None:
            if conn is None:
                with self.store.reader() as c:
                    cached = policy_at(c, when)
            else:
                cached = policy_at(conn, when)
            if len(self._policies) > 10_000:
                self._policies.clear()
            self._policies[key] = cached
        return cached[0]

    def _entries_from_index(
        self, subject: str, action: str, day: dt.date
    ) -> tuple[list[ListEntry], list[tuple[str, str, ListEntry]]]:
        rows = self.cache.lookup(subject, action, day)
        own = self.cache.entries_of(subject)
        found = self.cache.entries_by_id(
            sorted({(r.owner, r.entry) for r in rows if r.target != "subject"})
        )
        roles = [
            (r.target, r.owner, found[r.entry])
            for r in rows
            if r.target != "subject" and r.entry in found
        ]
        return own, roles

    def _log(self, decision: Decision, requester: str, log_all: bool = False) -> None:
        day = day_of(decision.at)
        self.log.count(day, requester, decision.action, decision.outcome)
        sampled = decision.outcome == "allow" and not log_all
        if not sampled or self.log.sample_allow():
            reasons = {
                "measures": [m.measure for m in decision.measures],
                "entries": [e.id for e in decision.entries],
                "records": list(decision.records),
                "legal_bases": list(decision.legal_bases),
            }

            self.log.add(
                LogItem(
                    requester,
                    decision.subject,
                    decision.action,
                    decision.outcome,
                    decision.at,
                    decision.known_at,
                    decision.policy_version,
                    reasons,
                    sampled=sampled,
                    purpose=decision.purpose,
                    reference=decision.reference,
                )
            )
        else:
            self.log.maybe_flush()


class ProviderNames(Mapping[str, str]):
    """Provider names by id: read once, and again (at most every few seconds) when a
    decision names a provider not seen yet."""

    def __init__(self, store: Store, retry_seconds: float = 5.0) -> None:
        self.store = store
        self.retry_seconds = retry_seconds
        self._names: dict[str, str] = {}
        self._next_read = 0.0

    def _read(self) -> None:
        with self.store.reader() as conn:
            rows = conn.execute(select(providers.c.id, providers.c.name))
            self._names = {r.id: r.name for r in rows}
        self._next_read = time.monotonic() + self.retry_seconds

    def __getitem__(self, key: str) -> str:
        found = self._names.get(key)
        if found is None and time.monotonic() >= self._next_read:
            self._read()
            found = self._names.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def entries_from_ledger(
    conn: Connection, policy: PolicySet, subject: SubjectRef, at: dt.datetime, known: dt.datetime
) -> tuple[list[ListEntry], list[tuple[str, str, ListEntry]]]:
    """Recompute entries from the ledger as known at ``known`` (the exact, slow path)."""
    try:
        ref, records, role_orgs = load_subject(conn, subject.id, known)
    except NotFound:
        return [], []
    own = entries_for(policy, ref, records, at, known)
    roles: list[tuple[str, str, ListEntry]] = []
    if ref.kind == "person":
        role_records = [
            r
            for org in role_orgs
            for r in org.records
            if r.category in ROLE_CATEGORIES.values() or r.supersedes
        ]
        for role, org_id in roles_of(ref.id, role_records, at, known):
            org = next(o for o in role_orgs if o.organisation.id == org_id)
            for entry in entries_for(policy, org.organisation, list(org.records), at, known):
                roles.append((role, org_id, entry))
    return own, roles
