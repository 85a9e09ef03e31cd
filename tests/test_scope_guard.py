"""Nothing that decides reads an identity number's area, birth date or sex digits
(docs/safeguards.md, "Scope from residence").

Walks ``src/`` by AST: only ``monitoring/demographics.py`` reads the digits' meaning
(``identifiers.py`` validates the check character and date with python-stdnum and
exposes neither); no module slices an identifier at the positions that carry
meaning; nothing in engine, enforcement, policy, remedies, notices, ledger or store imports
``socialcredit.monitoring``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "socialcredit"
READER = Path("monitoring/demographics.py")
VALIDATOR = Path("identifiers.py")
DECIDING = ("engine", "enforcement", "policy", "remedies", "notices", "ledger", "store")
MEANINGFUL = frozenset({"get_birth_date", "get_birth_place"})
# GB 11643 positions: area 1-6 (and its province 1-2, city 1-4), birth date 7-14,
# sequence 15-17 (sex), as 0-based slice bounds
SLICES = {(None, 6), (0, 6), (None, 2), (0, 2), (None, 4), (0, 4), (6, 14), (6, 10), (16, 17)}
INDICES = {16}
ID_NAMES = {"subject", "identifier", "ident", "number", "sid", "person", "target", "compact"}


def _modules() -> list[tuple[Path, ast.Module]]:
    return [
        (p.relative_to(SRC), ast.parse(p.read_text("utf-8"))) for p in sorted(SRC.rglob("*.py"))
    ]


def _const(node: ast.expr | None) -> int | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, int) else None


def _named_id(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in ID_NAMES or node.id.endswith("_id")
    if isinstance(node, ast.Attribute):
        return node.attr in {"value", "id", "subject"} or node.attr in ID_NAMES
    return False


def violations(path: Path, tree: ast.Module) -> list[str]:
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "stdnum.cn.ric":
            names = {a.name for a in node.names} & MEANINGFUL
            if names and path != READER:
                found.append(f"{path}:{node.lineno} imports {sorted(names)}")
        if (
            isinstance(node, ast.Attribute)
            and node.attr in MEANINGFUL
            and path not in (READER, VALIDATOR)
        ):
            found.append(f"{path}:{node.lineno} reads ric.{node.attr}")
        if isinstance(node, ast.Subscript) and _named_id(node.value) and path != READER:
            s = node.slice
            if isinstance(s, ast.Slice) and s.step is None:
                if (_const(s.lower), _const(s.upper)) in SLICES and path != VALIDATOR:
                    found.append(f"{path}:{node.lineno} slices an identifier's digits")
            elif _const(s) in INDICES:
                found.append(f"{path}:{node.lineno} reads an identifier's sex digit")
        if isinstance(node, ast.Import | ast.ImportFrom) and path.parts[0] in DECIDING:
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if any(n.startswith("socialcredit.monitoring") for n in names):
                found.append(f"{path}:{node.lineno} imports socialcredit.monitoring")
    return found


def test_nothing_but_demographics_reads_the_digits_meaning() -> None:
    found = [v for path, tree in _modules() for v in violations(path, tree)]
    assert found == []


def test_the_reader_is_where_the_guard_looks() -> None:
    assert (SRC / READER).is_file()
    tree = ast.parse((SRC / READER).read_text("utf-8"))
    assert violations(READER, tree) == []  # allowed there


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("enforcement/x.py", "area = subject[:6]"),
        ("engine/x.py", "born = ident.value[6:14]"),
        ("remedies/x.py", "sex = number[16]"),
        ("services/x.py", "from stdnum.cn.ric import get_birth_date"),
        ("web/x.py", "import stdnum.cn.ric as r\nr.get_birth_place(x)"),
        ("policy/x.py", "from socialcredit.monitoring.demographics import demographics"),
        ("ledger/x.py", "import socialcredit.monitoring.demographics"),
    ],
)
def test_the_guard_catches_each_way_in(path: str, code: str) -> None:
    assert violations(Path(path), ast.parse(code)) != []


def test_demographics_reads_the_groups() -> None:
    import datetime as dt

    from socialcredit.monitoring.demographics import NotAPerson, demographics, outcomes_by_group

    from support.factories import org_id, person_id

    d = demographics(person_id("650102", "19900512", seq=3))
    assert (d.birth_province, d.birth_date, d.sex) == ("650000", dt.date(1990, 5, 12), "male")
    assert d.age_band(dt.date(2026, 3, 1)) == "30-44"
    groups = outcomes_by_group(
        [(person_id(seq=4), "deny"), (org_id(), "deny")], dt.date(2026, 3, 1)
    )
    assert groups == {("370000", "30-44", "female"): {"deny": 1}}
    with pytest.raises(NotAPerson):
        demographics(org_id())
