"""The checks on the active packs as stored: the structural lint, the Basic List, additions.

The packs are read back from the store (``pack_versions``) as activation left
them, not from the files shipped with the platform: a pack forced in behind
the lint's back, or stored by an older version, is what the audit must see.
A stored version that no longer loads is itself a ``lint`` violation.

One run of :func:`socialcredit.policy.lint.lint_packs` -- the function
``policy validate`` and activation use -- is split by what a finding is about:

* ``protected``: findings about a protected ground (per pack, as before);
* ``basic_list``: findings about measures (``measures.yaml``: the National
  Basic List of Disciplinary Measures, its actions, effects, targets,
  triggers and terms; :func:`socialcredit.policy.lint_law.lint_measure_law`);
* ``lint``: every other finding (legal bases, the catalogue, attribute
  classes, black lists on grades, punishing points schemes, terms, ...).

``local_additions`` lists every local catalogue and Basic List item of the
active packs for review (:func:`socialcredit.policy.law.additions.active_additions`):
findings of severity ``review``, which do not fail the audit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from socialcredit.errors import PolicyError
from socialcredit.ledger.policy_store import active_packs, load_version
from socialcredit.policy.law.additions import active_additions
from socialcredit.policy.law.allowlists import Law, shipped_law
from socialcredit.policy.lint import lint_packs
from socialcredit.policy.pack import Pack
from socialcredit.safeguards.findings import Checked, found, passed

LINT_FIX = (
    "deactivate pack {pack} (`socialcredit policy deactivate {pack}`) or propose a "
    "corrected version (`policy activate`, a second officer's `policy approve`)"
)


@dataclass(frozen=True)
class StoredPack:
    """An active pack version as the store holds it; ``pack`` is None if it does not load."""

    name: str
    version: str
    digest: str
    activated_at: dt.datetime
    pack: Pack | None
    problems: tuple[str, ...] = ()


def stored_packs(conn: Connection, at: dt.datetime) -> list[StoredPack]:
    """The packs active at ``at``, each loaded from its stored texts."""
    out = []
    for a in active_packs(conn, at):
        try:
            out.append(
                StoredPack(
                    a.name, a.version, a.digest, a.activated_at, load_version(conn, a.digest)
                )
            )
        except PolicyError as exc:
            problems = tuple(exc.problems or [exc.message])
            out.append(StoredPack(a.name, a.version, a.digest, a.activated_at, None, problems))
    return out


def check_packs(
    packs: Sequence[Pack], unloadable: Sequence[StoredPack] = (), law: Law | None = None
) -> list[Checked]:
    """``protected``, ``lint``, ``basic_list`` (the measures as defined),
    ``local_additions`` for a set of packs active together."""
    law = law or shipped_law()
    out: list[Checked] = []
    for bad in unloadable:
        fix = LINT_FIX.format(pack=bad.name)
        out.extend(
            found(
                "lint",
                f"pack {bad.name}",
                None,
                f"version {bad.version} ({bad.digest[:12]}) as stored does not load: {p}",
                fix,
            )
            for p in bad.problems
        )
    problems = lint_packs(packs, law)
    for pack in packs:
        mine = [
            p.removeprefix(f"{pack.name}: ") for p in problems if p.startswith(f"{pack.name}: ")
        ]
        fix = LINT_FIX.format(pack=pack.name)
        protected = [p for p in mine if "protected" in p]
        measures = [p for p in mine if p.startswith("measures.yaml: ") and p not in protected]
        rest = [p for p in mine if p not in protected and p not in measures]
        item = f"pack {pack.name}"
        out.extend(
            [found("protected", item, None, p, fix) for p in protected] or [passed("protected")]
        )
        out.extend([found("lint", item, None, p, fix) for p in rest] or [passed("lint")])
        for name in pack.measures:
            wrong = [p for p in measures if p.startswith(f"measures.yaml: {name}: ")]
            out.extend(
                [
                    found("basic_list", f"measure {name}", None, f"pack {pack.name}: {p}", fix)
                    for p in wrong
                ]
                or [passed("basic_list")]
            )
    for a in active_additions(packs):
        out.append(
            found(
                "local_additions",
                f"{a.kind} item {a.id}",
                None,
                f"pack {a.pack} ({a.jurisdiction}) adds {a.kind} item {a.id} "
                f"({a.title}) citing {a.legal_basis}",
                severity="review",
            )
        )
    return out
