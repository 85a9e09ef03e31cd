"""/me: a record linked to the subject by entity resolution is shown as such, with its
match probability and whether a reviewer confirmed it, in English and in Chinese."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from socialcredit.resolution.resolve import resolve
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import hinted_records
from socialcredit.web.app import create_app

from support.portal_me import subject_login
from support.resolution import SETTINGS, ZHANG, city, hinted


def test_the_report_page_shows_the_records_linked_by_matching(store: Store) -> None:
    city(store)
    ing = ingestor(store)
    ing.ingest_dicts([hinted("H-1", name="張偉", birth_date="1990-05-12", area="371082",
                             address="371082街道12号")])  # fmt: skip
    assert resolve(store, ing, SETTINGS).linked == 1
    with store.reader() as conn:
        record = conn.execute(select(hinted_records.c.id)).scalar_one()
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as client:
        client.cookies.set("sc_lang", "en")
        subject_login(client, store, ZHANG)
        page = client.get("/me").text
        assert "Records linked to you by matching" in page and record in page
        assert "not yet" in page  # no reviewer has confirmed it
        client.cookies.set("sc_lang", "zh-CN")
        assert "经比对关联到您的记录" in client.get("/me").text
