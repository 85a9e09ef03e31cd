"""Loading a policy pack: a folder of YAML files validated by pydantic.

Layout of a pack folder::

    pack.yaml         name, version, title, jurisdiction, scope, sources
    categories.yaml   the category catalogue (see catalogue.py)
    providers.yaml    provider kinds, the categories each may report, known providers
    scoring.yaml      effect periods, rating schemes and scoring rules (see rules.py)
    lists.yaml        red and black lists (see lists.py; optional)
    measures.yaml     the measures lists trigger (see lists.py; optional)
    remedies.yaml     deadlines, reviewers and credit repair (see remedies.py; optional)
    disclosure.yaml   what the public may see of each kind of subject (see
                      disclosure.py; optional)
    supervision.yaml  the false discovery rate and the analytics' settings (see
                      supervision.py; optional)
    indicators.yaml   supervision indicators of officials, institutions and local
                      governments (see indicators.py; optional)
    resolution.yaml   entity resolution: the match probabilities that link a record without
                      an identifier or send it to review (see resolution.py; optional)
    holds.yaml        the supervision of data providers: reliability signals and when a
                      feed is put on hold (see holds.py; optional)
    additions.yaml    a provincial or municipal pack's own catalogue and measure items,
                      each citing a local regulation (see law/additions.py; optional)

Every problem found names the file, the entry and the field, and all of them
are reported at once.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from socialcredit.errors import PolicyError
from socialcredit.identifiers import SubjectKind
from socialcredit.policy.catalogue import Catalogue, Category
from socialcredit.policy.disclosure import Disclosure, parse_disclosure
from socialcredit.policy.holds import HoldSettings, parse_holds
from socialcredit.policy.indicators import IndicatorSettings, parse_indicators
from socialcredit.policy.law.additions import Additions, parse_additions
from socialcredit.policy.lists import ListDef, MeasureDef, parse_lists, parse_measures
from socialcredit.policy.remedies import RemedySettings, parse_remedies
from socialcredit.policy.resolution import ResolutionSettings, parse_resolution
from socialcredit.policy.rules import EffectPeriods, Rule, Scheme, Scoring
from socialcredit.policy.supervision import SupervisionSettings, parse_supervision
from socialcredit.yaml_text import load_yaml

PACKS_DIR = Path(__file__).parent / "packs"
DEFAULT_PACKS = ("national", "food-drug", "rongcheng")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackMeta(_Strict):
    name: str
    version: str
    title: str
    jurisdiction: str = Field(description="'national' or a GB/T 2260 area code")
    level: Literal["national", "provincial", "municipal", "sector"] = "national"
    scope: tuple[SubjectKind, ...] = ("person", "enterprise", "institution")
    sources: tuple[str, ...] = ()

    @field_validator("jurisdiction")
    @classmethod
    def _jurisdiction(cls, v: str) -> str:
        if v != "national" and not (len(v) == 6 and v.isdigit()):
            raise ValueError("must be 'national' or a 6-digit GB/T 2260 area code")
        return v


class ProviderKind(_Strict):
    title: str
    categories: tuple[str, ...] = Field(description="category names or patterns such as 'tax.*'")


class ProviderSpec(_Strict):
    id: str
    kind: str
    name: str
    jurisdiction: str = "national"


class Pack(BaseModel):
    """A loaded, validated pack."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    meta: PackMeta
    path: Path
    files: dict[str, str] = Field(default_factory=dict, repr=False)
    categories: dict[str, Category]
    provider_kinds: dict[str, ProviderKind]
    providers: tuple[ProviderSpec, ...]
    scoring: Scoring = Scoring()
    lists: dict[str, ListDef] = Field(default_factory=dict)
    measures: dict[str, MeasureDef] = Field(default_factory=dict)
    remedies: RemedySettings | None = None
    additions: Additions | None = None
    disclosure: Disclosure | None = None
    supervision: SupervisionSettings | None = None
    indicators: IndicatorSettings | None = None  # indicators.yaml: officials, governments
    holds: HoldSettings | None = None
    resolution: ResolutionSettings | None = None  # resolution.yaml: entity resolution

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def version(self) -> str:
        return self.meta.version


