"""A record linked by entity resolution and not confirmed counts in the score, so it may
lower a grade; but a grade it lowered puts no one on a black list, hence triggers no
measure, until a reviewer confirms the link."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, insert, select

from socialcredit.enforcement.publish import publish_grade_lists
from socialcredit.engine.ledger_view import assess
from socialcredit.policy.pack import default_packs, load_pack_files
from socialcredit.policy.policy_set import PolicySet
from socialcredit.remedies.objections import file_objection
from socialcredit.resolution.resolve import confirm, resolve, review_queue
from socialcredit.services.ingest import ingestor
from socialcredit.services.report import subject_report
from socialcredit.store.database import Store
from socialcredit.store.tables import assessments, hinted_records, list_entries

from support.resolution import SETTINGS, ZHANG, city, hinted

LOW_GRADE_PACK = {
    "pack.yaml": 'name: low-grade\nversion: "1"\ntitle: Low grade\njurisdiction: national\n'
    "level: sector\nscope: [person]\n",
    "lists.yaml": "lists:\n  national_c_grade:\n    title: C-grade persons\n    kind: black\n"
    "    domain: social\n    authority: Credit office\n    subjects: [person]\n"
    "    legal_basis: sat_announcement_2014_40 art. 17\n    notice_days: 0\n"
    "    zero_notice_basis: sat_announcement_2014_40 art. 17\n"
    "    entry:\n      grade: {scheme: national, grades: [C]}\n",
}


def graded(store: Store, policy: PolicySet) -> str | None:
    """Evaluate 张伟 as a run would, keep the assessment, publish the grade lists."""
    now = store.clock.now()
    with store.writer() as conn:
        a = assess(conn, policy, ZHANG, now).schemes["national"]
        conn.execute(delete(assessments))
        conn.execute(insert(assessments).values(
            subject=ZHANG, scheme="national", run=1, status=a.status,
            score_units=a.score_units, grade=a.grade, government_units=0,
            commercial_units=0, social_units=0, judicial_units=0,
        ))  # fmt: skip
        publish_grade_lists(conn, policy, now.date())
    return a.grade


def listed(store: Store) -> list[str]:
    with store.reader() as conn:
        return list(conn.execute(select(list_entries.c.subject).where(
            list_entries.c.list == "national_c_grade")).scalars())  # fmt: skip


def test_a_grade_lowered_by_an_unconfirmed_link_lists_no_one(store: Store) -> None:
    policy = PolicySet([*default_packs(), load_pack_files(LOW_GRADE_PACK, Path("low-grade"))])
    city(store)
    assert graded(store, policy) != "C"  # nothing against 张伟 yet
    ing = ingestor(store)
    ing.ingest_dicts([hinted("H-1", name="張偉", birth_date="1990-05-12", area="371082",
                             address="371082街道12号")])  # fmt: skip
    assert resolve(store, ing, SETTINGS).linked == 1 and review_queue(store) == []

    assert graded(store, policy) == "C"  # the linked record counts in the score
    assert listed(store) == []  # but the grade it lowered lists no one

    with store.reader() as conn:
        hid = conn.execute(select(hinted_records.c.id)).scalar_one()
    confirm(store, ing, hid, "reviewer.wang")
    assert graded(store, policy) == "C"
    assert listed(store) == [ZHANG]  # confirmed: the grade's list and measures follow


def test_the_report_shows_the_link_and_the_subject_can_object(store: Store) -> None:
    city(store)
    ing = ingestor(store)
    ing.ingest_dicts([hinted("H-1", name="張偉", birth_date="1990-05-12", area="371082",
                             address="371082街道12号")])  # fmt: skip
    resolve(store, ing, SETTINGS)
    body = subject_report(store, ZHANG)
    [link] = body["linked_by_matching"]
    assert link["category"] == "judicial.judgment_default" and link["confirmed"] is False
    assert link["match_probability"] >= SETTINGS.upper and link["model_version"].startswith("MM-")
    assert link["objection"]["command"].startswith(f"socialcredit objections file {ZHANG}")
    [counted] = [c for c in body["contributions"] if c["record_id"] == link["record_id"]]
    assert counted["linked_by_matching"] is True
    assert body["entries"] == []  # an unconfirmed link lists no one

    case = file_objection(ing, ZHANG, record=link["record_id"], grounds="wrong",
                          evidence="I am not the 张伟 of this case")  # fmt: skip
    filed = case.to_dict()
    assert filed["target"] == link["record_id"] and filed["open"], filed
    assert filed["provider"] == link["provider"]  # the court that reported it must answer
