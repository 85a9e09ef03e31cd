"""The simulated city: its subjects, providers, catalogue and random streams."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialcredit.policy.catalogue import Catalogue
from socialcredit.policy.pack import (
    Pack,
    ProviderKind,
    default_packs,
    expand_patterns,
    merge_catalogue,
    merge_provider_kinds,
)
from socialcredit.simulate import ids
from socialcredit.simulate.calendar import Window
from socialcredit.simulate.institutions import (
    Institutions,
    Judges,
    Offices,
    make_institutions,
    make_offices,
)
from socialcredit.simulate.population import Enterprises, Persons, make_enterprises, make_persons
from socialcredit.simulate.providers import (
    LOCAL_KINDS,
    ExtraProvider,
    Providers,
    make_providers,
)

I64 = npt.NDArray[np.int64]

PERSON, ENTERPRISE, INSTITUTION = 0, 1, 2
# Category kinds the platform records itself (objections, appeals, repair: docs/remedies.md);
# the simulator leaves them to the platform's own workflow.
PLATFORM_KINDS = ("remedy",)
KIND_NAMES = ("person", "enterprise", "institution")


@dataclass
class World:
    seed: int
    window: Window
    catalogue: Catalogue
    provider_kinds: dict[str, ProviderKind]
    persons: Persons
    enterprises: Enterprises
    institutions: Institutions
    offices: Offices
    judges: Judges
    providers: Providers
    person_community: I64
    # suppliers the simulator put in place of enterprises a black list could hold, so that
    # only the planted awards go to listed suppliers (simulate/planted.py)
    supplier_swap: dict[int, int] = field(default_factory=dict)
    categories: tuple[str, ...] = field(init=False)
    cat: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.categories = tuple(self.catalogue.names())
        self.cat = {name: i for i, name in enumerate(self.categories)}

    def simulated(self, category: str) -> bool:
        """Whether providers report the category (the platform records its remedies itself)."""
        return self.catalogue[category].kind not in PLATFORM_KINDS

    def rng(self, stream: str) -> np.random.Generator:
        """An independent random stream per purpose, so that streams do not shift each other."""
        return np.random.default_rng([self.seed, zlib.crc32(stream.encode())])

    # -- subject index space: persons, then enterprises, then institutions
    @property
    def enterprise0(self) -> int:
        return self.persons.count

    @property
    def institution0(self) -> int:
        return self.persons.count + self.enterprises.count

    @property
    def subjects(self) -> int:
        return self.institution0 + self.institutions.count

    @cached_property
    def subject_kind(self) -> npt.NDArray[np.int8]:
        return np.repeat(
            np.array([PERSON, ENTERPRISE, INSTITUTION], dtype=np.int8),
            [self.persons.count, self.enterprises.count, self.institutions.count],
        )

    @cached_property
    def subject_area(self) -> I64:
        """Index into AREAS of the district each subject lives or is registered in."""
        return np.concatenate(
            [self.persons.district + 1, self.enterprises.district + 1, self.institutions.area]
        )

    @cached_property
    def ident_matrix(self) -> npt.NDArray[np.uint8]:
        return np.concatenate([self.persons.ident, self.enterprises.ident, self.institutions.ident])

    @cached_property
    def ident(self) -> pa.StringArray:
        return ids.to_arrow(self.ident_matrix)

    @cached_property
    def names(self) -> pa.Array:
        return pa.concat_arrays([self.persons.name, self.enterprises.name, self.institutions.name])

    @cached_property
    def allowed(self) -> npt.NDArray[np.bool_]:
        """``allowed[provider, category]``: may the provider's kind report the category."""
        out = np.zeros((self.providers.count, len(self.categories)), dtype=bool)
        for p, provider in enumerate(self.providers.items):
            kind = self.provider_kinds[provider.kind]
            for name in expand_patterns(kind.categories, self.catalogue):
                out[p, self.cat[name]] = True
        return out

    @cached_property
    def category_subjects(self) -> npt.NDArray[np.bool_]:
        """``category_subjects[category, kind]``: may the category be about that kind."""
        out = np.zeros((len(self.categories), 3), dtype=bool)
        for c, name in enumerate(self.categories):
            for kind in self.catalogue[name].subjects:
                out[c, KIND_NAMES.index(kind)] = True
        return out


def _extra_providers(
    packs: Sequence[Pack], catalogue: Catalogue, kinds: dict[str, ProviderKind]
) -> tuple[ExtraProvider, ...]:
    """Bodies for categories no local kind may report: a pack's provider if one exists."""
    covered: set[str] = set()
    for kind in LOCAL_KINDS:
        if kind in kinds:  # the city has bodies of these kinds
            covered.update(expand_patterns(kinds[kind].categories, catalogue))
    extra: list[ExtraProvider] = []
    chosen: set[str] = set()
    for name in catalogue.names():
        if name in covered or catalogue[name].kind in PLATFORM_KINDS:
            continue
        able = sorted(
            k for k, v in kinds.items() if name in expand_patterns(v.categories, catalogue)
        )
        if not able:
            raise ValueError(f"no provider kind may report category {name}")
        kind = able[0]
        covered.update(expand_patterns(kinds[kind].categories, catalogue))
        if kind in chosen:
            continue
        chosen.add(kind)
        spec = next((p for pack in packs for p in pack.providers if p.kind == kind), None)
        extra.append(
            ExtraProvider(
                kind, kinds[kind].title, spec.id if spec else None, spec.name if spec else ""
            )
        )
    return tuple(extra)


def build_world(
    *,
    persons: int,
    enterprises: int,
    years: int,
    seed: int,
    end: dt.date,
    packs: Sequence[Pack] | None = None,
) -> World:
    packs = list(default_packs() if packs is None else packs)
    catalogue = merge_catalogue(packs)
    kinds = merge_provider_kinds(packs)
    window = Window.ending(end, years)

    def rng(stream: str) -> np.random.Generator:
        return np.random.default_rng([seed, zlib.crc32(stream.encode())])

    people = make_persons(rng("persons"), persons, end)
    firms = make_enterprises(rng("enterprises"), enterprises, window, people, counter0=0)
    bodies = make_institutions(rng("institutions"), persons, counter0=enterprises + 1000)
    offices, judges = make_offices(rng("offices"), people, bodies, window)
    providers = make_providers(
        rng("providers"), persons, _extra_providers(packs, catalogue, kinds), frozenset(kinds)
    )
    r = rng("communities")
    community = np.zeros(persons, dtype=np.int64)
    for d, members in enumerate(providers.communities):
        rows = np.flatnonzero(people.district == d)
        community[rows] = members[r.integers(0, len(members), len(rows))]
    for provider in providers.items:
        if provider.kind not in kinds:
            raise ValueError(f"provider kind {provider.kind} is not declared by any pack")
    return World(
        seed=seed,
        window=window,
        catalogue=catalogue,
        provider_kinds=kinds,
        persons=people,
        enterprises=firms,
        institutions=bodies,
        offices=offices,
        judges=judges,
        providers=providers,
        person_community=community,
    )
