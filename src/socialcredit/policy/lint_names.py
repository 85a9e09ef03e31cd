"""The second line of the protected-grounds safeguard on a pack's categories.

Names, titles, attribute names, enum values and tags of every category are
looked up in the lexicon (:mod:`socialcredit.policy.protected`), and
identifiers must be plain ASCII. Attributes the catalogue item marks
``scope_only`` are exempt: the structure already keeps every rule, list and
measure from them. Lists, measures and rules are checked where they are
linted (:mod:`socialcredit.policy.lint_lists`, :mod:`socialcredit.policy.lint`).
"""

from __future__ import annotations

from collections.abc import Iterator

from socialcredit.policy.law.catalogue import CatalogueItem
from socialcredit.policy.pack import Pack
from socialcredit.policy.protected import lookalike, protected_ground


def lint_category_names(pack: Pack, items: dict[str, CatalogueItem]) -> Iterator[str]:
    """The second line: protected grounds in names, titles, attributes, values and tags."""
    for name, cat in pack.categories.items():
        where = f"{pack.name}: categories.yaml: {name}"
        if lookalike(name):
            yield f"{where}: name: not plain ASCII (look-alike letters are refused)"
        if ground := protected_ground(name, cat.tags):
            yield f"{where}: name: concerns a protected ground: {ground}"
        elif ground := protected_ground(cat.title):
            yield f"{where}: title: concerns a protected ground: {ground}"
        item = items.get(name)
        for attr, spec in cat.attributes.items():
            allowed = item.attributes.get(attr) if item is not None else None
            if lookalike(attr) or any(lookalike(v) for v in spec.values or ()):
                yield f"{where}: attributes.{attr}: not plain ASCII (look-alike letters)"
            if allowed is not None and allowed.scope_only:
                continue  # decides scope only: the structure keeps every rule from it
            if ground := protected_ground(attr, spec.tags):
                yield f"{where}: attributes.{attr}: concerns a protected ground: {ground}"
            for value in spec.values or ():
                if ground := protected_ground(value):
                    yield (
                        f"{where}: attributes.{attr}.values: '{value}' concerns a protected "
                        f"ground: {ground}"
                    )
