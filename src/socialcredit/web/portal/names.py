"""Names from the packs in the page's language: a list's, a measure's, a scheme's
``title_zh`` on a Chinese page where the pack gives one, else its title."""

from __future__ import annotations

from typing import Any

from socialcredit.web.portal.i18n import Language


def list_title(definition: Any, lang: Language) -> str:
    return titled(definition, lang)


def titled(definition: Any, lang: Language) -> str:
    title = str(getattr(definition, "title", "") or "")
    if lang.is_chinese:
        return str(getattr(definition, "title_zh", None) or title)
    return title
