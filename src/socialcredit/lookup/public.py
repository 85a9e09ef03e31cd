"""What the public sees of a search: a person's name masked to the surname and
identity number to its first six and last four characters (``masking.py``), and
the opaque reference its page is linked by (``store/public_refs.py``); an
enterprise's or institution's name and code in full."""

from __future__ import annotations

from dataclasses import dataclass

from socialcredit.lookup.search import search
from socialcredit.masking import is_resident_id, mask_identifier, mask_name
from socialcredit.store.database import Store
from socialcredit.store.public_refs import ensure_refs, is_person


@dataclass(frozen=True, slots=True)
class PublicHit:
    ref: str
    code: str
    kind: str
    name: str
    score: float


def public_search(store: Store, q: str, limit: int = 20) -> list[PublicHit]:
    hits = search(store, q, limit)
    persons = [h.code for h in hits if is_person(h.code)]
    refs = {h.code: h.code for h in hits}
    if persons:  # a person's reference is made the first time it is shown
        refs.update(ensure_refs(store, persons))
    return [
        PublicHit(
            ref=refs[h.code],
            code=mask_identifier(h.code),
            kind=h.kind,
            name=mask_name(h.name) if h.kind == "person" else h.name,
            score=h.score,
        )
        for h in hits
    ]


def shown_query(q: str) -> str:
    """The query as an answer may repeat it: an identity number masked."""
    compact = q.replace(" ", "").upper()
    return mask_identifier(compact) if is_resident_id(compact) else q.strip()
