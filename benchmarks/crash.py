"""Crash safety: SIGKILL the platform mid-write, restart, resubmit, and check nothing broke.

``python -m benchmarks.crash [--trials N] [--db URL] [--persons N] [--seed S] [--record]``

Simulates a small city once (``socialcredit simulate``), runs one clean ingest
of its records as the reference, then per trial on a fresh store: ingestion in
a subprocess killed with SIGKILL at a random moment, and in some trials
``evaluate``, ``notices sweep`` or an objection decision killed too; each
killed command runs again, the file is resubmitted. A trial holds when

* every record acknowledged before the kill (its batch committed) is stored;
* no record is stored twice and the ledger equals the clean ingest's;
* derived state (list entries, enforcement index, notices, and after
  ``evaluate`` the assessments) equals the clean run's, and after an objection
  decision the incremental state equals a full re-derivation;
* ``socialcredit audit verify`` passes;
* every e-mail notice reaches the local SMTP sink, each notice once as its
  receiver counts them (by ``Message-ID``; resends after a kill between a send
  and its outbox mark are counted and printed, the outbox being at least once).

Prints trials and failures; exits 1 on any failure. ``--db`` takes a
PostgreSQL URL (a fresh schema per trial); the default is SQLite.
``--record`` writes the "Crash safety" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.crash_store import cli, fresh_store, sqlite_template
from benchmarks.crash_trial import Outcome, reference, run_trial

BATCH = 250  # records per ingest transaction: many commit points in a small file


@dataclass
class Summary:
    backend: str
    records: int
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failures]

    def kills(self, stage: str) -> int:
        return sum(stage in o.landed for o in self.outcomes)

    def line(self) -> str:
        landed = ", ".join(
            f"{s} {self.kills(s)}" for s in ("ingest", "evaluate", "sweep", "decision")
        )
        resent = sum(o.resent for o in self.outcomes)
        return (
            f"{self.backend}: {len(self.outcomes)} trials, {len(self.failed)} failed; "
            f"kills mid-run: {landed}; e-mails resent after a kill: {resent}; "
            f"{self.records} records a trial; {self.seconds:.0f} s"
        )


def environment(folder: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SOCIALCREDIT_NOTICE_CHANNELS="smtp,jsonl",
        SOCIALCREDIT_SMTP_HOST="127.0.0.1",
        SOCIALCREDIT_SMTP_PORT=str(port),
        SOCIALCREDIT_INGEST_WORKERS="0",
        SOCIALCREDIT_INGEST_BATCH=str(BATCH),
    )
    env.pop("SOCIALCREDIT_DB", None)
    root = str(Path(__file__).resolve().parent.parent)  # benchmarks.crash_child, from any folder
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def simulate(folder: Path, persons: int, seed: int, env: dict[str, str]) -> Path:
    done = cli(
        "sqlite://", "simulate", "--out", str(folder / "city"), "--persons", str(persons),
        "--enterprises", str(max(persons // 20, 1)), "--years", "1", "--seed", str(seed),
        "--format", "jsonl", cwd=folder, env=env,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"simulate failed: {done.stderr.strip()}")
    return folder / "city"


def run(
    trials: int, db: str | None, persons: int, seed: int, folder: Path, log: bool = True
) -> Summary:
    """Run ``trials`` trials on SQLite (``db`` None) or the PostgreSQL database ``db``."""
    from socialcredit.demo_mail import smtp_sink

    started = time.monotonic()
    rng = random.Random(seed)
    with smtp_sink(folder / "reference" / "mail.mbox") as (port, _sink):
        env = environment(folder, port)
        city = simulate(folder, persons, seed, env)
        file, providers = city / "records.jsonl", city / "providers.jsonl"
        template = None if db else sqlite_template(folder / "template", providers, env)
        with fresh_store(db, template, folder / "reference", providers, env) as url:
            ref = reference(url, file, folder / "reference", env, BATCH)
    summary = Summary("PostgreSQL" if db else "SQLite", len(ref.keys))
    for number in range(trials):
        trial = folder / f"trial{number}"
        mbox = trial / "mail.mbox"
        with smtp_sink(mbox) as (port, _sink):
            env = environment(trial, port)
            with fresh_store(db, template, trial, providers, env) as url:
                outcome = run_trial(number, url, file, ref, trial, env, mbox, rng, BATCH)
        summary.outcomes.append(outcome)
        if log:
            status = "ok" if not outcome.failures else "FAILED"
            print(
                f"trial {number + 1}/{trials} {status}: kill during {'+'.join(outcome.landed) or 'nothing (finished first)'}, "
                f"{outcome.acked} lines acknowledged, {outcome.smtp} e-mails ({outcome.resent} resent)",
                flush=True,
            )
            for failure in outcome.failures:
                print(f"  {failure}", flush=True)
    summary.seconds = time.monotonic() - started
    return summary


def record(summaries: list[Summary], persons: int, seed: int) -> None:
    from benchmarks.results import machine, results_path, write_section

    mine = {s.backend for s in summaries}
    path = results_path()
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    section = text.partition("\n## Crash safety\n")[2].partition("\n## ")[0]
    kept = [  # the other store's row, from its own run
        line
        for line in section.splitlines()
        if line.startswith(("| SQLite |", "| PostgreSQL |"))
        and line.split("|")[1].strip() not in mine
    ]
    rows = "\n".join(
        kept
        + [
            f"| {s.backend} | {len(s.outcomes)} | {len(s.failed)} | {s.kills('ingest')} | "
            f"{s.kills('evaluate')} | {s.kills('sweep')} | {s.kills('decision')} | "
            f"{sum(o.resent for o in s.outcomes)} | {s.records:,} | {s.seconds:.0f} s |"
            for s in summaries
        ]
    )
    write_section(
        "Crash safety",
        f"""`python -m benchmarks.crash --trials N [--db URL] --persons {persons} --seed {seed} --record`
({machine()}). Each trial: a fresh store, ingestion of a simulated city killed with
SIGKILL at a random moment, restart and resubmission; one trial in four also kills
`evaluate`, one `notices sweep`, one an objection decision, and runs it again. Checked:
acknowledged records kept, none twice, the ledger and derived state (list entries,
enforcement index, assessments, notices) equal to a clean run's, `audit verify`, and
every e-mail notice received by the SMTP sink (each once by Message-ID; resends from
the outbox's at-least-once window counted). "Kills mid-run": kills that caught the
command still running (the others found it finished).

| store | trials | failed | kills mid-run: ingest | evaluate | sweep | decision | e-mails resent | records a trial | time |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{rows}
""",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--db", help="PostgreSQL URL (a fresh schema per trial); default SQLite")
    parser.add_argument("--persons", type=int, default=1000, help="persons in the city (≥ 1000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--record", action="store_true", help="write benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="crash-") as tmp:
        summary = run(args.trials, args.db, args.persons, args.seed, Path(tmp))
    print(summary.line())
    if args.record:
        record([summary], args.persons, args.seed)
    return 1 if summary.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
