"""Citations of the legal-basis registry: what a pack writes where it says ``legal_basis``.

A basis is a YAML list of citations (a single string is a one-item list)::

    legal_basis:
      - spc_defaulter_list_2017 art. 1, 2, 10
      - civil_procedure_law art. 262
      - spc_high_consumption_2015 art. 3 para. 1(1), 3 para. 2
      - guofa_2014_21                      # an instrument cited whole (numbered: false)
      - rongzhengfa_2021_3 att. 1          # an attachment

An article may carry a paragraph or item suffix (``3(1)``, ``3 para. 2``,
``1(2)-(6)``); it is checked on its leading number, which the registry must
list. Free text, an unknown instrument, an article the registry does not
list, a whole citation of a numbered instrument, and an empty basis are
refused. A parsed citation renders as text in English or Chinese for
explanations, notices and checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from socialcredit.policy.law.registry import Instrument, registry

Lang = Literal["en", "zh"]
_CITATION = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)(?:\s+(?P<kind>arts?\.|att\.)\s+(?P<refs>.+))?$")
_SUFFIX = r"(?:\s*(?:para\.|item)\s*\d+|\(\d+\)(?:-\(\d+\))?)*"
_ARTICLE = re.compile(rf"^(?P<num>\d+(?:-\d+)?)(?P<suffix>{_SUFFIX})$")
_ZH_DIGITS = "零一二三四五六七八九"


class Citation(BaseModel):
    """One instrument, and the articles (or attachments) of it relied on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    instrument: str
    articles: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.articles:
            return f"{self.instrument} art. {', '.join(self.articles)}"
        if self.attachments:
            return f"{self.instrument} att. {', '.join(self.attachments)}"
        return self.instrument

    @property
    def source(self) -> Instrument:
        return registry()[self.instrument]

    def text(self, lang: Lang = "en") -> str:
        """The citation as a reader sees it: title, document number, articles."""
        ins = self.source
        if lang == "zh":
            head = f"《{ins.title_zh}》" + (f"（{ins.doc_no_zh}）" if ins.doc_no_zh else "")
            parts = [_zh_article(a) for a in self.articles]
            parts += [f"附件{a}" for a in self.attachments]
            return head + "、".join(parts)
        head = ins.title_en + (f" ({ins.doc_no_en})" if ins.doc_no_en else "")
        if self.articles:
            word = "art." if len(self.articles) == 1 else "arts."
            return f"{head} {word} {', '.join(self.articles)}"
        if self.attachments:
            word = "Attachment" if len(self.attachments) == 1 else "Attachments"
            return f"{head}, {word} {', '.join(self.attachments)}"
        return head


def article_number(article: str) -> str:
    """The leading number of an article reference: ``'3'`` for ``'3 para. 1(1)'``."""
    match = _ARTICLE.match(article.strip())
    if match is None:
        raise ValueError(
            f"{article!r} is not an article: a number, optionally with a suffix such as "
            "'(1)' or ' para. 2'"
        )
    return match.group("num")


def parse_citation(text: str) -> Citation:
    """A citation from its text, checked against the registry; ValueError names the problem."""
    text = " ".join(str(text).split())
    match = _CITATION.match(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a citation '<instrument id> art. <article>[, <article>...]' "
            "of the legal-basis registry"
        )
    ins_id = match.group("id")
    if ins_id not in registry():
        raise ValueError(f"{ins_id!r} is not an instrument of the legal-basis registry")
    ins = registry()[ins_id]
    refs = [r.strip() for r in (match.group("refs") or "").split(",")]
    if match.group("kind") is None:
        if ins.numbered:
            raise ValueError(f"{ins_id} is cited by article: '{ins_id} art. <article>'")
        return Citation(instrument=ins_id)
    if not all(refs):
        raise ValueError(f"{text!r}: an empty article")
    if match.group("kind") == "att.":
        for ref in refs:
            if ref not in ins.attachments:
                raise ValueError(f"{ins_id} has no attachment {ref!r} in the registry")
        return Citation(instrument=ins_id, attachments=tuple(refs))
    if not ins.numbered:
        raise ValueError(f"{ins_id} is cited whole, without articles")
    for ref in refs:
        if article_number(ref) not in ins.articles:
            raise ValueError(
                f"{ins_id} art. {article_number(ref)} is not an article the registry lists "
                f"for {ins_id} ({', '.join(ins.articles)})"
            )
    return Citation(instrument=ins_id, articles=tuple(refs))


