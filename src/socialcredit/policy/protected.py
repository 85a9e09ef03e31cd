"""Protected grounds: what no category, attribute or rule may be about.

Names are split into snake-case tokens (``.``, ``_``, ``-`` and ``:``
separate them); a token, or two adjacent tokens joined by ``_``, found in
``PROTECTED_TERMS`` is refused, as is a tag ``protected``,
``protected:<ground>`` or any tag that is itself a protected term. Whole
tokens only: ``civic.blood_donation`` and ``blood_alcohol_mg`` pass (neither
``blood`` nor ``drug`` is a term), ``blood_type`` does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise


def _terms(words: str) -> frozenset[str]:
    return frozenset(words.split())


PROTECTED_TERMS: dict[str, frozenset[str]] = {
    "ethnicity": _terms(
        "ethnicity ethnic ethnic_group race racial nationality minzu skin_colour skin_color "
        "ancestry tribe"
    ),
    "religion or belief": _terms(
        "religion religions religious faith belief beliefs creed worship sect cult church mosque"
    ),
    "political opinion or speech": _terms(
        "political politics opinion opinions speech expression petition petitions "
        "petitioning petitioner xinfang protest demonstration dissent dissident ideology "
        "rumor rumour rumors rumours party_member party_membership"
    ),
    "health": _terms(
        "health medical disease diseases diagnosis illness disability disabled pregnancy "
        "pregnant hiv mental psychiatric genetic dna vaccination vaccine blood_type "
        "blood_group"
    ),
    "family and social connections": _terms(
        "family families spouse spouses husband wife marriage marital divorce relative "
        "relatives kin kinship parent parents father mother child children son daughter "
        "sibling siblings household_member household_members friend friends associate "
        "associates acquaintance acquaintances contacts colleague colleagues neighbour "
        "neighbor relationship relationships guanxi social_connection social_connections "
        "social_network social_circle"
    ),
}
_TERM_GROUND = {term: ground for ground, terms in PROTECTED_TERMS.items() for term in terms}


def protected_ground(name: str, tags: Iterable[str] = ()) -> str | None:
    """The protected ground a name or one of its tags concerns, or None."""
    for tag in tags:
        low = tag.lower()
        if low == "protected" or low.startswith("protected:"):
            return f"tag '{tag}'"
        if ground := _name_ground(low):
            return f"tag '{tag}': {ground}"
    return _name_ground(name.lower())


def _name_ground(name: str) -> str | None:
    tokens = [t for t in re.split(r"[._:\-\s]+", name) if t]
    for term in [*tokens, *(f"{a}_{b}" for a, b in pairwise(tokens))]:
        if term in _TERM_GROUND:
            return f"{_TERM_GROUND[term]} ('{term}')"
    return None
