"""A subject's public record and a public list, as the disclosure rules publish them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from sqlalchemy import Connection, select

from socialcredit.clock import day_of, naive_utc
from socialcredit.enforcement.model import ListEntry
from socialcredit.engine.ledger_view import assess
from socialcredit.errors import NotFound, SocialCreditError
from socialcredit.ledger.policy_store import policy_at
from socialcredit.masking import is_resident_id, mask_identifier, mask_name
from socialcredit.policy.disclosure import (
    DECISION_CATEGORIES,
    LICENCE_CATEGORY,
    KindRules,
    Visibility,
)
from socialcredit.policy.law.allowlists import shipped_law
from socialcredit.policy.law.citation import basis_text
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.bulk import select_in
from socialcredit.store.database import Store
from socialcredit.store.public_refs import ensure_refs, known_refs
from socialcredit.store.tables import list_entries, providers, records

MAX_PAGE_SIZE = 100
REGISTRY = ("registry.person", "registry.enterprise", "registry.institution")


class PageTooLarge(SocialCreditError):
    """A page of a public list larger than :data:`MAX_PAGE_SIZE` entries."""

    code = "page_too_large"
    status = 422


def shown(value: str, visibility: Visibility, mask: Any) -> str | None:
    """A name or code as the rules publish it: whole, masked, or not at all. A resident
    identity number is never shown whole, whatever a pack says (the lint refuses it too)."""
    if visibility == "hidden":
        return None
    if visibility == "masked" or is_resident_id(value):
        return str(mask(value))
    return value


def rules_for(policy: PolicySet, kind: str) -> KindRules:
    """The rules for a kind of subject; a person's score or grade is never published,
    whatever a pack says (the lint refuses it too)."""
    rules = policy.disclosure.of(kind)
    if kind == "person" and (rules.grades or rules.scores):
        return rules.model_copy(update={"grades": False, "scores": False})
    return rules


def public_subject(store: Store, code: str) -> dict[str, Any]:
    """What the public may see of the subject ``code`` now (NotFound: no such subject)."""
    now = naive_utc(store.clock.now())
    day = day_of(now)
    ref = ensure_refs(store, [code])[code]  # a person's public reference: made on first use
    with store.reader() as conn:
        policy, _note = policy_at(conn, now)
        kind = _kinds(conn, [code]).get(code)
        if kind is None:
            raise NotFound(f"no public record of {code}", field="code")
        rules = rules_for(policy, kind)
        name = _names(conn, [code]).get(code, "")
        rows = conn.execute(
            select(list_entries.c.status_basis).where(list_entries.c.subject == code)
        ).all()
        entries = [ListEntry.load(r[0], day) for r in rows]
        entries = [e for e in entries if _published(policy, rules, e)]
        grounds = _attributes(conn, [e.ground_record for e in entries if e.ground_record])
        decisions = _decisions(conn, policy, code, day) if rules.decisions else []
        grades = _grades(conn, policy, code, now, rules) if rules.grades or rules.scores else []
    body: dict[str, Any] = {
        "ref": ref,
        "kind": kind,
        "at": day.isoformat(),
        "entries": [
            _entry(policy, rules, e, grounds)
            for e in sorted(entries, key=lambda e: (e.effective_from, e.id), reverse=True)
        ],
    }
    if (shown_name := shown(name, rules.name, mask_name)) is not None:
        body["name"] = shown_name
    if (shown_code := shown(code, rules.identifier, mask_identifier)) is not None:
        body["identifier"] = shown_code
    if rules.grades or rules.scores:
        body["grades"] = grades
    if rules.decisions:
        body["decisions"] = decisions
    return body


def public_list(
    store: Store, list_name: str, page: int = 1, page_size: int = 20, q: str | None = None
) -> dict[str, Any]:
    """The entries in force of ``list_name`` now, newest first, ``page`` of ``page_size``;
    ``q`` keeps those whose shown name, shown code or public reference contains it (a
    search never matches what the page does not show)."""
    if page_size > MAX_PAGE_SIZE:
        raise PageTooLarge(
            f"a page holds at most {MAX_PAGE_SIZE} entries, not {page_size}", field="page_size"
        )
    if page_size < 1 or page < 1:
        raise PageTooLarge("page and page_size start at 1", field="page")
    now = naive_utc(store.clock.now())
    day = day_of(now)
    with store.reader() as conn:
        policy, _note = policy_at(conn, now)
        info = policy.lists.get(list_name)
        if info is None:
            raise NotFound(f"no public list {list_name!r}", field="list")
        rows = conn.execute(
            select(list_entries.c.status_basis).where(list_entries.c.list == list_name)
        ).all()
        entries = [e for e in (ListEntry.load(r[0], day) for r in rows) if e.status == "active"]
        codes = {e.subject for e in entries}
        kinds = _kinds(conn, codes)
        entries = [
            e
            for e in entries
            if e.subject in kinds and _published(policy, rules_for(policy, kinds[e.subject]), e)
        ]
        names = _names(conn, {e.subject for e in entries})
        shown_subjects = {e.subject for e in entries}
        refs = known_refs(conn, shown_subjects)
        if missing := shown_subjects - refs.keys():  # persons shown for the first time
            refs.update(ensure_refs(store, missing))
        items = []
        for e in sorted(entries, key=lambda e: (e.effective_from, e.id), reverse=True):
            rules = rules_for(policy, kinds[e.subject])
            item: dict[str, Any] = {
                "ref": refs[e.subject],
                "kind": kinds[e.subject],
                "start": e.effective_from.isoformat(),
                "end": e.end.isoformat(),
            }
            if (name := shown(names.get(e.subject, ""), rules.name, mask_name)) is not None:
                item["name"] = name
            if (code := shown(e.subject, rules.identifier, mask_identifier)) is not None:
                item["identifier"] = code
            if q is None or _matches(q, item):
                items.append((e, item))
        total = len(items)
        chosen = items[(page - 1) * page_size : page * page_size]
        grounds = _attributes(conn, [e.ground_record for e, _ in chosen if e.ground_record])
    out = []
    for e, item in chosen:
        rules = rules_for(policy, item["kind"])
        attrs = _shown_attributes(rules, e, grounds)
        if attrs:
            item["attributes"] = attrs
        out.append(item)
    d = info.definition
    return {
        "list": list_name,
        "title": d.title,
        "title_zh": d.title_zh or d.title,
        "kind": d.kind,
        "authority": d.authority,
        "authority_zh": d.authority_zh or d.authority,
        "legal_basis": basis_text(d.legal_basis),
        "legal_basis_zh": basis_text(d.legal_basis, "zh"),
        "at": day.isoformat(),
        "page": page,
        "page_size": page_size,
        "total": total,
        "entries": out,
    }


# -- reading ---------------------------------------------------------------------------


def _kinds(conn: Connection, codes: Iterable[str]) -> dict[str, str]:
    return {r[0]: r[1] for r in select_in(conn, "subjects", ("id", "kind"), "id", codes)}


def _names(conn: Connection, codes: Iterable[str]) -> dict[str, str]:
    """Each subject's name in its latest registry record (persons, enterprises, bodies)."""
    wanted = sorted(set(codes))
    out: dict[str, str] = {}
    for i in range(0, len(wanted), 900):
        rows = conn.execute(
            select(records.c.subject, records.c.attributes)
            .where(
                records.c.subject.in_(wanted[i : i + 900]),
                records.c.category.in_(REGISTRY),
                records.c.withdrawn.is_(False),
            )
            .order_by(records.c.seq)
        )
        for subject, attributes in rows:
            name = orjson.loads(attributes).get("name")
            if isinstance(name, str) and name.strip():
                out[subject] = name.strip()
    return out


