"""Every string of the pages has its Simplified Chinese translation, and the language
follows the visitor's choice, then Accept-Language."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from socialcredit.web.portal import i18n

PORTAL = Path(i18n.__file__).parent
METHOD_MAP = [("**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def _strings() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PORTAL), METHOD_MAP, options_map=OPTIONS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_page_string_is_translated_into_chinese() -> None:
    strings = _strings()
    assert len(strings) > 20  # the extraction finds the templates' strings
    chinese = i18n.language("zh-CN")
    missing = sorted(s for s in strings if chinese.gettext(s) == s)
    assert not missing, f"strings without a zh_CN translation: {missing}"


def test_the_remembered_choice_wins_then_accept_language_then_chinese() -> None:
    assert i18n.choose("en", "zh-CN,zh;q=0.9").tag == "en"
    assert i18n.choose(None, "en-GB,en;q=0.8").tag == "en"
    assert i18n.choose(None, "fr-FR, en;q=0.5").tag == "en"
    assert i18n.choose(None, "zh-TW").tag == "zh-CN"
    assert i18n.choose(None, None).tag == "zh-CN"
    assert i18n.choose("xx", "de").tag == "zh-CN"


def test_dates_and_numbers_are_in_the_locale() -> None:
    assert i18n.language("zh-CN").date("2026-03-02") == "2026年3月2日"
    assert i18n.language("en").date("2026-03-02") == "Mar 2, 2026"
    assert i18n.language("en").number(24841) == "24,841"