def parse_basis(value: Any) -> tuple[Citation, ...]:
    """A basis: one citation or a list of them; refuses an empty one."""
    if isinstance(value, Citation):
        return (value,)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ValueError("a legal basis is a list of citations of the legal-basis registry")
    if not value:
        raise ValueError("an empty legal basis: cite an instrument of the registry")
    out: list[Citation] = []
    for item in _rejoin(value):
        if isinstance(item, Citation):
            out.append(item)
        elif isinstance(item, dict):  # a stored citation: checked against the registry too
            try:
                found = Citation.model_validate(item)
            except ValidationError:
                message = f"{item!r} is not a citation of the legal-basis registry"
                raise ValueError(message) from None
            out.append(parse_citation(str(found)))
        elif isinstance(item, str) and item.strip():
            out.append(parse_citation(item))
        elif isinstance(item, str):
            raise ValueError("an empty citation: cite an instrument of the registry")
        else:
            raise ValueError(f"{item!r} is not a citation of the legal-basis registry")
    return tuple(out)


def _rejoin(items: list[Any] | tuple[Any, ...]) -> list[Any]:
    """Undo YAML's flow-sequence split: in ``[x art. 1, 2, y art. 3]`` the ``2`` is an
    article of the citation before it, not a citation of its own."""
    out: list[Any] = []
    for item in items:
        text = str(item).strip() if isinstance(item, str | int) else None
        if text and text[0].isdigit() and out and isinstance(out[-1], str):
            out[-1] = f"{out[-1]}, {text}"
        else:
            out.append(item)
    return out


# A legal basis field: written as citations, held as a tuple of Citation.
Basis = Annotated[tuple[Citation, ...], BeforeValidator(parse_basis)]


def basis_text(basis: Iterable[Citation], lang: Lang = "en") -> str:
    """A basis rendered for a reader; empty when nothing is cited."""
    sep = "；" if lang == "zh" else "; "
    return sep.join(c.text(lang) for c in basis)


def instruments_of(basis: Iterable[Citation]) -> list[Instrument]:
    return [c.source for c in basis]


def _zh_number(n: int) -> str:
    if n < 10:
        return _ZH_DIGITS[n]
    if n < 20:
        return "十" + (_ZH_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _ZH_DIGITS[n // 10] + "十" + (_ZH_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        if rest == 0:
            tail = ""
        elif rest < 10:
            tail = "零" + _ZH_DIGITS[rest]
        elif rest < 20:
            tail = "一" + _zh_number(rest)
        else:
            tail = _zh_number(rest)
        return _ZH_DIGITS[n // 100] + "百" + tail
    return str(n)


def _zh_article(article: str) -> str:
    match = _ARTICLE.match(article)
    assert match is not None
    num, _, sub = match.group("num").partition("-")
    out = f"第{_zh_number(int(num))}条" + (f"之{_zh_number(int(sub))}" if sub else "")
    for part in re.findall(r"para\.\s*\d+|item\s*\d+|\(\d+\)(?:-\(\d+\))?", match.group("suffix")):
        digits = [int(d) for d in re.findall(r"\d+", part)]
        if part.startswith("para."):
            out += f"第{_zh_number(digits[0])}款"
        elif part.startswith("item"):
            out += f"第{_zh_number(digits[0])}项"
        else:
            out += "至".join(f"第（{_zh_number(d)}）项" for d in digits)
    return out


def citation_ids(basis: Iterable[Citation]) -> str:
    """A basis in its compact, machine-readable form: ``"civil_code art. 577; ..."``."""
    return "; ".join(str(c) for c in basis)
