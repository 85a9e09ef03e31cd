"""A notice as plain text: what the e-mail says and what the CLI prints."""

from __future__ import annotations

from socialcredit.notices.model import Notice


def render_text(notice: Notice) -> str:
    b = notice.body
    lines = [
        b.title,
        "",
        f"To: {notice.recipient}" + (f" ({b.role.replace('_', ' ')})" if b.role else ""),
        f"About: {notice.subject}",
        f"Notice: {notice.id}",
        f"Created: {notice.created_at.isoformat(timespec='seconds')} UTC",
        f"Takes or took effect: {b.effective_on.isoformat()}",
    ]
    if b.ends_on is not None:
        lines.append(f"Ends at the latest: {b.ends_on.isoformat()}")
    lines += ["", "What", f"  {b.what}", "", "Why", f"  {b.why}"]
    for r in b.records:
        day = r.occurred_at.isoformat()
        lines.append(f"  - record {r.id}: {r.category}, {day}, reported by {r.provider}")
    for rule in b.rules:
        lines.append(f"  - rule {rule}")
    if b.measures:
        lines += ["", "Measures"]
        for m in b.measures:
            lines.append(f"  - {m.title} ({m.effect}; {', '.join(m.actions)}): {m.legal_basis}")
    lines += ["", "Legal basis"]
    lines += [f"  - {basis}" for basis in b.legal_basis] or ["  (none stated)"]
    lines += ["", "How to object", f"  {b.objection.text}"]
    if b.repair is not None:
        lines += ["", "How to repair", f"  {b.repair.text}"]
    deadlines = sorted([*b.objection.deadlines, *b.deadlines], key=lambda d: d.date)
    if deadlines:
        lines += ["", "Deadlines"]
        lines += [f"  - {d.date.isoformat()}: {d.what}" for d in deadlines]
    return "\n".join(lines) + "\n"
