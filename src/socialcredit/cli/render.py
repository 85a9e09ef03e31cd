"""Rich tables for the CLI and the demo: summaries, reports, decisions, grades, diffs, cases."""

from __future__ import annotations

import json
from typing import Any

from rich.table import Table

from socialcredit.ledger.summary import LedgerSummary

DOMAINS = ("government", "commercial", "social", "judicial")


def _table(title: str, head: str, rows: dict[str, int]) -> Table:
    table = Table(title=title)
    table.add_column(head)
    table.add_column("count", justify="right")
    for key, n in rows.items():
        table.add_row(key, f"{n:,}")
    return table


def summary_tables(summary: LedgerSummary) -> list[Table]:
    kinds = dict(summary.subjects_by_kind)
    kinds["official (persons holding office)"] = summary.officials
    return [
        _table("subjects by kind", "kind", kinds),
        _table("records by domain", "domain", summary.records_by_domain),
        _table("records by provider kind", "provider", summary.records_by_provider_kind),
    ]


def report_renderables(body: dict[str, Any]) -> list[Any]:
    """A subject report (engine.report.to_json) as Rich tables."""
    head = (
        f"[bold]{body['subject']}[/bold] ({body['kind']}, {body['jurisdiction']}) at "
        f"{body['at'][:19]} UTC, known at {body['known_at'][:19]}; policy "
        f"{body['policy_version']}"
    )
    out: list[Any] = [head]
    if body.get("policy_note"):
        out.append(f"[yellow]note:[/yellow] {body['policy_note']}")
    grades = Table(title="grades")
    for col in ("scheme", "status", "score", "grade", *DOMAINS):
        grades.add_column(col, justify="right" if col not in ("scheme", "status") else "left")
    for scheme, score in body["scores"].items():
        domains = [f"{score['domains'].get(d, 0):g}" for d in DOMAINS]
        value = "—" if score["score"] is None else f"{score['score']:g}"
        grades.add_row(
            scheme, body["status"][scheme], value, body["grades"][scheme] or "—", *domains
        )
    out.append(grades)
    risk = body.get("risk")
    if risk:
        out.append(
            f"risk: {risk['score']} points ({risk['band']}, model {risk['model_version']}, "
            f"as of {risk['as_of']}); informs a review, no list entry or measure follows"
        )
        out.extend(f"  -{r['points']:.0f}  {r['en']} / {r['zh']}" for r in risk["reasons"])
    if body["contributions"]:
        t = Table(title="why: what counts now")
        for col in ("scheme", "record", "category", "rule", "occurred", "until", "points"):
            t.add_column(col)
        for c in body["contributions"]:
            t.add_row(
                c["scheme"],
                c["record_id"][:12],
                c["category"],
                c["rule_id"],
                c["occurred_at"],
                c["end"],
                f"{c['value']:g}",
            )
        out.append(t)
    if body.get("linked_by_matching"):
        t = Table(title="linked by matching (reported without an identity number)")
        for col in ("record", "category", "probability", "confirmed"):
            t.add_column(col)
        for link in body["linked_by_matching"]:
            t.add_row(
                link["record_id"][:12],
                link["category"] or "",
                f"{link['match_probability'] or 0:.4f}",
                "yes" if link["confirmed"] else "no (grounds no list)",
            )
        out.append(t)
        out += [f"not you? {link['objection']['command']}" for link in body["linked_by_matching"]]
    if body["expired"]:
        t = Table(title="no longer counting")
        for col in ("scheme", "record", "category", "occurred", "stopped", "why"):
            t.add_column(col)
        for e in body["expired"]:
            t.add_row(
                e["scheme"],
                e["record_id"][:12],
                e["category"],
                e["occurred_at"],
                e["end"],
                e["reason"],
            )
        out.append(t)
    if body["what_would_change"]:
        t = Table(title="what would change the grade")
        for col in ("scheme", "on", "when this stops counting", "score then", "grade then"):
            t.add_column(col)
        for w in body["what_would_change"]:
            t.add_row(
                w["scheme"],
                w["on"],
                f"{w['record_id'][:12]} ({w['rule_id']})",
                f"{w['score_after']:g}",
                w["grade_after"] or "—",
            )
        out.append(t)
    out.extend(_better_renderables(body.get("better_grade", {})))
    out.extend(_entry_renderables(body.get("entries", []), body.get("measures", [])))
    return out


