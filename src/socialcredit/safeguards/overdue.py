"""The ``overdue`` check: remedy cases past their deadline and not acted on.

Objections, appeals and repair applications (docs/remedies.md) each have a
next action, the party that must take it and a deadline, the last day to act
(:mod:`socialcredit.remedies.cases`, :mod:`socialcredit.remedies.deadlines`:
the periods of ``remedies.yaml``). A case whose deadline has passed without
that action is a violation; an unanswered objection also suspends the record's
effect, but the case itself must still be decided.
"""

from __future__ import annotations

from socialcredit.remedies.cases import cases
from socialcredit.safeguards.findings import Checked, found, passed
from socialcredit.store.database import Store

COMMANDS = {  # the command that takes each next action
    "accept": "socialcredit objections accept {case}",
    "answer": "socialcredit objections answer {case}",
    "decide": "socialcredit objections decide {case}",
    "decide appeal": "socialcredit appeals decide {case}",
}


def check_overdue(store: Store) -> list[Checked]:
    """Every open case; a finding for each past its deadline
    (``socialcredit cases list --overdue``)."""
    out: list[Checked] = []
    for view in cases(store):
        nxt = view.next
        if nxt is None or nxt.deadline is None or not nxt.overdue(view.day):
            out.append(passed("overdue"))
            continue
        case = view.case
        command = COMMANDS.get(nxt.action, "socialcredit cases show {case}")
        if case.kind == "repair":
            command = "socialcredit repairs decide {case}"
        elif case.kind == "justification":
            verb = "answer" if nxt.action == "justify" else "decide"
            command = f"socialcredit justifications {verb} {{case}}"
        out.append(
            found(
                "overdue",
                f"case {case.id}",
                case.subject,
                f"{case.kind} {case.state}: {nxt.who} was to {nxt.action} it by "
                f"{nxt.deadline.isoformat()}",
                f"{nxt.who} must {nxt.action} the case now (`{command.format(case=case.id)}`)",
            )
        )
    return out
