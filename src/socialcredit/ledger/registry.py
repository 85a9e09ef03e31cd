"""What the store knows about packs, categories and providers.

``init`` loads the active packs' catalogues and provider lists into the
store; providers can be registered later from a JSONL/YAML file. Each change
is an audited write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import Connection, delete, insert, select

from socialcredit.errors import SocialCreditError
from socialcredit.policy.catalogue import Catalogue, Category
from socialcredit.policy.pack import (
    Pack,
    ProviderKind,
    ProviderSpec,
    expand_patterns,
    merge_catalogue,
    merge_provider_kinds,
)
from socialcredit.store.chain import AuditWriter
from socialcredit.store.database import Store
from socialcredit.store.tables import categories, packs, provider_categories, providers
from socialcredit.yaml_text import load_yaml


class ProviderError(SocialCreditError):
    code = "invalid_provider"
    status = 400


@dataclass(frozen=True)
class LoadSummary:
    packs: list[str]
    categories: int
    providers: int


def pack_digest(pack: Pack) -> str:
    h = hashlib.sha256()
    for name, text in sorted(pack.files.items()):
        h.update(name.encode())
        h.update(b"\x00")
        h.update(text.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def load_packs_into(store: Store, loaded: Sequence[Pack]) -> LoadSummary:
    """Record the packs, their categories and their providers in the store."""
    catalogue = merge_catalogue(loaded)
    kinds = merge_provider_kinds(loaded)
    now = store.clock.now()
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        existing = {r.name: r.digest for r in conn.execute(select(packs.c.name, packs.c.digest))}
        for pack in loaded:
            digest = pack_digest(pack)
            if existing.get(pack.name) == digest:
                continue
            conn.execute(delete(packs).where(packs.c.name == pack.name))
            conn.execute(
                insert(packs),
                {"name": pack.name, "version": pack.version, "digest": digest, "loaded_at": now},
            )
            audit.append(
                "pack.loaded",
                pack.name,
                {"pack": pack.name, "version": pack.version, "digest": digest},
            )
        stored = {r.name: r.definition for r in conn.execute(select(categories))}
        owner = {name: pack.name for pack in loaded for name in pack.categories}
        for name in catalogue.names():
            # defaults left out: an absent legal basis is not an empty one (which is refused)
            definition = catalogue[name].model_dump_json(exclude_defaults=True)
            if stored.get(name) == definition:
                continue
            cat = catalogue[name]
            conn.execute(delete(categories).where(categories.c.name == name))
            conn.execute(
                insert(categories),
                {
                    "name": name,
                    "pack": owner[name],
                    "domain": cat.domain,
                    "severity": cat.severity,
                    "kind": cat.kind,
                    "definition": definition,
                },
            )
            audit.append(
                "category.defined",
                name,
                {"category": name, "pack": owner[name], "definition": orjson.loads(definition)},
            )
        specs = [spec for pack in loaded for spec in pack.providers]
        added = _register(conn, audit, now, specs, kinds, catalogue)
    return LoadSummary([p.name for p in loaded], len(catalogue), added)


def catalogue_from_store(conn: Connection) -> Catalogue:
    rows = conn.execute(select(categories.c.name, categories.c.definition))
    return Catalogue({r.name: Category.model_validate_json(r.definition) for r in rows})


def provider_kinds_for(loaded: Iterable[Pack]) -> dict[str, ProviderKind]:
    return merge_provider_kinds(loaded)


def authorisations(conn: Connection) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {r.id: set() for r in conn.execute(select(providers.c.id))}
    for r in conn.execute(select(provider_categories)):
        out.setdefault(r.provider, set()).add(r.category)
    return {k: frozenset(v) for k, v in out.items()}


def read_provider_file(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        data = load_yaml(text) or []
        if isinstance(data, dict):
            data = data.get("providers", [])
        if not isinstance(data, list):
            raise ProviderError(f"{path}: expected a list of providers")
        return data
    out = []
    for i, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                out.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise ProviderError(f"{path}: line {i}: not valid JSON: {exc}") from None
    return out


def register_providers(store: Store, entries: list[dict[str, Any]], loaded: Sequence[Pack]) -> int:
    """Register providers (id, kind, name, jurisdiction, optional categories); all or none."""
    kinds = merge_provider_kinds(loaded)
    with store.reader() as conn:
        catalogue = catalogue_from_store(conn)
    specs: list[ProviderSpec] = []
    narrowed: dict[str, list[str]] = {}
    for i, entry in enumerate(entries, start=1):
        entry = dict(entry)
        cats = entry.pop("categories", None)
        try:
            spec = ProviderSpec.model_validate(entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ProviderError(
                f"provider {i}: {'.'.join(map(str, err['loc']))}: {err['msg']}",
                field=".".join(map(str, err["loc"])),
            ) from None
        if spec.kind not in kinds:
            raise ProviderError(f"provider {spec.id}: unknown kind {spec.kind!r}", field="kind")
        if cats is not None:
            allowed = set(expand_patterns(kinds[spec.kind].categories, catalogue))
            wanted = expand_patterns(cats, catalogue)
            if not set(wanted) <= allowed or not wanted:
                raise ProviderError(
                    f"provider {spec.id}: categories {sorted(set(wanted) - allowed) or cats} "
                    f"are not reportable by a {spec.kind}",
                    field="categories",
                )
            narrowed[spec.id] = wanted
        specs.append(spec)
    now = store.clock.now()
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        return _register(conn, audit, now, specs, kinds, catalogue, narrowed)


def _register(
    conn: Connection,
    audit: AuditWriter,
    now: Any,
    specs: Sequence[ProviderSpec],
    kinds: dict[str, ProviderKind],
    catalogue: Catalogue,
    narrowed: dict[str, list[str]] | None = None,
) -> int:
    current = {r.id: r for r in conn.execute(select(providers))}
    current_cats: dict[str, set[str]] = {}
    for r in conn.execute(select(provider_categories)):
        current_cats.setdefault(r.provider, set()).add(r.category)
    changed = 0
    for spec in specs:
        cats = (narrowed or {}).get(spec.id) or expand_patterns(
            kinds[spec.kind].categories, catalogue
        )
        row = current.get(spec.id)
        same = (
            row is not None
            and (row.kind, row.name, row.jurisdiction) == (spec.kind, spec.name, spec.jurisdiction)
            and current_cats.get(spec.id, set()) == set(cats)
        )
        if same:
            continue
        conn.execute(delete(providers).where(providers.c.id == spec.id))
        conn.execute(delete(provider_categories).where(provider_categories.c.provider == spec.id))
        conn.execute(
            insert(providers),
            {
                "id": spec.id,
                "kind": spec.kind,
                "name": spec.name,
                "jurisdiction": spec.jurisdiction,
                "registered_at": now,
            },
        )
        if cats:
            conn.execute(
                insert(provider_categories), [{"provider": spec.id, "category": c} for c in cats]
            )
        audit.append(
            "provider.registered",
            spec.id,
            {
                "id": spec.id,
                "kind": spec.kind,
                "name": spec.name,
                "jurisdiction": spec.jurisdiction,
                "categories": cats,
            },
        )
        changed += 1
    return changed
