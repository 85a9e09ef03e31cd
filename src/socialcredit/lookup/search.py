"""The lookup: a code, or a name typed in characters (simplified or traditional), in
pinyin or its initials, with small typing errors.

1. A query that is a valid identifier finds that subject only.
2. Otherwise candidates come from the index, from the first way of matching
   that finds any: the exact forms (B-tree indexes); a prefix of a query
   under three characters; for a longer one, SQLite's FTS5 trigram table
   gives the names holding the query, else the best by bm25 over the query's
   rarer trigrams, else the same over its pinyin, and PostgreSQL's pg_trgm
   the names and pinyin most similar to it (GIN indexes).
3. The candidates are ranked with rapidfuzz (``WRatio``) on the characters and
   on the pinyin; an exact form scores 100, and one under ``MIN_SCORE`` is
   left out.

An empty query (or one of spaces and punctuation) finds nothing; one longer
than ``MAX_QUERY`` characters is refused (``query_too_long``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import Connection

from socialcredit.errors import SocialCreditError
from socialcredit.identifiers import InvalidIdentifier, parse
from socialcredit.lookup.text import Forms, forms
from socialcredit.store.database import Store

MAX_QUERY = 100
MAX_LIMIT = 50
CANDIDATES = 200  # taken from the index for ranking, per way of matching
RARE_BUDGET = 10_000  # names the rarer trigrams of a query may hold together (FTS5)
COUNT_TTL = 300.0  # seconds a trigram's count is remembered
_COUNTS: dict[tuple[str, str], tuple[int, float]] = {}
MIN_SCORE = 70.0  # a candidate ranked lower is no answer (a shared syllable, a surname)
PINYIN_WEIGHT = 0.95  # a match in sound only ranks below one in characters


class QueryTooLong(SocialCreditError):
    code = "query_too_long"
    status = 400


@dataclass(frozen=True, slots=True)
class Hit:
    code: str
    kind: str
    name: str
    score: float


_ROW = "s.subject, s.kind, s.name, s.simple, s.pinyin, s.initials"
Row = tuple[str, str, str, str, str, str]


def search(store: Store, q: str, limit: int = 20) -> list[Hit]:
    with store.reader() as conn:
        return search_in(conn, q, limit)


def search_in(conn: Connection, q: str, limit: int = 20) -> list[Hit]:
    text = q.strip()
    if len(text) > MAX_QUERY:
        raise QueryTooLong(f"q: at most {MAX_QUERY} characters may be searched for", field="q")
    limit = max(1, min(limit, MAX_LIMIT))
    code = _identifier(text)
    if code is not None:
        rows = _fetch(
            conn, f"SELECT {_ROW} FROM search_index s WHERE s.subject = {_mark(conn)}", (code,)
        )
        return [Hit(r[0], r[1], r[2], 100.0) for r in rows]
    f = forms(text)
    if not f.simple:
        return []
    candidates = _candidates(conn, f)
    scored = ((_score(f, row), row) for row in candidates.values())
    ranked = sorted(
        ((score, row) for score, row in scored if score >= MIN_SCORE),
        key=lambda pair: (-pair[0], len(pair[1][2]), pair[1][0]),
    )
    return [Hit(r[0], r[1], r[2], round(score, 1)) for score, r in ranked[:limit]]


def _identifier(text: str) -> str | None:
    compact = text.replace(" ", "").upper()
    if len(compact) != 18 or not compact.isalnum():
        return None
    try:
        return parse(compact).value
    except InvalidIdentifier:
        return None


def _score(f: Forms, row: Row) -> float:
    _code, _kind, _name, simple, pinyin, initials = row
    if f.simple == simple or (not f.chinese and f.simple == pinyin):
        return 100.0
    chars = float(fuzz.WRatio(f.simple, simple))
    sound = float(fuzz.WRatio(f.pinyin, pinyin)) * PINYIN_WEIGHT
    best = max(chars, sound)
    if not f.chinese and f.simple == initials:
        best = max(best, 90.0)
    return best


# -- candidates -----------------------------------------------------------------------


def _candidates(conn: Connection, f: Forms) -> dict[str, Row]:
    """The first way of matching that finds anything: the exact forms; a prefix of a
    short query; the names holding a longer one; the names sharing the most of its
    rarer trigrams; the same over its pinyin. Names of only the same sound as a query
    in characters do not stop the search (闰 for 润 is a typing error as likely as
    another name)."""
    mark = _mark(conn)
    exact = (
        f"SELECT {_ROW} FROM search_index s WHERE s.simple = {mark} "
        f"UNION ALL SELECT {_ROW} FROM search_index s WHERE s.pinyin = {mark} "
        f"UNION ALL SELECT {_ROW} FROM search_index s WHERE s.initials = {mark} "
        f"LIMIT {CANDIDATES}"
    )
    found: dict[str, Row] = {}
    _add(found, _fetch(conn, exact, (f.simple, f.pinyin, f.simple)))
    if found and (not f.chinese or any(r[3] == f.simple for r in found.values())):
        return found
    more: dict[str, Row] = {}
    if len(f.simple) < 3:
        _add(more, _prefixed(conn, f))
    elif conn.dialect.name != "sqlite":
        _add(more, _similar(conn, f))
    else:
        column = "simple" if f.chinese else "pinyin"
        _add(more, _fetch(conn, _FTS_SQL, (f'{column} : "{f.simple}"',)))
        if not more:
            _add(more, _fts_fuzzy(conn, column, f.simple))
        if not more and not found and f.chinese:  # the wrong character of a sound
            _add(more, _fts_fuzzy(conn, "pinyin", f.pinyin))
    _add(found, list(more.values()))
    return found


def _prefixed(conn: Connection, f: Forms) -> list[Row]:
    """Names, pinyin or initials that begin with a short query."""
    columns = ("simple", "initials", "pinyin") if not f.chinese else ("simple",)
    rows: list[Row] = []
    for column in columns:
        if conn.dialect.name == "sqlite":  # a range over the B-tree index
            sql = (
                f"SELECT {_ROW} FROM search_index s WHERE s.{column} >= ? AND s.{column} < ? "
                f"LIMIT {CANDIDATES}"
            )
            rows.extend(_fetch(conn, sql, (f.simple, f.simple + "\U0010ffff")))
        else:  # the trigram index answers LIKE 'ab%'; the query holds no wildcard
            sql = f"SELECT {_ROW} FROM search_index s WHERE s.{column} LIKE %s LIMIT {CANDIDATES}"
            rows.extend(_fetch(conn, sql, (f.simple + "%",)))
    return rows


_FTS_SQL = (
    f"SELECT {_ROW} FROM search_fts JOIN search_index s ON s.id = search_fts.rowid "
    f"WHERE search_fts MATCH ? LIMIT {CANDIDATES}"
)
_FTS_RANKED_SQL = (
    f"SELECT {_ROW} FROM search_fts JOIN search_index s ON s.id = search_fts.rowid "
    f"WHERE search_fts MATCH ? ORDER BY search_fts.rank LIMIT {CANDIDATES}"
)


def _fts_fuzzy(conn: Connection, column: str, text: str) -> list[Row]:
    """SQLite: the names sharing the most of the query's rarer trigrams (bm25)."""
    grams = _rarest(conn, _trigrams(text))
    if not grams:
        return []
    expr = f"{column} : (" + " OR ".join(f'"{g}"' for g in grams) + ")"
    return _fetch(conn, _FTS_RANKED_SQL, (expr,))


