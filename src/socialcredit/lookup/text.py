"""The forms a name is indexed and searched in.

* ``simple``: the name in simplified characters (zhconv), case-folded, with
  spaces and punctuation removed (``張偉`` → ``张伟``, ``Zhang Wei`` → ``zhangwei``);
* ``pinyin``: the toneless pinyin of the simplified form, run together
  (``张伟`` → ``zhangwei``); letters and digits stay as they are;
* ``initials``: the first letter of each syllable (``张伟`` → ``zw``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import zhconv  # type: ignore[import-untyped]
from pypinyin import lazy_pinyin


@dataclass(frozen=True, slots=True)
class Forms:
    simple: str
    pinyin: str
    initials: str

    @property
    def chinese(self) -> bool:
        """Has at least one character that is not a Latin letter or a digit."""
        return not self.simple.isascii()


def simplify(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    simple = str(zhconv.convert(folded, "zh-cn")).casefold()
    return "".join(ch for ch in simple if ch.isalnum())


_KNOWN: dict[str, Forms] = {}  # forms computed elsewhere (ingestion's workers)
_KNOWN_MAX = 65536


def forms(text: str) -> Forms:
    found = _KNOWN.get(text)
    return found if found is not None else _computed(text)


def remember(known: Iterable[tuple[str, tuple[str, str, str]]]) -> None:
    """Take ``(text, (simple, pinyin, initials))`` that :func:`forms` computed in another
    process, so that :func:`forms` answers them without computing them again."""
    if len(_KNOWN) > _KNOWN_MAX:
        _KNOWN.clear()
    _KNOWN.update((text, Forms(*parts)) for text, parts in known)


def forget() -> None:
    """Drop every form known or computed (the next :func:`forms` of a text computes it)."""
    _KNOWN.clear()
    _computed.cache_clear()


@lru_cache(maxsize=65536)
def _computed(text: str) -> Forms:
    simple = simplify(text)
    if simple.isascii():  # typed in pinyin or Latin letters already
        return Forms(simple, simple, simple)
    # one conversion (the costly part of indexing): letters and digits come back
    # marked, kept whole in the initials; a syllable gives its first letter
    parts = lazy_pinyin(simple, errors=_marked)
    pinyin = "".join(p.removeprefix(_MARK) for p in parts).casefold()
    initials = "".join(p[1:] if p.startswith(_MARK) else p[:1] for p in parts).casefold()
    return Forms(simple, pinyin, initials)


_MARK = "\x01"


def _marked(chunk: str) -> str:
    return _MARK + chunk
