"""The index follows the registrations: a new enterprise is found at once, a renamed
one by its new name, a withdrawn one no longer; a rebuild gives the same index."""

from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import select

from socialcredit.clock import FixedClock
from socialcredit.ledger.bootstrap import init_store
from socialcredit.ledger.registry import register_providers
from socialcredit.lookup.index import rebuild, refresh
from socialcredit.lookup.search import search
from socialcredit.policy.pack import default_packs
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import search_index

from support.factories import POLICE, org_id, person_id
from support.portal_search import (
    HAIRUN,
    HAIRUN_NAME,
    ZHANG_WEI,
    enterprise_record,
    person_record,
    register,
    town,
)


def rows(store: Store) -> list[tuple[str, ...]]:
    with store.reader() as conn:
        found = conn.execute(
            select(
                search_index.c.subject,
                search_index.c.kind,
                search_index.c.name,
                search_index.c.simple,
                search_index.c.pinyin,
                search_index.c.initials,
            ).order_by(search_index.c.subject)
        )
        return [tuple(r) for r in found]


def test_ingested_registrations_are_indexed_at_once_with_their_forms(store: Store) -> None:
    town(store)
    indexed = {r[0]: r for r in rows(store)}
    assert len(indexed) == 8
    assert indexed[ZHANG_WEI][1:] == ("person", "张伟", "张伟", "zhangwei", "zw")
    assert indexed[HAIRUN][1:3] == ("enterprise", HAIRUN_NAME)


def test_a_renamed_enterprise_is_found_by_its_new_name_only(store: Store) -> None:
    town(store)
    register(
        store,
        enterprise_record(HAIRUN, "荣成市蓝海食品有限公司", "reg-hr-2", occurred_at="2025-01-01"),
    )
    assert [h.name for h in search(store, HAIRUN)] == ["荣成市蓝海食品有限公司"]
    old = search(store, HAIRUN_NAME)  # still similar to the new name, no longer equal
    assert (HAIRUN, HAIRUN_NAME) not in [(h.code, h.name) for h in old]
    assert all(h.score < 100 for h in old)


def test_a_corrected_name_replaces_the_record_it_corrects(store: Store) -> None:
    town(store)
    register(
        store,
        enterprise_record(HAIRUN, "荣成市海润水产食品有限公司", "reg-hr-fix", supersedes="reg-hr"),
    )
    assert [h.name for h in search(store, HAIRUN)] == ["荣成市海润水产食品有限公司"]


def test_a_withdrawn_registration_leaves_the_index(store: Store) -> None:
    town(store)
    register(
        store,
        enterprise_record(HAIRUN, HAIRUN_NAME, "reg-hr-wd", supersedes="reg-hr", withdrawn=True),
    )
    assert search(store, HAIRUN) == []
    assert HAIRUN not in [h.code for h in search(store, HAIRUN_NAME)]


def test_a_record_of_another_category_does_not_touch_the_index(store: Store) -> None:
    firm = org_id(code="MA3C4D5F9")
    register(store, enterprise_record(firm, "文登区金达商贸有限公司", "reg-jd"))
    before = rows(store)
    assert refresh(store, [firm, person_id(seq=999)]).written == 0
    assert rows(store) == before


def test_rebuild_recomputes_the_same_index_and_repairs_a_damaged_one(store: Store) -> None:
    town(store)
    before = rows(store)
    assert rebuild(store).written == 0  # nothing changed
    with store.writer() as conn:
        conn.execute(search_index.delete().where(search_index.c.subject == ZHANG_WEI))
        conn.execute(
            search_index.update()
            .where(search_index.c.subject == HAIRUN)
            .values(name="x", simple="x", pinyin="x", initials="x")
        )
    assert search(store, "张伟") == [] or search(store, "张伟")[0].code != ZHANG_WEI
    done = rebuild(store)
    assert (done.written, done.removed) == (2, 0)
    assert rows(store) == before
    assert search(store, "张伟")[0].code == ZHANG_WEI


def test_names_read_by_worker_processes_are_indexed_as_in_one_process(
    tmp_path: Path, clock: FixedClock
) -> None:
    """A file large enough for the workers: the pinyin of the names is worked out there,
    and the index is the one ingestion in one process writes."""
    names = ["张伟", "欧阳娜娜", "張薇薇", "李明", "Zhang Wei", "王小明", "陈静", "刘洋"]
    recs = [
        person_record(person_id(seq=200 + i), name, f"pop-w{i}") for i, name in enumerate(names)
    ]
    path = tmp_path / "people.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in recs) + b"\n")
    found = []
    for n_workers in (0, 1):
        url = f"sqlite:///{tmp_path / f'w{n_workers}.db'}"
        store = Store(url, clock=clock)
        init_store(store, Settings(db=url))
        register_providers(store, [POLICE], default_packs())
        result = ingestor(store, batch_size=2, workers=n_workers).ingest_files([path])
        assert result.accepted == len(names)
        found.append(rows(store))
        store.close()
    alone, shared = found
    assert shared == alone
    assert len(alone) == len(names)
    assert {r[4] for r in alone} >= {"zhangwei", "ouyangnana", "zhangweiwei", "wangxiaoming"}
