"""``socialcredit search-index rebuild``: the index recomputed from the ledger."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.lookup.search import search
from socialcredit.store.database import Store
from socialcredit.store.tables import search_index

from support.portal_search import HAIRUN, town


def test_rebuild_restores_a_lost_index_and_reports_it(sqlite_store: Store) -> None:
    town(sqlite_store)
    with sqlite_store.writer() as conn:
        conn.execute(search_index.delete())
    assert search(sqlite_store, HAIRUN) == []
    runner = CliRunner()
    result = runner.invoke(app, ["--db", sqlite_store.url, "search-index", "rebuild", "--json"])
    assert result.exit_code == 0, result.output
    done = json.loads(result.stdout)
    assert (done["written"], done["removed"]) == (8, 0)
    assert [h.code for h in search(sqlite_store, HAIRUN)] == [HAIRUN]
    again = runner.invoke(app, ["--db", sqlite_store.url, "search-index", "rebuild"])
    assert again.exit_code == 0 and "0 names written, 0 removed" in again.stdout
