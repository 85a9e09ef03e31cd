"""Opaque references for public links to persons.

A public page links to a subject's page. An enterprise's or institution's code
(USCC) is public; a person's resident identity number is not, and must not
appear in a public page, its links or the server's logs of them. A person is
linked by a random reference (``P`` and 16 hex digits) kept in
``public_refs``, made the first time it is needed; it names the person
without saying anything about them.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import Connection, select

from socialcredit.store.bulk import insert_rows, select_in
from socialcredit.store.database import Store
from socialcredit.store.tables import public_refs

PREFIX = "P"


def is_person(code: str) -> bool:
    """A resident identity number: 17 digits and a digit or X (an USCC has letters in
    other places and is public)."""
    return len(code) == 18 and code[:17].isdigit()


def refs_of(conn: Connection, codes: Iterable[str]) -> dict[str, str]:
    """The public reference of each code: the code itself for an organisation, an opaque
    one for a person (made now, in ``conn``'s transaction, where missing)."""
    wanted = sorted(set(codes))
    out = {c: c for c in wanted if not is_person(c)}
    persons = [c for c in wanted if is_person(c)]
    if persons:
        for ref, subject in select_in(conn, "public_refs", ("ref", "subject"), "subject", persons):
            out[subject] = ref
        missing = [c for c in persons if c not in out]
        rows = [(PREFIX + secrets.token_hex(8).upper(), c) for c in missing]
        if rows:
            insert_rows(conn, "public_refs", ("ref", "subject"), rows)
            out.update({c: ref for ref, c in rows})
    return out


def ensure_refs(store: Store, codes: Iterable[str]) -> dict[str, str]:
    """The public references of ``codes``, read without the writer's lock; only when a
    person has none yet is one made, in a short write of its own (public pages are
    read by many at once and must not queue behind each other or behind ingestion)."""
    wanted = set(codes)
    with store.reader() as conn:
        found = known_refs(conn, wanted)
    if len(found) < len(wanted):
        with store.writer() as conn:
            found = refs_of(conn, wanted)
    return found


def known_refs(conn: Connection, codes: Iterable[str]) -> dict[str, str]:
    """The references that exist (an organisation's is its code), making none."""
    wanted = sorted(set(codes))
    out = {c: c for c in wanted if not is_person(c)}
    persons = [c for c in wanted if is_person(c)]
    for ref, subject in select_in(conn, "public_refs", ("ref", "subject"), "subject", persons):
        out[subject] = ref
    return out


def subject_of(conn: Connection, ref: str) -> str | None:
    """The code a public reference stands for: an organisation's code is itself; a
    person's reference is looked up (a resident identity number given directly is
    refused: None)."""
    ref = ref.strip().upper()
    if ref.startswith(PREFIX) and len(ref) == 17:
        row = conn.execute(select(public_refs.c.subject).where(public_refs.c.ref == ref)).first()
        return None if row is None else str(row[0])
    if len(ref) == 18 and not is_person(ref):
        return ref
    return None