def _rarest(conn: Connection, grams: list[str]) -> list[str]:
    """The query's trigrams found in the index, rarest first, while the names holding
    them stay under RARE_BUDGET: a common one (有限公, zha…) matches everything and
    orders nothing, and ranking its names costs a scan."""
    counts = sorted((n, g) for g in grams if (n := _doc_count(conn, g)) > 0)
    chosen: list[str] = []
    total = 0
    for n, g in counts:
        if total + n > RARE_BUDGET:
            break
        chosen.append(g)
        total += n
    return chosen


def _doc_count(conn: Connection, gram: str) -> int:
    """How many names hold ``gram``, remembered a while per store when some do (a
    count a little stale only changes which trigrams are asked for)."""
    key = (str(conn.engine.url), gram)
    now = time.monotonic()
    held = _COUNTS.get(key)
    if held is not None and now - held[1] < COUNT_TTL:
        return held[0]
    row = conn.exec_driver_sql("SELECT doc FROM search_fts_vocab WHERE term = ?", (gram,)).first()
    n = int(row[0]) if row else 0
    if n:  # an absent trigram is asked again: a name holding it may be ingested any time
        if len(_COUNTS) > 100_000:
            _COUNTS.clear()
        _COUNTS[key] = (n, now)
    return n


def _trigrams(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for i in range(len(text) - 2):
        seen.setdefault(text[i : i + 3], None)
    return list(seen)


def _similar(conn: Connection, f: Forms) -> list[Row]:
    """PostgreSQL: names and pinyin the query is similar to a part of (pg_trgm)."""
    schema = conn.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    ).scalar_one()
    conn.exec_driver_sql("SET LOCAL pg_trgm.word_similarity_threshold = 0.3")
    op = f'OPERATOR("{schema}".<%%)'  # %% : the driver's placeholder escape
    sim = f'"{schema}".word_similarity'
    sql = (
        f"SELECT {_ROW} FROM search_index s WHERE %(s)s {op} s.simple OR %(p)s {op} s.pinyin "
        f"ORDER BY greatest({sim}(%(s)s, s.simple), {sim}(%(p)s, s.pinyin)) DESC "
        f"LIMIT {CANDIDATES}"
    )
    return _fetch(conn, sql, {"s": f.simple, "p": f.pinyin})


def _fetch(conn: Connection, sql: str, args: Sequence[object] | dict[str, object]) -> list[Row]:
    result = conn.exec_driver_sql(sql, args if isinstance(args, dict) else tuple(args))
    return [(str(a), str(b), str(c), str(d), str(e), str(g)) for a, b, c, d, e, g in result]


def _add(found: dict[str, Row], rows: list[Row]) -> None:
    for row in rows:
        found.setdefault(row[0], row)


def _mark(conn: Connection) -> str:
    return "?" if conn.dialect.name == "sqlite" else "%s"