def _attributes(conn: Connection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    rows = select_in(conn, "records", ("id", "attributes"), "id", ids)
    return {r[0]: orjson.loads(r[1]) for r in rows}


def _published(policy: PolicySet, rules: KindRules, entry: ListEntry) -> bool:
    """An entry in force now, of a list the active packs declare, of a kind published."""
    if entry.status != "active" or entry.list not in policy.lists:
        return False
    return rules.black_lists if entry.kind == "black" else rules.red_lists


def _shown_attributes(
    rules: KindRules, entry: ListEntry, grounds: Mapping[str, dict[str, Any]]
) -> dict[str, Any]:
    attrs = grounds.get(entry.ground_record or "", {})
    return {k: attrs[k] for k in rules.attributes if attrs.get(k) not in (None, "")}


def _item_titles(policy: PolicySet, category: str) -> tuple[str, str]:
    """The English and Chinese titles of the catalogue item a category records."""
    if category not in policy.catalogue:
        return category, category
    cat = policy.catalogue[category]
    item = shipped_law().catalogue.get(cat.catalogue_item or "")
    if item is None:
        return cat.title, cat.title
    return item.title_en, item.title_zh


def _entry(
    policy: PolicySet, rules: KindRules, e: ListEntry, grounds: Mapping[str, dict[str, Any]]
) -> dict[str, Any]:
    d = policy.lists[e.list].definition
    item: dict[str, Any] = {
        "list": e.list,
        "kind": e.kind,
        "title": d.title,
        "title_zh": d.title_zh or d.title,
        "authority": d.authority,
        "authority_zh": d.authority_zh or d.authority,
        "legal_basis": basis_text(d.legal_basis),
        "legal_basis_zh": basis_text(d.legal_basis, "zh"),
        "start": e.effective_from.isoformat(),
        "end": e.end.isoformat(),
    }
    if e.ground is not None:
        en, zh = _item_titles(policy, e.ground.category)
        item["ground"] = en
        item["ground_zh"] = zh
    attrs = _shown_attributes(rules, e, grounds)
    if attrs:
        item["attributes"] = attrs
    return item


def _grades(
    conn: Connection, policy: PolicySet, code: str, now: dt.datetime, rules: KindRules
) -> list[dict[str, Any]]:
    assessment = assess(conn, policy, code, now, now, explain=False)
    out = []
    for name, s in sorted(assessment.schemes.items()):
        if s.grade is None:
            continue
        scheme = policy.schemes[name].scheme
        item: dict[str, Any] = {
            "scheme": name,
            "title": scheme.title,
            "title_zh": scheme.title_zh or scheme.title,
        }
        if rules.grades:
            item["grade"] = s.grade
        if rules.scores and s.score is not None:
            item["score"] = float(s.score)
        out.append(item)
    return out


def _decisions(
    conn: Connection, policy: PolicySet, code: str, day: dt.date
) -> list[dict[str, Any]]:
    """Licences granted and penalties decided ("double publicity"): the latest version of
    each decision, penalties for ``decision_days``, newest first."""
    since = day - dt.timedelta(days=policy.disclosure.decision_days)
    rows = conn.execute(
        select(
            records.c.id,
            records.c.provider,
            records.c.category,
            records.c.occurred_at,
            records.c.attributes,
            records.c.legal_basis,
            records.c.supersedes,
            records.c.withdrawn,
        )
        .where(records.c.subject == code, records.c.category.in_(DECISION_CATEGORIES))
        .order_by(records.c.seq)
    ).all()
    replaced = {r.supersedes for r in rows if r.supersedes}
    names = {r.id: r.name for r in conn.execute(select(providers.c.id, providers.c.name))}
    out = []
    for r in rows:
        if r.id in replaced or r.withdrawn:
            continue
        occurred = r.occurred_at if isinstance(r.occurred_at, dt.date) else None
        if occurred is None:
            occurred = dt.date.fromisoformat(str(r.occurred_at))
        licence = r.category == LICENCE_CATEGORY
        if occurred > day or (not licence and occurred < since):
            continue
        attrs: dict[str, Any] = orjson.loads(r.attributes)
        basis = r.legal_basis
        if not basis and r.category in policy.catalogue:
            basis = policy.catalogue[r.category].basis_text
        out.append(
            {
                "type": "licence" if licence else "penalty",
                "decision_no": attrs.get("decision_no"),
                "item": attrs.get("item") if licence else attrs.get("penalty"),
                "reason": attrs.get("reason"),
                "basis": basis or None,
                "authority": names.get(r.provider, r.provider),
                "date": occurred.isoformat(),
            }
        )
    out.sort(key=lambda d: (d["date"], d["decision_no"] or ""), reverse=True)
    return out


def _matches(q: str, item: Mapping[str, Any]) -> bool:
    needle = q.strip().casefold()
    return any(needle in str(item.get(key, "")).casefold() for key in ("name", "identifier", "ref"))
