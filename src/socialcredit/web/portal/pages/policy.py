"""``/policy``: the packs in force, their rules, lists and measures as text; and
``POST /policy/dry-run``: a candidate pack diffed against them over the ledger.

A candidate is a shipped pack (by name), optionally with one of its files
replaced by the YAML text the officer typed: the simplest change that can be
tried without touching the server's files. The diff is the one ``socialcredit
policy diff`` prints (:func:`socialcredit.engine.diff.diff_policies`): per
scheme, how many subjects move from which grade to which. No subject is named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from socialcredit.access.principal import POLICY_OFFICER
from socialcredit.engine.diff import PolicyDiff, SchemeDiff, candidate_policy, diff_policies
from socialcredit.errors import PolicyError
from socialcredit.ledger.policy_store import active_packs, load_version
from socialcredit.policy.pack import PACKS_DIR, Pack, load_pack_files, read_pack_files
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.predicate import describe
from socialcredit.store.database import Store
from socialcredit.web.deps import StoreDep
from socialcredit.web.portal.forms import InvalidForm, checked_form, field
from socialcredit.web.portal.i18n import Language
from socialcredit.web.portal.names import titled
from socialcredit.web.portal.render import N_, page, visit

router = APIRouter(include_in_schema=False)

# the files a pack folder may hold (policy/pack.py), the ones a candidate may replace
PACK_FILES = (
    "pack.yaml",
    "categories.yaml",
    "providers.yaml",
    "scoring.yaml",
    "lists.yaml",
    "measures.yaml",
    "remedies.yaml",
    "additions.yaml",
)
MAX_YAML = 200_000  # characters of a replaced file
# grades that are not a band of the scheme, shown after the bands
NOT_GRADED = (N_("no consent"), N_("out of scope"))


def shipped_packs() -> list[str]:
    """The packs shipped with the platform, by folder name."""
    return sorted(p.name for p in PACKS_DIR.iterdir() if (p / "pack.yaml").is_file())


@dataclass(frozen=True)
class Shown:
    """One active pack as the page shows it."""

    name: str
    version: str
    digest: str
    activated_at: dt.datetime
    pack: Pack
    rules: list[dict[str, Any]]
    lists: list[dict[str, Any]]
    measures: list[dict[str, Any]]


def _shown(pack: Pack, lang: Language, digest: str, activated_at: dt.datetime) -> Shown:
    rules = []
    for rule in pack.scoring.rules:
        category = pack.categories.get(rule.category)
        points = f"{rule.points:+g}" + (f" × {rule.per}" if rule.per else "")
        rules.append(
            {
                "id": rule.id,
                "scheme": rule.scheme,
                "category": rule.category,
                "category_title": titled(category, lang) if category else "",
                "condition": describe(rule.when),
                "points": points,
                "grade_cap": rule.grade_cap,
                "basis": rule.basis_text,
                "explanation": rule.note,
            }
        )
    lists = [
        {
            "name": d.name,
            "title": titled(d, lang),
            "kind": d.kind,
            "authority": d.authority,
            "basis": d.basis_text,
        }
        for d in pack.lists.values()
    ]
    measures = [
        {
            "name": m.name,
            "title": titled(m, lang),
            "effect": m.effect,
            "actions": ", ".join(m.actions),
            "lists": ", ".join(m.lists),
            "basis": m.basis_text,
        }
        for m in pack.measures.values()
    ]
    return Shown(pack.name, pack.version, digest[:12], activated_at, pack, rules, lists, measures)


def _active(store: Store, lang: Language) -> list[Shown]:
    with store.reader() as conn:
        found = active_packs(conn, store.clock.now())
        return [_shown(load_version(conn, a.digest), lang, a.digest, a.activated_at) for a in found]


@router.get("/policy")
def policy(request: Request, store: StoreDep) -> HTMLResponse:
    seen = visit(request)
    return page(
        request,
        "policy.html",
        packs=_active(store, seen.lang),
        officer=seen.principal.has(POLICY_OFFICER),
        shipped=shipped_packs(),
        pack_files=PACK_FILES,
        chosen={"pack": "", "file": "", "yaml": ""},
    )


def candidate_pack(name: str, file: str, text: str) -> Pack:
    """The shipped pack ``name``, with ``file`` replaced by ``text`` when given."""
    if name not in shipped_packs():
        raise InvalidForm(f"pack: no shipped pack named {name!r}", field="pack")
    files = read_pack_files(PACKS_DIR / name)
    if text:
        if file not in PACK_FILES:
            raise InvalidForm("file: choose the file the text replaces", field="file")
        files[file] = text
    return load_pack_files(files, Path(f"<candidate {name}>"))


def _matrix(diff: SchemeDiff, policy: PolicySet, lang: Language) -> dict[str, Any]:
    """A scheme's transitions as a table: grades best first, then the states without one."""
    info = policy.schemes.get(diff.scheme)
    bands = [b.grade for b in info.scheme.bands] if info is not None else []
    seen = set(diff.matrix) | {g for row in diff.matrix.values() for g in row}
    extra = sorted(g for g in seen if g not in bands)
    order = [g for g in bands if g in seen] + extra
    rows = [(g, [diff.matrix.get(g, {}).get(to, 0) for to in order]) for g in order]
    return {
        "scheme": diff.scheme,
        "title": titled(info.scheme, lang) if info is not None else "",
        "subjects": diff.subjects,
        "changed": diff.changed,
        "grades": order,
        "rows": rows,
        "groups": sorted(diff.by_group.items()),
    }


def _dry_run(store: Store, candidate: Pack) -> tuple[PolicyDiff, PolicySet]:
    now = store.clock.now()
    with store.reader() as conn:
        current = [load_version(conn, a.digest) for a in active_packs(conn, now)]
    proposed = candidate_policy(current, candidate)
    return diff_policies(store, PolicySet(current), proposed, now, sample=0), proposed


def yaml_text(form: FormData) -> str:
    """The replacement file's text: longer than an ordinary field (a pack file is tens of
    kilobytes), so read here with its own bound."""
    value = form.get("yaml")
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > MAX_YAML:
        raise InvalidForm(f"yaml: at most {MAX_YAML} characters", field="yaml")
    return text


@router.post("/policy/dry-run")
async def dry_run(request: Request, store: StoreDep) -> HTMLResponse:
    form = await checked_form(request)
    name = field(form, "pack", max_length=80)
    file = field(form, "file", required=False, max_length=40)
    text = yaml_text(form)
    chosen = {"pack": name, "file": file, "yaml": text}
    context: dict[str, Any] = {
        "shipped": shipped_packs(),
        "pack_files": PACK_FILES,
        "chosen": chosen,
        "problems": [],
        "result": None,
        "schemes": [],
        "not_graded": NOT_GRADED,
    }
    try:
        candidate = candidate_pack(name, file, text)
        result, proposed = await run_in_threadpool(_dry_run, store, candidate)
    except PolicyError as exc:
        context["problem"] = exc.message
        context["problems"] = exc.problems
        return page(request, "dry_run.html", status=exc.status, **context)
    context["problem"] = None
    context["result"] = result
    context["candidate"] = f"{candidate.name}@{candidate.version}"
    lang = visit(request).lang
    context["schemes"] = [_matrix(d, proposed, lang) for _, d in sorted(result.schemes.items())]
    return page(request, "dry_run.html", **context)
