"""Protected grounds: what no category, attribute, value, list, measure or action may be about.

The second line of defence (the first is structural: the allow-lists of
:mod:`socialcredit.policy.law`). A name is normalised (NFKC, look-alike
letters of other scripts folded to Latin, lower case), split into tokens at
snake, kebab, dotted and camelCase boundaries, plurals folded (``races``,
``beliefs``, ``families``), and every token and run of two or three tokens
is looked up in :mod:`socialcredit.policy.lexicon`; Chinese terms match as
substrings. Whole tokens only: ``usage`` and ``message`` do not contain
``age``. A tag ``protected`` or ``protected:<ground>`` is refused too.
:func:`lookalike` finds identifiers that mix in letters of other scripts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from socialcredit.policy.lexicon import CHINESE_TERMS, EXEMPT_PHRASES, LOOKALIKES, TERM_GROUND

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SPLIT = re.compile(r"[^a-z0-9]+")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_.:\-]+$")


def normalise(text: str) -> str:
    """NFKC, look-alike letters folded to Latin, camelCase split (case kept)."""
    folded = unicodedata.normalize("NFKC", text).translate(LOOKALIKES)
    return _CAMEL.sub(" ", folded)


def tokens(text: str) -> list[str]:
    return [t for t in _SPLIT.split(normalise(text).lower()) if t]


def _forms(token: str) -> Iterator[str]:
    yield token
    if token.endswith("ies") and len(token) > 4:
        yield token[:-3] + "y"
    if token.endswith("es") and len(token) > 3:
        yield token[:-2]
    if token.endswith("s") and len(token) > 2:
        yield token[:-1]


def _runs(words: list[str]) -> Iterator[str]:
    exempt = {
        j
        for i in range(len(words) - 1)
        if f"{words[i]}_{words[i + 1]}" in EXEMPT_PHRASES
        for j in (i, i + 1)
    }
    for size in (1, 2, 3):
        for i in range(len(words) - size + 1):
            if size == 1 and i in exempt:
                continue
            run = words[i : i + size]
            for last in _forms(run[-1]):
                yield "_".join([*run[:-1], last])


def name_ground(text: str) -> str | None:
    """The protected ground a name or title concerns, with the term found, or None."""
    for term in _runs(tokens(text)):
        if term in TERM_GROUND:
            return f"{TERM_GROUND[term]} ('{term}')"
    plain = unicodedata.normalize("NFKC", text)
    for ground, terms in CHINESE_TERMS.items():
        for term in terms:
            if term in plain:
                return f"{ground} ('{term}')"
    return None


def protected_ground(name: str, tags: Iterable[str] = ()) -> str | None:
    """The protected ground a name or one of its tags concerns, or None."""
    for tag in tags:
        low = tag.lower()
        if low == "protected" or low.startswith("protected:"):
            return f"tag '{tag}'"
        if ground := name_ground(tag):
            return f"tag '{tag}': {ground}"
    return name_ground(name)


def lookalike(identifier: str) -> bool:
    """Whether an identifier (a name, value, tag or code) leaves plain ASCII: look-alike
    letters of other scripts can hide a protected term from a reader."""
    return not _IDENTIFIER.match(identifier)