def _better_renderables(better: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    for scheme, b in better.items():
        when = (
            f"by itself on {b['by_itself_on']} (grade {b['grade_then']}, score {b['score_then']:g})"
            if b["by_itself_on"]
            else "not by itself"
        )
        out.append(f"[bold]{scheme}[/bold]: the next better grade, {b['grade']}, comes {when}")
        t = Table(title=f"{scheme}: sooner, if these stop counting")
        for col in ("record", "category", "points", "ends", "ends early by", "credit repair"):
            t.add_column(col)
        for x in b["sooner"]:
            repair = x.get("repair") or {}
            t.add_row(
                x["record_id"][:12],
                x.get("category", ""),
                f"{x['value']:g}" + (f" (cap {x['grade_cap']})" if x["grade_cap"] else ""),
                x["end"],
                ", ".join(x.get("ended_by", [])) or "—",
                f"from {repair['eligible_from']}" if repair.get("eligible_from") else "no",
            )
        if b["sooner"]:
            out.append(t)
    return out


def _entry_renderables(entries: list[dict[str, Any]], measures: list[dict[str, Any]]) -> list[Any]:
    out: list[Any] = []
    if entries:
        t = Table(title="list entries")
        for col in ("list", "status", "from", "until", "ground", "reaches as"):
            t.add_column(col)
        for e in entries:
            g = e.get("ground") or {}
            ground = f"{g.get('case_no') or g.get('record', '')[:12]} ({g.get('provider')})"
            reach = e["reaches_as"] + (f" of {e['via']}" if e.get("via") else "")
            t.add_row(
                e["title"], e["status"], e["effective_from"], e["end"], ground if g else "—", reach
            )
        out.append(t)
    if measures:
        t = Table(title="measures in force")
        for col in ("measure", "effect", "actions", "list", "legal basis"):
            t.add_column(col)
        for m in measures:
            t.add_row(
                m["title"], m["effect"], ", ".join(m["actions"]), m["list"], m["legal_basis"][:60]
            )
        out.append(t)
    return out


def decision_renderables(decision: Any) -> list[Any]:
    """A check's decision as text and a table of the measures behind it."""
    colour = {
        "allow": "green",
        "deny": "red",
        "restrict": "yellow",
        "review": "yellow",
        "privilege": "cyan",
        "discount": "cyan",
    }[decision.outcome]
    out: list[Any] = [
        f"[bold {colour}]{decision.outcome.upper()}[/bold {colour}] {decision.subject} · "
        f"{decision.action} at {decision.at:%Y-%m-%d %H:%M} UTC (data as known "
        f"{decision.known_at:%Y-%m-%d %H:%M}); policy {decision.policy_version}"
    ]
    if decision.measures:
        t = Table(title="measures")
        for col in ("measure", "effect", "list", "reaches as", "legal basis"):
            t.add_column(col)
        for m in decision.measures:
            reach = m.target if m.via is None else f"{m.target} of {m.via}"
            t.add_row(
                m.title,
                m.effect + (f" ({m.condition})" if m.condition else ""),
                m.list,
                reach,
                m.legal_basis[:80],
            )
        out.append(t)
    for e in decision.entries:
        out.append(
            f"  {e.status} on {e.list} since {e.effective_from} until {e.end} "
            f"(ground record {e.ground_record or '—'}, {e.authority})"
        )
    for g in decision.grounds:
        case = f"{g.case_key} {g.case_no}" if g.case_no else "no case number"
        amount = f", {g.amount:,.2f} yuan" if g.amount is not None else ""
        who = f"{g.provider_name} ({g.provider})" if g.provider_name else g.provider
        out.append(
            f"  ground {g.record}: {g.category}, {case}{amount}, {g.occurred_at}, reported by {who}"
        )
        out.append(f"    object: {g.objection.command}")
        out.append(f"        or: {g.objection.endpoint} {json.dumps(g.objection.body)}")
    if decision.purpose or decision.reference:
        out.append(f"  purpose: {decision.purpose or '—'}; reference: {decision.reference or '—'}")
    return out


def grade_tables(grades: dict[str, dict[str, int]], no_consent: dict[str, int]) -> list[Any]:
    """Grade distribution per scheme."""
    out: list[Any] = []
    for scheme, counts in grades.items():
        t = Table(title=f"grades: {scheme}")
        t.add_column("grade")
        t.add_column("subjects", justify="right")
        t.add_column("share", justify="right")
        total = sum(counts.values()) or 1
        # best first: AAA before AA before A, then B, C, D
        for grade, n in sorted(counts.items(), key=lambda kv: (kv[0][:1], -len(kv[0]))):
            t.add_row(str(grade), f"{n:,}", f"{100 * n / total:.1f}%")
        if no_consent.get(scheme):
            t.add_row("(not scored: no consent)", f"{no_consent[scheme]:,}", "")
        out.append(t)
    return out


def diff_renderables(body: dict[str, Any]) -> list[Any]:
    """A policy dry-run (engine.diff) as transition matrices and samples."""
    out: list[Any] = [f"candidate {body['candidate']}\nagainst   {body['baseline']}"]
    for scheme, d in body["schemes"].items():
        grades = sorted({g for row in d["matrix"].values() for g in row} | set(d["matrix"]))
        t = Table(
            title=f"{scheme}: {d['changed']:,} of {d['subjects']:,} change grade "
            "(rows: now, columns: with the candidate)"
        )
        t.add_column("")
        for g in grades:
            t.add_column(g, justify="right")
        for g in grades:
            row = d["matrix"].get(g, {})
            t.add_row(g, *[f"{row.get(h, 0):,}" if row.get(h) else "" for h in grades])
        out.append(t)
        if d["by_group"]:
            top = sorted(d["by_group"].items(), key=lambda kv: -kv[1])[:10]
            out.append("  changes by city and kind: " + ", ".join(f"{k}: {v}" for k, v in top))
    for s in body["samples"]:
        out.append(
            f"[bold]{s['subject']}[/bold] {s['scheme']}: {s['from']} → {s['to']} "
            f"(score {s['score_before']} → {s['score_after']})"
        )
        for label, items in (("now", s["before"]), ("candidate", s["after"])):
            for c in items[:5]:
                out.append(f"    {label}: {c['category']} {c['rule_id']} {c['value']:+g}")
    return out


def case_renderables(body: dict[str, Any]) -> list[Any]:
    """A remedy case (``{"case": …}``) with its steps; after an outcome also the
    subject as it now stands (``{"subject": …}``: grades and list entries)."""
    case = body["case"]
    items: list[Any] = [
        f"[bold]{case['case']}[/bold] {case['kind']} about {case['subject']}: {case['state']}"
        + (f" ({case['outcome']})" if case["outcome"] else "")
        + (" — listing suspended" if case["listing_suspended"] else "")
    ]
    nxt = case["next"]
    if nxt is not None:
        late = " [red]overdue[/red]" if nxt["overdue"] else ""
        items.append(f"  next: {nxt['action']} by {nxt['who']} by {nxt['deadline']}{late}")
    table = Table(title="steps")
    for col in ("on", "step", "record", "details"):
        table.add_column(col)
    for step in case["steps"]:
        details = ", ".join(f"{k}={v}" for k, v in sorted(step["attributes"].items()))
        table.add_row(step["on"], step["category"], step["record"][:12], details[:90])
    items.append(table)
    subject = body.get("subject")
    if subject is not None:
        grades = ", ".join(f"{k}: {v or '—'}" for k, v in subject["grades"].items())
        items.append(f"  now: {grades}")
        for e in subject["lists"]:
            items.append(f"  {e['list']}: {e['status']} until {e['end']}")
    return items


def cases_table(cases: list[dict[str, Any]]) -> Table:
    """Open cases (``CaseView.to_dict()``) with their next action, who and by when."""
    table = Table(title="open cases")
    for col in ("case", "kind", "subject", "state", "next", "who", "deadline"):
        table.add_column(col)
    for c in cases:
        n = c["next"] or {}
        deadline = str(n.get("deadline") or "—") + (" (overdue)" if n.get("overdue") else "")
        table.add_row(
            c["case"],
            c["kind"],
            c["subject"],
            c["state"],
            n.get("action", ""),
            n.get("who", ""),
            deadline,
        )
    return table
