"""One crash trial: kill the platform with SIGKILL mid-write, restart, resubmit, check.

Every trial kills ingestion at a random moment; one trial in four also kills
``socialcredit evaluate``, one in four ``socialcredit notices sweep`` and one
in four an objection decision (``socialcredit objections decide``). After each
kill the same command runs again, as an operator would. Then the trial checks
what the reliability requirement asks (see benchmarks/crash.py) and returns
every failure as a line of text; an empty list is a trial that held.
"""

from __future__ import annotations

import json
import mailbox
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.crash_store import (
    CLI,
    DERIVED,
    cli,
    derived,
    differences,
    record_keys,
    rows,
    smtp_rows,
)

STAGES = ("ingest", "evaluate", "sweep", "decision")
INGESTED = ("list_entries", "enforcement_index", "notices")


@dataclass
class Reference:
    """What one clean run (no kill) of the same file leaves, and how long each step took."""

    keys: list[tuple[str, str]]
    after_ingest: dict[str, list[tuple[object, ...]]]
    after_evaluate: dict[str, list[tuple[object, ...]]]
    after_sweep: dict[str, list[tuple[object, ...]]]
    seconds: dict[str, float]
    line_keys: list[tuple[str, str] | None]  # (provider, ref) of each line of the file


@dataclass
class Outcome:
    number: int
    stage: str  # the stage killed besides ingestion
    landed: list[str] = field(default_factory=list)  # stages the kill caught mid-run
    acked: int = 0  # lines acknowledged (committed) before the ingestion kill
    smtp: int = 0  # e-mails the sink received, each notice counted once
    resent: int = 0  # e-mails received again (at-least-once window, dropped by Message-ID)
    failures: list[str] = field(default_factory=list)


def line_keys(path: Path) -> list[tuple[str, str] | None]:
    out: list[tuple[str, str] | None] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                item = json.loads(line)
                out.append((str(item["provider"]), str(item["ref"])))
            except (ValueError, KeyError, TypeError):
                out.append(None)
    return out


def killed(cmd: list[str], cwd: Path, env: dict[str, str], delay: float) -> tuple[bool, str]:
    """Start ``cmd``, SIGKILL it after ``delay`` seconds; say whether it was still running."""
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    running = proc.poll() is None
    if running:
        os.kill(proc.pid, signal.SIGKILL)
    output, _ = proc.communicate()
    return running, output


def child(url: str, file: Path, batch: int) -> list[str]:
    return [sys.executable, "-m", "benchmarks.crash_child", url, str(file), str(batch)]


def ingest_killed(
    cmd: list[str], cwd: Path, env: dict[str, str], rng: random.Random, window: float
) -> tuple[bool, str]:
    """Start the ingestion and SIGKILL it: usually at a random moment while batches are
    being written (after the first commit, within ``window`` seconds, the time a clean
    run writes), one time in ten while it is still starting up."""
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    first = ""
    if rng.random() < 0.1:
        time.sleep(rng.uniform(0.05, 1.0))
    else:
        first = proc.stdout.readline()  # the first batch committed
        time.sleep(rng.uniform(0.0, window))
    running = proc.poll() is None
    if running:
        os.kill(proc.pid, signal.SIGKILL)
    output, _ = proc.communicate()
    return running, first + output


def received(path: Path) -> Counter[str]:
    """E-mails the sink holds, by notice id (the ``X-Socialcredit-Notice`` header)."""
    if not path.exists():
        return Counter()
    box = mailbox.mbox(str(path))
    try:
        return Counter(str(m["X-Socialcredit-Notice"]) for m in box)
    finally:
        box.close()


def check_smtp(url: str, mbox: Path, outcome: Outcome) -> None:
    queued = smtp_rows(url)
    undelivered = [n for n, done in queued if not done]
    if undelivered:
        outcome.failures.append(f"smtp: {len(undelivered)} e-mail notices left undelivered")
    got = received(mbox)
    want = {str(n) for n, _ in queued}
    if set(got) != want:
        outcome.failures.append(
            f"smtp: sink holds {len(got)} notices, outbox {len(want)} "
            f"({len(want - set(got))} never received, {len(set(got) - want)} unknown)"
        )
    outcome.smtp = len(got)
    outcome.resent = sum(n - 1 for n in got.values())


def decision(url: str, cwd: Path, env: dict[str, str], delay: float, outcome: Outcome) -> None:
    """File, accept and answer an objection, then kill the reviewer's decision to withdraw."""
    found = rows(
        url,
        "records WHERE category LIKE 'judicial.%' AND withdrawn = false AND supersedes IS NULL",
        "id, subject",
    )
    if not found:
        outcome.failures.append("decision: no judicial record to object to")
        return
    record, subject = (str(v) for v in found[0])
    filed = cli(
        url,
        "objections",
        "file",
        subject,
        "--record",
        record,
        "--grounds",
        "wrong",
        "--evidence",
        "receipt of payment",
        "--json",
        cwd=cwd,
        env=env,
    )
    if filed.returncode != 0:
        outcome.failures.append(f"decision: objection refused: {filed.stderr.strip()}")
        return
    case = str(json.loads(filed.stdout)["case"]["case"])
    for args in (("accept", case), ("answer", case, "--outcome", "upheld", "--reasons", "stands")):
        done = cli(url, "objections", *args, cwd=cwd, env=env)
        if done.returncode != 0:
            outcome.failures.append(f"decision: {args[0]} failed: {done.stderr.strip()}")
            return
    decide = ["objections", "decide", case, "--outcome", "withdrawn", "--reasons", "paid"]
    if killed([*CLI, "--db", url, *decide], cwd, env, delay)[0]:
        outcome.landed.append("decision")
    again = cli(url, *decide, cwd=cwd, env=env)
    if again.returncode != 0 and "Error: " not in again.stderr:
        outcome.failures.append(f"decision: retry crashed: {again.stderr.strip()[-300:]}")
    withdrawals = rows(url, f"records WHERE supersedes = '{record}' AND withdrawn = true", "id")
    if len(withdrawals) != 1:
        outcome.failures.append(f"decision: {len(withdrawals)} withdrawals of the record, not 1")
    incremental = derived(url, ("list_entries", "enforcement_index"))
    if cli(url, "evaluate", cwd=cwd, env=env).returncode != 0:
        outcome.failures.append("decision: evaluate after the decision failed")
    full = derived(url, ("list_entries", "enforcement_index"))
    outcome.failures.extend(f"after decision: {d}" for d in differences(incremental, full))


