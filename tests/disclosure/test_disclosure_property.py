"""Over random persons and random disclosure settings -- even settings the lint would
refuse, forced active -- no public page or public API answer holds a full identity
number, a name the rules mask or hide, or a field the rules do not publish."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from socialcredit.masking import mask_identifier, mask_name
from socialcredit.policy.pack import PACKS_DIR, read_pack_files
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.public_refs import refs_of
from socialcredit.web.app import create_app

from support.factories import ingest_on, judgment_default, person_id
from support.portal_public import person_named, public_world
from support.redteam import force_active
from support.remedies import DEBTOR

# characters no page text uses, so that a name found in a page is the name itself
RARE = "犇骉麤靐龘羴鱻猋赑掱焱垚淼森鑫"
NATIONAL = read_pack_files(Path(PACKS_DIR / "national"))

kind_rules = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["full", "masked", "hidden"]),
        "identifier": st.sampled_from(["full", "masked", "hidden"]),
        "grades": st.booleans(),
        "scores": st.booleans(),
        "black_lists": st.booleans(),
        "red_lists": st.booleans(),
        "decisions": st.booleans(),
        "attributes": st.lists(
            st.sampled_from(["case_no", "decision_no", "amount"]), unique=True, max_size=3
        ),
    }
)
disclosures = st.fixed_dictionaries(
    {"person": kind_rules, "enterprise": kind_rules, "institution": kind_rules}
)
persons = st.tuples(
    st.text(alphabet=RARE, min_size=2, max_size=4),  # a name
    st.dates(
        min_value=dt.date(1990, 1, 1),  # area 371082 exists since then
        max_value=dt.date(2005, 12, 31),
    ),
    st.booleans(),  # on the court list
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],  # each draw writes to the store: no shrinking
    database=None,
)
@given(person=persons, rules=disclosures)
def test_nothing_unpublished_reaches_the_public(
    sqlite_store: Store, person: tuple[str, Any, bool], rules: dict[str, Any]
) -> None:
    store = sqlite_store
    known: dict[str, str] = _known(store)
    name, born, listed = person
    code = person_id(birth=born.strftime("%Y%m%d"), seq=next(_SEQ))
    person_named(store, code, name, day="2025-06-01")
    if listed:
        ingest_on(
            store,
            "2026-01-05",
            judgment_default(f"(2026)鲁1082执{code[-5:]}号", code, occurred_at="2026-01-05"),
        )
    known[code] = name
    text = f"# draw {len(known)}\n" + yaml.safe_dump(rules)  # a new version each time
    files = {**NATIONAL, "disclosure.yaml": text}
    force_active(store, "national", files, version=f"random-{len(known)}")
    with store.writer() as conn:
        ref = refs_of(conn, [code])[code]

    client = TestClient(
        create_app(Settings(db=store.url, public_rate_limit=100_000), clock=store.clock)
    )
    api = client.get(f"/v1/subjects/{ref}").json()
    api_list = client.get("/v1/lists/court_defaulters/entries?page_size=100").json()
    page = client.get(f"/subjects/{ref}").text
    list_page = client.get("/lists/court_defaulters?page_size=100").text
    texts = [json.dumps(api, ensure_ascii=False), json.dumps(api_list, ensure_ascii=False)]
    texts += [_main(page), _main(list_page)]

    p = rules["person"]
    for other, other_name in known.items():
        for text in texts:
            assert other not in text  # never a full identity number
            if p["name"] != "full":
                assert other_name not in text  # never a masked or hidden name whole

    assert "grades" not in api  # never a person's grade or score
    assert ("decisions" in api) == p["decisions"]
    assert ("name" in api) == (p["name"] != "hidden")
    assert ("identifier" in api) == (p["identifier"] != "hidden")
    if p["identifier"] == "hidden":
        assert mask_identifier(code) not in page
    if p["name"] == "hidden":
        assert mask_name(name) not in _main(page)
    shown_lists = {e["kind"] for e in api["entries"]}
    assert shown_lists <= {k for k in ("black", "red") if p[f"{k}_lists"]}
    assert bool(api["entries"]) == (listed and p["black_lists"])
    for entry in [*api["entries"], *api_list.get("entries", [])]:
        assert set(entry.get("attributes", {})) <= set(p["attributes"])
        if entry.get("kind") == "person":
            assert ("name" in entry) == (p["name"] != "hidden")
    if not p["black_lists"]:
        assert api_list["entries"] == []


_SEQ = itertools.count(100)
_WORLD: dict[str, dict[str, str]] = {}


def _known(store: Store) -> dict[str, str]:
    """The persons made so far in this store (the listed debtor of the public world first)."""
    if store.url not in _WORLD:
        public_world(store)
        _WORLD.clear()
        _WORLD[store.url] = {DEBTOR: "欧阳明华"}
    return _WORLD[store.url]


def _main(html: str) -> str:
    start, end = html.find("<main"), html.find("</main>")
    return html[start:end]
