"""The ``scope`` check of the safeguards audit: where a scheme's scope comes from.

DESIGN.md, safeguard 3: nothing that decides may read an identity number's
area, birth date or sex digits; a municipal scheme's scope comes from
residence (persons) or registration (organisations) records. The scope
resolution is being rewritten (``socialcredit.engine.scope``); until it lands
this check reports nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from socialcredit.policy.pack import Pack
from socialcredit.safeguards.findings import Checked


def check_scope(packs: Sequence[Pack], conn: Connection | None = None) -> list[Checked]:
    """Every scheme's scope comes from residence or registration records, never from an
    identifier's digits: for each scheme of ``packs``, its scope is declared on records
    (and, with ``conn``, every subject it scores in the store holds such a record).

    A hook: it returns no findings yet (see the module docstring)."""
    return []