def _read_yaml(files: dict[str, str], name: str, problems: list[str]) -> Any:
    text = files.get(name)
    if text is None:
        return None
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        problems.append(f"{name}: not valid YAML: {exc}")
        return None


def _describe(file: str, entry: str, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
        out.append(f"{file}: {entry}: {loc}: {err['msg']}")
    return out


def _mapping(data: Any, file: str, key: str, problems: list[str]) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get(key, {}), dict):
        problems.append(f"{file}: {key}: must be a mapping of name to entry")
        return {}
    value: dict[str, Any] = data.get(key) or {}
    return value


def pack_folder(path: str | Path) -> Path:
    """A pack folder: a path, or the name of a shipped pack."""
    root = Path(path)
    if root.is_dir():
        return root
    candidate = PACKS_DIR / str(path)
    if candidate.is_dir():
        return candidate
    raise PolicyError(f"no policy pack at {path}", [f"{path}: not a folder"])


def read_pack_files(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(root.glob("*.yaml"))}


def load_pack(path: str | Path) -> Pack:
    """Load and validate a pack folder; raise PolicyError listing every problem."""
    root = pack_folder(path)
    return load_pack_files(read_pack_files(root), root)


def load_pack_files(files: dict[str, str], root: Path) -> Pack:
    """Load and validate a pack from its files' texts (a folder, or a stored version)."""
    problems: list[str] = []

    meta_raw = _read_yaml(files, "pack.yaml", problems)
    meta: PackMeta | None = None
    if meta_raw is None and not problems:
        problems.append("pack.yaml: missing")
    elif isinstance(meta_raw, dict):
        try:
            meta = PackMeta.model_validate(meta_raw)
        except ValidationError as exc:
            problems.extend(_describe("pack.yaml", "pack", exc))

    categories: dict[str, Category] = {}
    raw = _mapping(
        _read_yaml(files, "categories.yaml", problems), "categories.yaml", "categories", problems
    )
    for name, entry in raw.items():
        try:
            categories[name] = Category.model_validate({"name": name, **(entry or {})})
        except ValidationError as exc:
            problems.extend(_describe("categories.yaml", name, exc))
        except TypeError:
            problems.append(f"categories.yaml: {name}: must be a mapping")

    providers_raw = _read_yaml(files, "providers.yaml", problems)
    kinds: dict[str, ProviderKind] = {}
    for name, entry in _mapping(providers_raw, "providers.yaml", "kinds", problems).items():
        try:
            kinds[name] = ProviderKind.model_validate(entry)
        except ValidationError as exc:
            problems.extend(_describe("providers.yaml", f"kinds.{name}", exc))
    providers: list[ProviderSpec] = []
    plist = (providers_raw or {}).get("providers", []) if isinstance(providers_raw, dict) else []
    if not isinstance(plist, list):
        problems.append("providers.yaml: providers: must be a list")
        plist = []
    for i, entry in enumerate(plist):
        try:
            spec = ProviderSpec.model_validate(entry)
        except ValidationError as exc:
            problems.extend(_describe("providers.yaml", f"providers[{i}]", exc))
            continue
        if spec.kind not in kinds:
            problems.append(f"providers.yaml: providers[{i}]: kind: unknown kind {spec.kind!r}")
        providers.append(spec)

    scoring = _load_scoring(files, problems)
    lists = parse_lists(_read_yaml(files, "lists.yaml", problems), problems)
    measures = parse_measures(_read_yaml(files, "measures.yaml", problems), problems)
    remedies = parse_remedies(_read_yaml(files, "remedies.yaml", problems), problems)
    additions = parse_additions(_read_yaml(files, "additions.yaml", problems), problems)
    disclosure = parse_disclosure(_read_yaml(files, "disclosure.yaml", problems), problems)
    supervision = parse_supervision(_read_yaml(files, "supervision.yaml", problems), problems)
    indicators = parse_indicators(_read_yaml(files, "indicators.yaml", problems), problems)
    holds = parse_holds(_read_yaml(files, "holds.yaml", problems), problems)
    resolution = parse_resolution(_read_yaml(files, "resolution.yaml", problems), problems)

    if problems or meta is None:
        raise PolicyError(f"policy pack {root.name} is invalid", problems)
    return Pack(
        meta=meta,
        path=root,
        files=files,
        categories=categories,
        provider_kinds=kinds,
        providers=tuple(providers),
        scoring=scoring,
        lists=lists,
        measures=measures,
        remedies=remedies,
        additions=additions,
        disclosure=disclosure,
        supervision=supervision,
        indicators=indicators,
        holds=holds,
        resolution=resolution,
    )


