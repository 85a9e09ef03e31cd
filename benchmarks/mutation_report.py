"""Mutation scores per module: `python -m benchmarks.mutation_report [--mutants DIR] [--seconds S]`.

`make mutation` runs ``mutmut run`` (configured in pyproject.toml, ``[tool.mutmut]``)
and then this script. Next to each file it mutated, mutmut keeps a JSON file
``mutants/src/<path>.py.meta`` whose ``exit_code_by_key`` holds, per mutant, the
exit code of the tests run against it (``null`` until it has been tried); mutmut's
own table (``mutmut.stats.status_by_exit_code``) names what each code means.

The score of a module is killed / (killed + survived): the share of the mutants
the tests tried that they caught. Timeouts (a mutant that loops) and mutants no
selected test reaches are counted apart. The table goes to stdout and to the
"Mutation testing" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mutmut.stats import status_by_exit_code

from benchmarks.results import machine, write_section

TITLE = "Mutation testing (`make mutation`)"
TARGET = 0.85
COLUMNS = ("killed", "survived", "timeout", "no tests")


@dataclass(frozen=True)
class ModuleScore:
    module: str
    counts: Counter[str]

    @property
    def mutants(self) -> int:
        return sum(self.counts.values())

    @property
    def other(self) -> int:
        return self.mutants - sum(self.counts[c] for c in COLUMNS)

    @property
    def score(self) -> float | None:
        tried = self.counts["killed"] + self.counts["survived"]
        return self.counts["killed"] / tried if tried else None


def read_scores(mutants: Path) -> list[ModuleScore]:
    """One score per mutated module, in path order; modules without mutants are left out."""
    src = mutants / "src"
    scores = []
    for meta in sorted(src.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if not codes:
            continue
        module = meta.relative_to(src).as_posix().removesuffix(".meta")
        scores.append(ModuleScore(module, Counter(status_by_exit_code[c] for c in codes.values())))
    return scores


def total(scores: list[ModuleScore]) -> ModuleScore:
    counts: Counter[str] = Counter()
    for s in scores:
        counts.update(s.counts)
    return ModuleScore("all", counts)


def _percent(score: float | None) -> str:
    return "–" if score is None else f"{score:.1%}"


def _row(s: ModuleScore, name: str) -> str:
    cells = [name, str(s.mutants), *(str(s.counts[c]) for c in COLUMNS), str(s.other)]
    mark = " (below target)" if s.score is not None and s.score < TARGET else ""
    return "| " + " | ".join([*cells, _percent(s.score) + mark]) + " |"


def table(scores: list[ModuleScore]) -> str:
    head = "| module | mutants | killed | survived | timeout | no tests | other | score |"
    rule = "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    rows = [_row(s, f"`{s.module.removeprefix('socialcredit/')}`") for s in scores]
    return "\n".join([head, rule, *rows, _row(total(scores), "**all**")])


def report(scores: list[ModuleScore], seconds: float | None) -> str:
    below = [s.module for s in scores if s.score is not None and s.score < TARGET]
    run = f" This run took {seconds / 3600:.1f} h of wall time." if seconds else ""
    lines = [
        f"{machine()}; mutmut, 2 workers.{run} Score: killed / (killed + survived);"
        f" target {TARGET:.0%} per module. *timeout*: the mutant made the tests run past"
        " mutmut's limit (counted apart); *no tests*: no selected test calls the mutated"
        " function; *other*: not yet tried, suspicious or crashed.",
        "",
        table(scores),
        "",
        "Tests run against each mutant: those of tests/engine, tests/enforcement, tests/policy"
        " and tests/safeguards that call the mutated function, without the slow, PostgreSQL,"
        " Spark and browser ones and without the 80-case property test of the two engines.",
    ]
    if below:
        lines += ["", "Below target: " + ", ".join(f"`{m}`" for m in below) + "."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=Path("mutants"), help="mutmut's directory")
    parser.add_argument("--seconds", type=float, help="wall time of the mutmut run, if known")
    parser.add_argument("--results", type=Path, help="the Markdown file to write the section in")
    args = parser.parse_args(argv)
    scores = read_scores(args.mutants)
    if not scores:
        print(f"no mutmut results under {args.mutants}/src: run `make mutation` first")
        return 1
    body = report(scores, args.seconds)
    print(body)
    if args.results is None:
        write_section(TITLE, body)
    else:
        write_section(TITLE, body, args.results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
