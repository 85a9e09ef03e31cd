"""What the public may see of a subject: ``disclosure.yaml``.

Per subject kind (person, enterprise, institution)::

    person:
      name: masked            # full | masked (surname + *) | hidden
      identifier: masked      # full | masked (first six and last four) | hidden
      grades: false           # the grade in each scheme
      scores: false           # the score behind a grade
      black_lists: true       # entries of black lists in force
      red_lists: true         # entries of red lists in force
      decisions: false        # administrative licensing and penalty decisions
      attributes: [case_no]   # attributes of a ground record shown with an entry

``decision_days`` is how long a penalty decision stays published (licences
stay while the pack keeps them). Loading checks the structure; what a pack may
publish -- never a person's score or grade, never a full resident identity
number, never an attribute about a protected ground -- is checked by
:func:`lint_disclosure`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from socialcredit.identifiers import SubjectKind
from socialcredit.policy.law.citation import Basis
from socialcredit.policy.protected import protected_ground

if TYPE_CHECKING:
    from socialcredit.policy.pack import Pack

Visibility = Literal["full", "masked", "hidden"]
FILE = "disclosure.yaml"
KINDS: tuple[SubjectKind, ...] = ("person", "enterprise", "institution")
# the categories whose decisions are published as "double publicity"
PENALTY_CATEGORY = "market.administrative_penalty"
LICENCE_CATEGORY = "market.administrative_licence"
DECISION_CATEGORIES = (LICENCE_CATEGORY, PENALTY_CATEGORY)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KindRules(_Strict):
    """What the public sees of one kind of subject."""

    name: Visibility = "masked"
    identifier: Visibility = "masked"
    grades: bool = False
    scores: bool = False
    black_lists: bool = False
    red_lists: bool = False
    decisions: bool = False
    attributes: tuple[str, ...] = Field(
        default=(), description="attributes of an entry's ground record that are published"
    )


PERSON = KindRules(
    name="masked", identifier="masked", black_lists=True, red_lists=True, attributes=("case_no",)
)
ORGANISATION = KindRules(
    name="full",
    identifier="full",
    grades=True,
    black_lists=True,
    red_lists=True,
    decisions=True,
    attributes=("case_no", "decision_no"),
)


class Disclosure(_Strict):
    person: KindRules = PERSON
    enterprise: KindRules = ORGANISATION
    institution: KindRules = ORGANISATION
    decision_days: int = Field(default=1095, ge=1, le=1095)
    legal_basis: Basis = ()

    def of(self, kind: str) -> KindRules:
        rules: KindRules = getattr(self, kind, self.person)
        return rules


DEFAULT = Disclosure()


def parse_disclosure(data: Any, problems: list[str]) -> Disclosure | None:
    """The disclosure rules of a parsed ``disclosure.yaml`` (None: the pack has none)."""
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(f"{FILE}: must be a mapping of subject kind to what is published")
        return None
    try:
        return Disclosure.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(file)"
            problems.append(f"{FILE}: {loc}: {err['msg']}")
        return None


def effective(packs: Sequence[Pack]) -> Disclosure:
    """The rules in force: the last active pack that declares any, else the defaults."""
    for pack in reversed(packs):
        if pack.disclosure is not None:
            return pack.disclosure
    return DEFAULT


def lint_disclosure(pack: Pack) -> Iterator[str]:
    """What no disclosure may publish (PIPL art. 6, 28: the least needed; DESIGN.md)."""
    rules = pack.disclosure
    if rules is None:
        return
    where = f"{pack.name}: {FILE}"
    person = rules.person
    if person.scores:
        yield f"{where}: person.scores: a person's score is never published"
    if person.grades:
        yield f"{where}: person.grades: a person's grade is never published"
    if person.identifier == "full":
        yield (
            f"{where}: person.identifier: a resident identity number is published only "
            "masked (first six and last four characters)"
        )
    for kind in KINDS:
        for attribute in rules.of(kind).attributes:
            ground = protected_ground(attribute)
            if ground is not None:
                yield (
                    f"{where}: {kind}.attributes.{attribute}: concerns a protected ground: {ground}"
                )
