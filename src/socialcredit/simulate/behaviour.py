"""All domains together: the event blocks of the whole city and the renderers of every category."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from socialcredit.simulate.domains import (
    civic,
    contacts,
    customs,
    directives,
    finance,
    generic,
    government,
    judicial,
    market,
    registry,
    tax,
    transport,
)
from socialcredit.simulate.domains.common import Renderer, Typo
from socialcredit.simulate.events import Table, concat
from socialcredit.simulate.world import World

MODULES = (
    registry,
    judicial,
    tax,
    market,
    finance,
    transport,
    civic,
    government,
    directives,
    customs,
    contacts,
)

RENDERERS: dict[str, Renderer] = {}
TYPOS: dict[str, Typo] = {}
for _module in MODULES:
    RENDERERS.update(_module.RENDERERS)
    TYPOS.update(getattr(_module, "TYPOS", {}))


def known(world: World) -> set[str]:
    """Categories a domain module generates (the others are synthesised from their schema)."""
    out = set(RENDERERS)
    if not customs.available(world):
        out -= set(customs.RENDERERS)
    return out


def renderer(world: World, category: str) -> Renderer:
    """The attribute renderer of a category (schema-driven for categories no module knows)."""
    if category in known(world):
        return RENDERERS[category]
    return generic.renderer(world.catalogue[category])


def generate(world: World, progress: Callable[[str, int, int], None] | None = None) -> Table:
    blocks: list[Table] = []
    for i, module in enumerate(MODULES):
        blocks.extend(module.generate(world))
        if progress is not None:
            progress("behaviour", i + 1, len(MODULES) + 1)
    blocks.extend(generic.generate(world, known(world)))
    if progress is not None:
        progress("behaviour", len(MODULES) + 1, len(MODULES) + 1)
    return concat(blocks)


def registry_mask(world: World) -> npt.NDArray[np.bool_]:
    """Per category: is it a registry category."""
    return np.array([world.catalogue[c].kind == "registry" for c in world.categories])


def amount_mask(world: World) -> npt.NDArray[np.bool_]:
    """Per category: does it carry an ``amount`` attribute (a typo in it can be corrected)."""
    return np.array(["amount" in world.catalogue[c].attributes for c in world.categories])


def typo_mask(world: World) -> npt.NDArray[np.bool_]:
    """Per category: does it have its own kind of correctable typo."""
    return np.array([c in TYPOS for c in world.categories])
