"""The ``basic_list`` check on live state: the measures in force and the entries' terms.

The National Basic List of Disciplinary Measures (2024 edition,
``basic_list_2024``) says which punishments may be imposed, on which actions,
how harshly and for how long; a local pack may add items citing a local
regulation (``additions.yaml``). The lint checks the measures as defined
(:mod:`socialcredit.safeguards.packs`); this module checks what is enforced:

* every measure in the enforcement index in force today is a measure of the
  active packs and, if it punishes, maps to a Basic List item (or its pack's
  local addition) whose actions include the action and whose effect is no
  milder than the measure's;
* every live black-list entry lasts no longer than the ``max_days`` of the
  Basic List item of each punishing measure its list triggers.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select

from socialcredit.enforcement.model import ListEntry
from socialcredit.policy.law.allowlists import Law
from socialcredit.policy.law.basic_list import EFFECT_RANK, BasicListItem
from socialcredit.policy.lists import PUNISHING
from socialcredit.policy.policy_set import MeasureInfo, PolicySet
from socialcredit.safeguards.findings import Checked, found, passed
from socialcredit.store.tables import enforcement_index


def _item(info: MeasureInfo, policy: PolicySet, law: Law) -> BasicListItem | None:
    pack = next((p for p in policy.packs if p.name == info.pack), None)
    allowed = law.for_pack(pack).basic_list if pack is not None else law.basic_list
    return allowed.get(info.definition.basic_list_item or "")


def check_enforced(conn: Connection, day: dt.date, policy: PolicySet, law: Law) -> list[Checked]:
    """Each (measure, action, effect) the index enforces today."""
    ix = enforcement_index.c
    rows = conn.execute(
        select(ix.measure, ix.action, ix.effect)
        .where(ix.target != "marker", ix.valid_from <= day, ix.valid_to > day)
        .distinct()
        .order_by(ix.measure, ix.action)
    ).all()
    out: list[Checked] = []
    for measure, action, effect in rows:
        item = f"measure {measure}"
        info = policy.measures.get(measure)
        if info is None:
            out.append(
                found(
                    "basic_list",
                    item,
                    None,
                    f"enforced on {action} ({effect}) today, but no active pack defines it",
                    "re-derive the index (`socialcredit evaluate`) so the measure stops",
                )
            )
            continue
        if effect not in PUNISHING:
            out.append(passed("basic_list"))
            continue
        law_item = _item(info, policy, law)
        if law_item is None:
            out.append(
                found(
                    "basic_list",
                    item,
                    None,
                    f"punishes on {action} ({effect}) but maps to no item of the National Basic "
                    f"List or a local addition ({info.definition.basic_list_item!r})",
                    f"deactivate pack {info.pack} or map the measure to its Basic List item",
                )
            )
        elif action not in law_item.actions:
            out.append(
                found(
                    "basic_list",
                    item,
                    None,
                    f"punishes on {action}, outside Basic List item {law_item.id} "
                    f"{list(law_item.actions)}",
                    f"remove {action} from the measure in a corrected version of pack {info.pack}",
                )
            )
        elif EFFECT_RANK[effect] > EFFECT_RANK[law_item.effect]:
            out.append(
                found(
                    "basic_list",
                    item,
                    None,
                    f"{effect} on {action} is harsher than Basic List item {law_item.id} "
                    f"allows ({law_item.effect})",
                    f"soften the measure in a corrected version of pack {info.pack}",
                )
            )
        else:
            out.append(passed("basic_list"))
    return out


def check_entry_term(entry: ListEntry, policy: PolicySet, law: Law) -> list[Checked]:
    """A live black-list entry lasts no longer than its punishing measures' items allow."""
    length = (entry.ends_at - entry.effective_from).days
    out: list[Checked] = []
    for info in policy.measures.values():
        m = info.definition
        if entry.list not in m.lists or m.effect not in PUNISHING:
            continue
        law_item = _item(info, policy, law)
        if law_item is not None and length > law_item.max_days:
            out.append(
                found(
                    "basic_list",
                    entry.id,
                    entry.subject,
                    f"lasts {length} days, longer than Basic List item {law_item.id} of measure "
                    f"{m.name} allows ({law_item.max_days})",
                    "end the entry at the item's maximum and correct the list's term",
                )
            )
    return out or [passed("basic_list")]
