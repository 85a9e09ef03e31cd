"""The tests mirror ``src/``: a folder per package, shared builders in ``tests/support/``,
and no test module importing another (a test module is run, never a library)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent
SRC = TESTS.parent / "src" / "socialcredit"
TOP = {  # whole-product tests: the docs, the README, the demo, the layers, the scope guard,
    # the soak against a running server, the mutation-testing tools, the test and benchmark
    # infrastructure (the throwaway PostgreSQL cluster, make bench-quick)
    "test_architecture.py",
    "test_bench_quick.py",
    "test_demo.py",
    "test_docs.py",
    "test_layout.py",
    "test_mutation_tools.py",
    "test_pg_cluster.py",
    "test_readme_example.py",
    "test_scope_guard.py",
    "test_soak.py",
}


def _test_modules() -> list[Path]:
    return sorted(p for p in TESTS.rglob("test_*.py") if "support" not in p.parts)


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_test_module_imports_another() -> None:
    modules = {p.stem for p in _test_modules()} | {"conftest"}
    found = {
        f"{p.relative_to(TESTS)} imports {name}"
        for p in _test_modules()
        for name in _imported(p)
        if name.split(".")[0] in modules or name.split(".")[0] == "tests"
    }
    assert found == set()


def test_support_imports_no_test_module() -> None:
    modules = {p.stem for p in _test_modules()}
    for path in (TESTS / "support").glob("*.py"):
        assert not {n for n in _imported(path) if n.split(".")[0] in modules}, path


def test_test_basenames_are_unique() -> None:
    # pytest's default import mode puts each folder on sys.path: two test_x.py would clash
    stems = [p.stem for p in _test_modules()]
    assert sorted(s for s in set(stems) if stems.count(s) > 1) == []


def test_every_test_folder_is_a_package_of_src_or_the_base_modules() -> None:
    folders = {p.parent.relative_to(TESTS) for p in _test_modules()} - {Path()}
    base = {"base"}  # clock, errors, identifiers, private_files, settings
    base.add("browser")  # the web portal's pages in a real browser
    stray = {f for f in folders if f.parts[0] not in base and not (SRC / f.parts[0]).is_dir()}
    assert stray == set()
    at_top = {p.name for p in TESTS.glob("test_*.py")}
    assert at_top - TOP <= {n for n in at_top if n.startswith(("test_crash", "test_fuzz_"))}