def _load_scoring(files: dict[str, str], problems: list[str]) -> Scoring:
    """Validate ``scoring.yaml`` (optional) entry by entry. Structure only: the
    cross-pack and safeguards checks are in ``socialcredit.policy.lint``."""
    file = "scoring.yaml"
    data = _read_yaml(files, file, problems)
    if data is None:
        return Scoring()
    if not isinstance(data, dict):
        problems.append(f"{file}: must be a mapping with effect_periods, schemes and rules")
        return Scoring()
    for key in sorted(set(data) - {"effect_periods", "schemes", "rules"}, key=str):
        problems.append(f"{file}: {key}: unknown section")
    periods = EffectPeriods()
    if data.get("effect_periods") is not None:
        try:
            periods = EffectPeriods.model_validate(data["effect_periods"])
        except ValidationError as exc:
            problems.extend(_describe(file, "effect_periods", exc))
    schemes: dict[str, Scheme] = {}
    for name, entry in _mapping(data, file, "schemes", problems).items():
        try:
            schemes[name] = Scheme.model_validate({"name": name, **(entry or {})})
        except ValidationError as exc:
            problems.extend(_describe(file, f"schemes.{name}", exc))
        except TypeError:
            problems.append(f"{file}: schemes.{name}: must be a mapping")
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        problems.append(f"{file}: rules: must be a list of rules")
        raw_rules = []
    rules: list[Rule] = []
    for i, entry in enumerate(raw_rules):
        rid = entry.get("id") if isinstance(entry, dict) else None
        label = f"rules[{i}] ({rid})" if isinstance(rid, str) else f"rules[{i}]"
        try:
            rules.append(Rule.model_validate(entry))
        except ValidationError as exc:
            problems.extend(_describe(file, label, exc))
    return Scoring(effect_periods=periods, schemes=schemes, rules=tuple(rules))


def load_packs(paths: Iterable[str | Path]) -> list[Pack]:
    return [load_pack(p) for p in paths]


def default_packs() -> list[Pack]:
    return load_packs(DEFAULT_PACKS)


def merge_catalogue(packs: Iterable[Pack]) -> Catalogue:
    """One catalogue from several packs; a category declared twice must be identical."""
    merged: dict[str, Category] = {}
    problems: list[str] = []
    for pack in packs:
        for name, cat in pack.categories.items():
            if name in merged and merged[name] != cat:
                problems.append(
                    f"{pack.name}: categories.yaml: {name}: declared differently "
                    "by another active pack"
                )
            merged.setdefault(name, cat)
    if problems:
        raise PolicyError("active packs disagree on categories", problems)
    return Catalogue(merged)


def merge_provider_kinds(packs: Iterable[Pack]) -> dict[str, ProviderKind]:
    out: dict[str, ProviderKind] = {}
    for pack in packs:
        for name, kind in pack.provider_kinds.items():
            if name in out:
                out[name] = ProviderKind(
                    title=out[name].title, categories=out[name].categories + kind.categories
                )
            else:
                out[name] = kind
    return out


def expand_patterns(patterns: Iterable[str], catalogue: Catalogue) -> list[str]:
    """Category names matched by patterns such as 'tax.*'."""
    names = catalogue.names()
    out: set[str] = set()
    for pattern in patterns:
        out.update(n for n in names if fnmatch.fnmatchcase(n, pattern))
    return sorted(out)
