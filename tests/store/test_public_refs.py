"""Public pages link a person by an opaque reference, an organisation by its code."""

from __future__ import annotations

from socialcredit.store.database import Store
from socialcredit.store.public_refs import ensure_refs, known_refs, refs_of, subject_of

from support.factories import org_id, person_id


def test_a_person_gets_one_opaque_reference_and_an_organisation_keeps_its_code(
    store: Store,
) -> None:
    person, firm = person_id(), org_id()
    with store.writer() as conn:
        first = refs_of(conn, [person, firm])
    with store.writer() as conn:
        again = refs_of(conn, [person])
    ref = first[person]
    assert again[person] == ref and first[firm] == firm
    assert ref.startswith("P") and len(ref) == 17 and person[6:14] not in ref
    with store.reader() as conn:
        assert subject_of(conn, ref) == person
        assert subject_of(conn, ref.lower()) == person
        assert subject_of(conn, firm) == firm
        assert subject_of(conn, person) is None  # never looked up by the identity number
        assert subject_of(conn, "P0000000000000000") is None
        assert subject_of(conn, "nonsense") is None


def test_references_are_read_without_a_write_once_they_exist(store: Store) -> None:
    person, firm = person_id(seq=12), org_id()
    made = ensure_refs(store, [person, firm])
    assert made[firm] == firm and made[person].startswith("P")
    with store.reader() as conn:
        assert known_refs(conn, [person, firm]) == made
        assert known_refs(conn, [person_id(seq=13)]) == {}  # none made by a read
    assert ensure_refs(store, [person]) == {person: made[person]}
