"""Languages of the portal: Babel gettext catalogues, chosen per request.

The page text is written in English in the templates (``{{ _("…") }}``) and
translated from the catalogues ``locale/<lang>/LC_MESSAGES/*.po`` (one per
area of the portal, merged; ``make messages`` extracts the strings to
``messages.pot`` with ``pybabel extract -F babel.cfg``). The catalogues are
compiled in memory when the app starts; a test checks that every string of
the pages has its Chinese translation. A request's language is the one the user chose (cookie
``sc_lang``, set by ``/language``), else the best match of its
``Accept-Language``, else Simplified Chinese. Dates and numbers are formatted
in the chosen locale.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale, dates, numbers
from babel.core import negotiate_locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = Path(__file__).parent / "locale"
LANGUAGES = ("zh-CN", "en")  # the first is the default
DEFAULT = LANGUAGES[0]
COOKIE = "sc_lang"
NAMES = {"zh-CN": "简体中文", "en": "English"}


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47, as pages declare it in lang="…"
    translations: NullTranslations

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.tag, sep="-")

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def date(self, value: dt.date | dt.datetime | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        if isinstance(value, dt.datetime):
            value = value.date()
        return dates.format_date(value, format="medium", locale=self.locale)

    def number(self, value: float | int | None, digits: int = 0) -> str:
        if value is None:
            return ""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return numbers.format_decimal(value, format=pattern, locale=self.locale)

    @property
    def is_chinese(self) -> bool:
        return self.tag.startswith("zh")


@cache
def language(tag: str) -> Language:
    """The language of a tag of :data:`LANGUAGES` (its catalogue compiled once)."""
    if tag not in LANGUAGES:
        tag = DEFAULT
    files = sorted((LOCALES / tag.replace("-", "_") / "LC_MESSAGES").glob("*.po"))
    if not files:
        return Language(tag, NullTranslations())
    merged = Catalog(locale=tag.replace("-", "_"))
    for path in files:
        with path.open("rb") as handle:
            for message in read_po(handle, locale=tag.replace("-", "_")):
                if message.id and message.string:
                    merged.add(message.id, message.string)
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return Language(tag, Translations(buffer))


def choose(cookie: str | None, accept_language: str | None) -> Language:
    """The language of a request: the remembered choice, else Accept-Language."""
    if cookie in LANGUAGES:
        return language(cookie)
    preferred = [tag for tag, _q in _accepted(accept_language or "")]
    found = negotiate_locale(preferred, [t.replace("-", "_") for t in LANGUAGES], sep="-")
    if found is None:
        found = negotiate_locale([p.split("-")[0] for p in preferred], ["zh", "en"], sep="-")
        found = {"zh": "zh_CN", "en": "en"}.get(found or "")
    return language(found.replace("_", "-") if found else DEFAULT)


def _accepted(header: str) -> list[tuple[str, float]]:
    """The language ranges of an Accept-Language header, best first (RFC 9110 §12.5.4)."""
    ranges: list[tuple[str, float]] = []
    for part in header.split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranges.append((tag.strip(), quality))
    return sorted(ranges, key=lambda r: -r[1])
