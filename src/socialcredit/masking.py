"""What the public may see of an identifier or a person's name.

* A resident identity number shows its first six and last four characters
  (``110105********002X``), as the published court list does; a Unified
  Social Credit Code is public and shown in full.
* A person's name keeps its surname and masks the given name (``张*``,
  ``欧阳**``); compound surnames keep both characters. A name in Latin
  letters keeps its first word.
"""

from __future__ import annotations

# the compound surnames of the Hundred Family Surnames still in common use
COMPOUND = frozenset(
    (
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "闻人",
        "澹台",
        "公冶",
        "太史",
        "申屠",
        "赫连",
        "端木",
        "独孤",
        "南宫",
        "呼延",
        "百里",
        "东郭",
        "西门",
        "司空",
    )
)


def is_resident_id(code: str) -> bool:
    return len(code) == 18 and code[:17].isdigit()


def mask_identifier(code: str) -> str:
    code = code.strip().upper()
    if is_resident_id(code):
        return code[:6] + "*" * 8 + code[14:]
    return code


def mask_name(name: str) -> str:
    name = name.strip()
    if not name:
        return name
    if name.isascii():
        first, _, rest = name.partition(" ")
        return first + (" " + "*" * min(len(rest), 3) if rest else "")
    keep = 2 if name[:2] in COMPOUND and len(name) > 2 else 1
    return name[:keep] + "*" * max(1, len(name) - keep)
