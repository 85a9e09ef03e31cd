"""The supervision lint: no list or measure follows from a supervision output.

Supervision outputs (:mod:`socialcredit.policy.supervision_outputs`) are information
and review tasks. Across the packs active together this lint refuses:

1. a list whose entry names a category that records a supervision output, or whose
   ``when`` reads an attribute that carries one;
2. a list on the grades of a scheme into which a rule scores a supervision output;
3. every measure that such a list triggers;
4. a scoring rule on a supervision output, or reading an attribute that carries one,
   unless the output may be scored (``scored_when``) and the supervision settings in
   force turn that on (the judges' share of unjustified flags, ``feed_domain``).

Every problem reads ``<pack>: <file>: <entry>: <field>: <message>``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from socialcredit.policy.lists import ListDef
from socialcredit.policy.pack import Pack
from socialcredit.policy.predicate import All, AnyOf, Compare, Not, Predicate
from socialcredit.policy.rules import Rule
from socialcredit.policy.supervision import SupervisionSettings, effective
from socialcredit.policy.supervision_outputs import (
    SupervisionOutput,
    output_of_attribute,
    output_of_category,
)

NEVER_LISTED = (
    "supervision outputs are information and review tasks: no list or measure may "
    "follow from them (socialcredit.policy.supervision_outputs)"
)


def lint_supervision(packs: Sequence[Pack]) -> list[str]:
    """Every list, measure and rule of the active packs that a supervision output
    would trigger or feed without leave; empty when fine."""
    settings = effective(packs)
    problems: list[str] = []
    fed: set[str] = set()  # schemes a supervision output is scored into
    for pack in packs:
        for i, rule in enumerate(pack.scoring.rules):
            where = f"{pack.name}: scoring.yaml: rules[{i}] ({rule.id})"
            found = list(_rule_problems(rule, settings))
            problems.extend(f"{where}: {p}" for p in found)
            if _reads_output(rule):
                fed.add(rule.scheme)
    refused: dict[str, str] = {}
    for pack in packs:
        for name, ld in pack.lists.items():
            for field, why in _list_problems(ld, fed):
                problems.append(f"{pack.name}: lists.yaml: {name}: {field}: {why}; {NEVER_LISTED}")
                refused.setdefault(name, why)
    for pack in packs:
        for name, measure in pack.measures.items():
            for list_name in measure.lists:
                if list_name in refused:
                    problems.append(
                        f"{pack.name}: measures.yaml: {name}: lists: list '{list_name}' "
                        f"follows from a supervision output ({refused[list_name]}); "
                        f"{NEVER_LISTED}"
                    )
    return problems


def _attrs(pred: Predicate | None) -> Iterator[str]:
    if isinstance(pred, Compare):
        yield pred.attr
    elif isinstance(pred, All):
        for p in pred.all:
            yield from _attrs(p)
    elif isinstance(pred, AnyOf):
        for p in pred.any:
            yield from _attrs(p)
    elif isinstance(pred, Not):
        yield from _attrs(pred.not_)


def _describe(output: SupervisionOutput) -> str:
    return f"{output.name} of the {output.analytic} analytic"


def _list_problems(ld: ListDef, fed: set[str]) -> Iterator[tuple[str, str]]:
    for category in ld.entry.categories:
        if output := output_of_category(category):
            why = f"'{category}' records a supervision output ({_describe(output)})"
            yield "entry.categories", why
    for attr in _attrs(ld.entry.when):
        if output := output_of_attribute(attr):
            yield "entry.when", f"'{attr}' carries a supervision output ({_describe(output)})"
    grade = ld.entry.grade
    if grade is not None and grade.scheme in fed:
        yield (
            "entry.grade",
            f"the grades of scheme '{grade.scheme}' are fed by a supervision output",
        )


def _reads_output(rule: Rule) -> bool:
    return output_of_category(rule.category) is not None or any(
        output_of_attribute(a) is not None for a in (*_attrs(rule.when), rule.per or "")
    )


def _allowed(output: SupervisionOutput, settings: SupervisionSettings) -> bool:
    if output.scored_when is None:
        return False
    section, _, name = output.scored_when.partition(".")
    return bool(getattr(getattr(settings, section, None), name, False))


def _rule_problems(rule: Rule, settings: SupervisionSettings) -> Iterator[str]:
    output = output_of_category(rule.category)
    if output is not None:
        if not _allowed(output, settings):
            leave = (
                f"only where the supervision settings turn on {output.scored_when}"
                if output.scored_when
                else "never"
            )
            yield (
                f"category: '{rule.category}' records a supervision output "
                f"({_describe(output)}): it is scored {leave}"
            )
        return
    for attr in (*_attrs(rule.when), *((rule.per,) if rule.per else ())):
        if found := output_of_attribute(attr):
            yield (
                f"'{attr}' carries a supervision output ({_describe(found)}): "
                "a rule may not read it"
            )


__all__ = ["NEVER_LISTED", "lint_supervision"]