def run_trial(
    number: int,
    url: str,
    file: Path,
    ref: Reference,
    cwd: Path,
    env: dict[str, str],
    mbox: Path,
    rng: random.Random,
    batch: int,
) -> Outcome:
    outcome = Outcome(number, STAGES[number % len(STAGES)])
    fail = outcome.failures.append
    # 1. ingestion, killed at a random moment
    window = ref.seconds["writing"]
    landed, output = ingest_killed(child(url, file, batch), cwd, env, rng, window)
    if landed:
        outcome.landed.append("ingest")
    elif "done " not in output:
        fail("ingestion failed before the kill")
    outcome.acked = sum(int(x.split()[1]) for x in output.splitlines() if x.startswith("ack "))
    stored = record_keys(url)
    clean = set(ref.keys)
    promised = {k for k in ref.line_keys[: outcome.acked] if k is not None and k in clean}
    if lost := promised - set(stored):
        fail(f"after the kill: {len(lost)} acknowledged records missing")
    # 2. restart and resubmit the same file
    again = cli(url, "ingest", str(file), "--json", cwd=cwd, env=env)
    if again.returncode not in (0, 2):
        fail(f"resubmission exited {again.returncode}: {again.stderr.strip()[-300:]}")
    stored = record_keys(url)
    if len(stored) != len(set(stored)):
        fail(f"ledger: {len(stored) - len(set(stored))} records stored twice")
    if stored != ref.keys:
        fail(f"ledger: {len(stored)} records, a clean ingest stores {len(ref.keys)}")
    outcome.failures.extend(
        f"after ingest: {d}" for d in differences(derived(url, INGESTED), ref.after_ingest)
    )
    # 3. evaluate (killed in some trials), then again
    if outcome.stage == "evaluate":
        cmd = [*CLI, "--db", url, "evaluate"]
        if killed(cmd, cwd, env, rng.uniform(0.3, ref.seconds["evaluate"]))[0]:
            outcome.landed.append("evaluate")
    if cli(url, "evaluate", cwd=cwd, env=env).returncode != 0:
        fail("evaluate failed after restart")
    outcome.failures.extend(
        f"after evaluate: {d}" for d in differences(derived(url), ref.after_evaluate)
    )
    # 4. the notice sweep (killed in some trials), then again; e-mails to the sink
    if outcome.stage == "sweep":
        cmd = [*CLI, "--db", url, "notices", "sweep"]
        if killed(cmd, cwd, env, rng.uniform(0.3, ref.seconds["sweep"]))[0]:
            outcome.landed.append("sweep")
    if cli(url, "notices", "sweep", cwd=cwd, env=env).returncode != 0:
        fail("notices sweep failed after restart")
    notices = derived(url, ("notices",))
    outcome.failures.extend(f"after sweep: {d}" for d in differences(notices, ref.after_sweep))
    check_smtp(url, mbox, outcome)
    # 5. an objection decision killed mid-transaction, then decided again
    if outcome.stage == "decision":
        decision(url, cwd, env, rng.uniform(0.3, ref.seconds["decide"]), outcome)
    # 6. the audit chain
    verify = cli(url, "audit", "verify", cwd=cwd, env=env)
    if verify.returncode != 0:
        fail(f"audit verify: {verify.stdout.strip()[-300:]} {verify.stderr.strip()[-300:]}")
    return outcome


def reference(url: str, file: Path, cwd: Path, env: dict[str, str], batch: int) -> Reference:
    """A clean run of the file on a fresh store, timed step by step."""
    seconds: dict[str, float] = {}
    proc = subprocess.Popen(
        child(url, file, batch), cwd=cwd, env=env, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    start = time.monotonic()
    if proc.wait() != 0:
        raise RuntimeError("ingestion failed on the clean store")
    seconds["writing"] = time.monotonic() - start
    after_ingest = derived(url, INGESTED)
    start = time.monotonic()
    if cli(url, "evaluate", cwd=cwd, env=env).returncode != 0:
        raise RuntimeError("evaluate failed on the clean store")
    seconds["evaluate"] = time.monotonic() - start
    after_evaluate = derived(url)
    start = time.monotonic()
    cli(url, "notices", "sweep", cwd=cwd, env=env)
    seconds["sweep"] = time.monotonic() - start
    seconds["decide"] = 1.5
    return Reference(
        keys=record_keys(url),
        after_ingest=after_ingest,
        after_evaluate=after_evaluate,
        after_sweep=derived(url, ("notices",)),
        seconds=seconds,
        line_keys=line_keys(file),
    )


__all__ = ["DERIVED", "Outcome", "Reference", "reference", "run_trial"]
