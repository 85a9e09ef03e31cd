"""Entity resolution's test data: a small seeded registry and its trained match model,
persons in a store and records without identifiers (tests/resolution, tests/cli, ...)."""

from __future__ import annotations

import random
from functools import cache
from typing import Any

from socialcredit.ledger.registry import register_providers
from socialcredit.policy.pack import default_packs
from socialcredit.policy.resolution import ResolutionSettings
from socialcredit.resolution.features import party, pinyin
from socialcredit.resolution.matcher import train
from socialcredit.resolution.models import save_model
from socialcredit.services.ingest import ingestor
from socialcredit.store.database import Store

from support.factories import POLICE, judgment_default, person_id

SETTINGS = ResolutionSettings(upper=0.99, lower=0.8)
ZHANG = person_id(birth="19900512", seq=11)
NAMESAKE = person_id(area="370102", birth="19901103", seq=13)
LI = person_id(birth="19900302", seq=21)


@cache
def trained() -> dict[str, Any]:
    """A model estimated on a small synthetic registry (seeded), as EM would on a city."""
    rng = random.Random(7)
    sur, giv = (
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗梁宋郑谢韩唐冯于董萧",
        "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂红玉华建国志",
    )
    people = []
    for i in range(3000):
        name = rng.choice(sur) + rng.choice(giv) + rng.choice(giv)
        born = f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        area = rng.choice(["371082", "371002", "370102"])
        facts = {"name": name, "birth_date": born, "area": area,
                 "address": f"{area}街道{rng.randint(1, 300)}号"}  # fmt: skip
        people.append(party(f"P{i}", facts))
    hinted = []
    for j in range(600):
        p = rng.choice(people)
        facts = {"name": p.name, "birth_date": p.birth_date, "area": p.area, "address": p.address}
        if rng.random() < 0.3:  # moved
            facts["area"] = rng.choice(["371082", "371002", "370102"])
            facts["address"] = f"新区{rng.randint(1, 99)}号"
        spelling = rng.random()
        if spelling < 0.2:  # a character mistyped
            facts["name"] = (p.name or "")[:2] + rng.choice(giv)
        elif spelling < 0.3:  # written in pinyin
            facts["name"] = pinyin(p.name or "")
        if rng.random() < 0.1:  # a digit of the date
            facts["birth_date"] = (p.birth_date or "")[:9] + str(rng.randint(0, 9))
        hinted.append(party(f"H{j}", facts))
    return train(people, hinted)


def person(store: Store, subject: str, name: str, born: str, area: str, address: str) -> None:
    register_providers(store, [POLICE], default_packs())
    result = ingestor(store).ingest_dicts([
        {"provider": POLICE["id"], "ref": f"pop-{subject}", "subject": subject,
         "category": "registry.person", "occurred_at": "2020-01-01",
         "attributes": {"name": name, "birth_date": born}},
        {"provider": POLICE["id"], "ref": f"res-{subject}", "subject": subject,
         "category": "registry.residence", "occurred_at": "2020-01-01",
         "attributes": {"address": address, "area": area, "since": "2020-01-01"}},
    ])  # fmt: skip
    assert result.rejected == 0, result.errors


def hinted(ref: str, **hint: Any) -> dict[str, Any]:
    rec = judgment_default(ref, occurred_at="2025-01-10")
    del rec["subject"]
    rec["subject_hint"] = hint
    return rec


def city(store: Store) -> None:
    """Three persons (张伟, a namesake born the same year, 李娜) and the trained model."""
    person(store, ZHANG, "张伟", "1990-05-12", "371082", "371082街道12号")
    person(store, NAMESAKE, "张伟", "1990-11-03", "370102", "370102街道40号")
    person(store, LI, "李娜", "1990-03-02", "371082", "371082街道7号")
    save_model(store, trained(), 3000, 600)
