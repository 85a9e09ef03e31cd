"""The store's tables (SQLAlchemy Core). Alembic migrations create them.

Records are append-only: nothing here is ever updated or deleted. Derived
state added by later layers lives in its own tables.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# Ledger sequence numbers: 64-bit; on SQLite declared INTEGER so the column is
# the table's rowid rather than a second B-tree beside it (one index less to
# maintain per record appended)
SEQ = BigInteger().with_variant(Integer(), "sqlite")

providers = Table(
    "providers",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("jurisdiction", String(10), nullable=False),
    Column("registered_at", DateTime, nullable=False),
)

provider_categories = Table(
    "provider_categories",
    metadata,
    Column("provider", String(80), primary_key=True),
    Column("category", String(80), primary_key=True),
)

categories = Table(
    "categories",
    metadata,
    Column("name", String(80), primary_key=True),
    Column("pack", String(80), nullable=False),
    Column("domain", String(20)),
    Column("severity", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("definition", Text, nullable=False),
)

packs = Table(
    "packs",
    metadata,
    Column("name", String(80), primary_key=True),
    Column("version", String(40), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("loaded_at", DateTime, nullable=False),
)

subjects = Table(
    "subjects",
    metadata,
    Column("id", String(18), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("first_recorded_at", DateTime, nullable=False),
    Index("ix_subjects_kind", "kind"),
)

records = Table(
    "records",
    metadata,
    Column("seq", SEQ, primary_key=True, autoincrement=False),
    Column("id", String(32), nullable=False, unique=True),
    Column("provider", String(80), nullable=False),
    Column("ref", String(200), nullable=False),
    Column("subject", String(18), nullable=False),
    Column("category", String(80), nullable=False),
    Column("occurred_at", Date, nullable=False),
    Column("reported_at", Date),
    Column("recorded_at", DateTime, nullable=False),
    Column("attributes", Text, nullable=False),
    Column("legal_basis", Text),
    Column("supersedes", String(32)),
    Column("withdrawn", Boolean, nullable=False),
    Column("content_hash", String(64), nullable=False),
    # (provider, ref) is unique through `id`, which is derived from the pair
    Index("ix_records_subject", "subject", "seq"),
    Index("ix_records_category", "category"),
    Index("ix_records_supersedes", "supersedes"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", SEQ, primary_key=True, autoincrement=False),
    Column("at", DateTime, nullable=False),
    Column("event", String(60), nullable=False),
    Column("ref", String(200)),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# identifier-valued attributes (legal representative, controller, office…), indexed
# at ingestion so role relations can be found from either side
record_links = Table(
    "record_links",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("attr", String(60), primary_key=True),
    Column("subject", String(18), nullable=False),
    Column("category", String(80), nullable=False),
    Column("target", String(18), nullable=False),
    Index("ix_record_links_target", "target"),
)

# derived: the latest evaluation of every subject under every scheme
assessments = Table(
    "assessments",
    metadata,
    Column("subject", String(18), primary_key=True),
    Column("scheme", String(80), primary_key=True),
    Column("run", BigInteger, nullable=False),
    Column("status", String(20), nullable=False),
    Column("score_units", BigInteger),
    Column("government_units", BigInteger, nullable=False),
    Column("commercial_units", BigInteger, nullable=False),
    Column("social_units", BigInteger, nullable=False),
    Column("judicial_units", BigInteger, nullable=False),
    Column("grade", String(8)),
    Column("area", String(12)),  # the subject's area on the day (registry records)
    Index("ix_assessments_scheme_grade", "scheme", "grade"),
    Index("ix_assessments_scheme_area", "scheme", "area"),
)

evaluation_runs = Table(
    "evaluation_runs",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("engine", String(20), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("known_at", DateTime, nullable=False),
    Column("policy_version", String(400), nullable=False),
    Column("policy_digest", String(64), nullable=False),
    Column("subjects", BigInteger, nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=False),
)

# every version of every pack ever loaded, so past decisions can be re-made
pack_versions = Table(
    "pack_versions",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("name", String(80), nullable=False),
    Column("version", String(40), nullable=False),
    Column("files", Text, nullable=False),
    Column("loaded_at", DateTime, nullable=False),
)

activations = Table(
    "activations",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("pack", String(80), nullable=False),
    Column("digest", String(64)),
    Column("action", String(20), nullable=False),
    Column("activated_at", DateTime, nullable=False),
    Column("note", Text),
)

# a candidate set of pack versions put forward by one policy officer; it takes
# effect only when a second officer approves it (ledger/approval.py)
policy_proposals = Table(
    "policy_proposals",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("packs", Text, nullable=False),  # JSON: [{"name", "version", "digest"}]
    Column("note", Text),
    Column("proposed_by", String(200), nullable=False),
    Column("proposed_key", String(40), nullable=False),
    Column("proposed_at", DateTime, nullable=False),
    Column("state", String(20), nullable=False),  # pending | approved | rejected
    Column("decided_by", String(200)),
    Column("decided_key", String(40)),
    Column("decided_at", DateTime),
    Column("reasons", Text),
)

# derived: every list entry of every subject, recomputed in the transaction that
# appends a record about the subject (docs/lists.md)
list_entries = Table(
    "list_entries",
    metadata,
    Column("id", String(300), primary_key=True),
    Column("list", String(80), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("subject", String(18), nullable=False),
    Column("status_basis", Text, nullable=False),  # the ListEntry as canonical JSON
    Column("pending_from", Date, nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Index("ix_list_entries_subject", "subject"),
    Index("ix_list_entries_list", "list", "effective_from"),
)

# derived: what a check needs, per target subject and action
enforcement_index = Table(
    "enforcement_index",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("subject", String(18), nullable=False),  # the person or organisation checked
    Column("action", String(80), nullable=False),
    Column("effect", String(12), nullable=False),
    Column("measure", String(80), nullable=False),
    Column("entry", String(300), nullable=False),
    Column("owner", String(18), nullable=False),  # the listed subject the entry is about
    Column("target", String(40), nullable=False),  # 'subject' or the role
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=False),  # exclusive
    Column("version", BigInteger, nullable=False),
    Index("ix_enforcement_subject", "subject", "action"),
    Index("ix_enforcement_owner", "owner"),
    Index("ix_enforcement_version", "version"),
)

decision_log = Table(
    "decision_log",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("decided_at", DateTime, nullable=False),
    Column("requester", String(80), nullable=False),
    Column("subject", String(18), nullable=False),
    Column("action", String(80), nullable=False),
    Column("outcome", String(12), nullable=False),
    Column("sampled", Boolean, nullable=False),  # an allow kept as a sample
    Column("at", DateTime, nullable=False),
    Column("known_at", DateTime, nullable=False),
    Column("policy_version", String(400), nullable=False),
    Column("reasons", Text, nullable=False),  # the Decision as canonical JSON
    Column("purpose", String(200)),  # the relying party's stated purpose (bulk: required)
    Column("reference", String(200)),  # its transaction reference
    Index("ix_decision_log_subject", "subject", "decided_at"),
)

decision_counts = Table(
    "decision_counts",
    metadata,
    Column("day", Date, primary_key=True),
    Column("requester", String(80), primary_key=True),
    Column("action", String(80), primary_key=True),
    Column("outcome", String(12), primary_key=True),
    Column("n", BigInteger, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("scopes", Text, nullable=False),  # JSON list of action patterns / roles
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
    Column("rate_per_second", Float),  # the key's request rate limit (null: the setting's)
)

# notices to subjects (docs/remedies.md, "Notices"): derived from list entries and
# assessments, each with a deterministic id so generating them again never duplicates
notices = Table(
    "notices",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("subject", String(18), nullable=False),  # the subject the change concerns
    Column("recipient", String(18), nullable=False),  # the subject or its legal representative
    Column("kind", String(40), nullable=False),
    Column("ref", String(300), nullable=False),  # list entry id, scheme or measure it is about
    Column("created_at", DateTime, nullable=False),
    Column("effective_on", Date, nullable=False),
    Column("body", Text, nullable=False),  # the NoticeBody as canonical JSON
    Index("ix_notices_subject", "subject", "created_at"),
    Index("ix_notices_recipient", "recipient", "created_at"),
    Index("ix_notices_ref", "ref"),
)

# delivery of notices to channels, at least once: one row per (notice, channel); the
# channel '' marks a notice not yet fanned out to the configured channels
outbox = Table(
    "outbox",
    metadata,
    Column("notice", String(64), primary_key=True),
    Column("channel", String(40), primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("delivered_at", DateTime),
    Column("last_error", Text),
    Column("address", String(400)),  # consented e-mail, phone or postal address (else null)
    Index("ix_outbox_due", "delivered_at", "next_attempt_at"),
)

# the grade last notified per subject and scheme: assessments hold only the latest run
notified_grades = Table(
    "notified_grades",
    metadata,
    Column("subject", String(18), primary_key=True),
    Column("scheme", String(80), primary_key=True),
    Column("grade", String(8)),
    Column("run", BigInteger, nullable=False),
)

# small named values kept by the notice sweep (the time of the last sweep)
notice_state = Table(
    "notice_state",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)

# portal logins (docs/portal.md): one role each; a subject's login acts for `subject`,
# an agency's for `agency`; passwords hashed with argon2
users = Table(
    "users",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(40), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("subject", String(18)),
    Column("agency", String(80)),
    Column("created_at", DateTime, nullable=False),
    Column("disabled_at", DateTime),
)

# a subject's authorisation for a credit service agency to read its report
agency_grants = Table(
    "agency_grants",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("subject", String(18), nullable=False),
    Column("agency", String(80), nullable=False),
    Column("purpose", String(200), nullable=False),
    Column("granted_at", DateTime, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("withdrawn_at", DateTime),
    Index("ix_agency_grants_subject", "subject", "agency"),
)

# every read of a report by an agency (listed on the subject's own page)
agency_reads = Table(
    "agency_reads",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("grant_id", String(40), nullable=False),
    Column("subject", String(18), nullable=False),
    Column("agency", String(80), nullable=False),
    Column("purpose", String(200), nullable=False),
    Column("read_at", DateTime, nullable=False),
    Index("ix_agency_reads_subject", "subject", "read_at"),
)

# the opaque reference public pages link a person by (never the identity number)
public_refs = Table(
    "public_refs",
    metadata,
    Column("ref", String(20), primary_key=True),
    Column("subject", String(18), nullable=False, unique=True),
)

# the public lookup's index (lookup/): one row per subject with a registered name, its
# simplified form and its pinyin; the migration adds what each database searches it
# with (SQLite: the FTS5 table `search_fts` kept by triggers; PostgreSQL: pg_trgm GIN
# indexes), which are not declared here
search_index = Table(
    "search_index",
    metadata,
    Column("id", SEQ, primary_key=True, autoincrement=True),
    Column("subject", String(18), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("simple", String(200), nullable=False),
    Column("pinyin", String(1000), nullable=False),
    Column("initials", String(200), nullable=False),
    Index("ix_search_index_simple", "simple"),
    Index("ix_search_index_pinyin", "pinyin"),
    Index("ix_search_index_initials", "initials"),
)

# the supervision of data providers (supervision/): running statistics per feed (a
# provider's records of one category) and week of arrival, kept by the ingestion
# watcher in the transaction that appends the records, never by rescanning the ledger
feed_weeks = Table(
    "feed_weeks",
    metadata,
    Column("provider", String(80), primary_key=True),
    Column("category", String(80), primary_key=True),
    Column("week", Date, primary_key=True),  # the Monday (China time) of the arrival week
    Column("received", BigInteger, nullable=False),  # records appended
    Column("duplicates", BigInteger, nullable=False),  # identical resubmissions
    Column("refused", BigInteger, nullable=False),  # records refused, any code
    Column("refused_codes", Text, nullable=False),  # JSON: code -> records refused
    Column("late", BigInteger, nullable=False),  # appended later than the pack's limit
    Column("corrections", BigInteger, nullable=False),
    Column("withdrawals", BigInteger, nullable=False),
    Column("objections", BigInteger, nullable=False),  # decided about the feed's records
    Column("upheld", BigInteger, nullable=False),  # ... the record corrected or withdrawn
    Column("amounts", Text, nullable=False),  # JSON: histogram of log10 amounts by bin
    Column("held", BigInteger, nullable=False),  # records quarantined by a hold
)

# a feed put on hold because its signals crossed the pack's thresholds; it ends when a
# reviewer releases or rejects what it holds (each step in the audit chain)
feed_holds = Table(
    "feed_holds",
    metadata,
    Column("id", String(40), primary_key=True),  # HOLD-<yyyymmdd>-<12 hex>
    Column("provider", String(80), nullable=False),
    Column("category", String(80), nullable=False),
    Column("week", Date, nullable=False),  # the arrival week whose signals placed it
    Column("placed_at", DateTime, nullable=False),
    Column("signals", Text, nullable=False),  # JSON: the thresholds crossed, with values
    Column("ended_at", DateTime),
    Column("ended_by", String(200)),
    Column("outcome", String(20)),  # released | rejected
    Index("ix_feed_holds_feed", "provider", "category", "ended_at"),
)

# records a hold quarantined: in the ledger, counted by no engine until released (from
# `released_at` on, as if recorded then); a rejected one is withdrawn by `withdrawal`
quarantine = Table(
    "quarantine",
    metadata,
    Column("record", String(32), primary_key=True),
    Column("hold", String(40), nullable=False),
    Column("subject", String(18), nullable=False),
    Column("held_at", DateTime, nullable=False),
    Column("released_at", DateTime),
    Column("rejected_at", DateTime),
    Column("decided_by", String(200)),
    Column("reason", Text),
    Column("withdrawal", String(32)),  # id of the withdrawal record of a rejection
    Index("ix_quarantine_hold", "hold"),
)

# saved runs of the supervision analytics (supervision/saved.py): the report's JSON and
# the chart's SVG of each run saved, the last ones per analytic, each covered by an audit
# entry carrying their hashes; read by supervisors' pages only, never by what decides
supervision_reports = Table(
    "supervision_reports",
    metadata,
    Column("id", String(48), primary_key=True),  # SUP-<kind>-<yyyymmddHHMMSS>-<8 hex>
    Column("kind", String(20), nullable=False),  # judges | officials | jurisdictions | providers
    Column("known_at", DateTime, nullable=False),  # the ledger as known at this instant
    Column("computed_at", DateTime, nullable=False),
    Column("seconds", Float, nullable=False),  # what the run took
    Column("parameters", Text, nullable=False),  # JSON: the options of the run
    Column("report", Text, nullable=False),  # canonical JSON: the report's to_dict()
    Column("svg", Text, nullable=False),  # the chart, as the CLI's --plot writes it
    Column("audit_seq", BigInteger, nullable=False),  # the entry that saved it
    Index("ix_supervision_reports_kind", "kind", "computed_at"),
)

risk_models = Table(
    "risk_models",
    metadata,
    Column("version", Integer, primary_key=True),  # 1, 2, ...: every score names it
    Column("state", String(12), nullable=False),  # candidate | active | retired
    Column("trained_at", DateTime, nullable=False),
    Column("known_at", DateTime, nullable=False),  # the ledger as known at this instant
    Column("cutoff", Date, nullable=False),  # features known at it, outcomes after it
    Column("parent", Integer, nullable=True),  # the active version it was retrained from
    Column("card", Text, nullable=False),  # canonical JSON: the scorecard
    Column("evaluation", Text, nullable=False),  # canonical JSON: AUC, KS, baseline...
    Column("dry_run", Text, nullable=True),  # canonical JSON: who would move, by how much
    Column("activated_at", DateTime, nullable=True),
    Column("audit_seq", BigInteger, nullable=False),  # the entry of its training
)

# records that arrived without an identifier, with a subject hint (ledger/hinted.py): kept
# as reported, counted by no engine; entity resolution (resolution/) sets what matching
# found: `review` (a reviewer decides), `linked` (the record appended to `records` under
# `subject`, with its link record) or `rejected` (a reviewer found no match)
hinted_records = Table(
    "hinted_records",
    metadata,
    Column("id", String(32), primary_key=True),  # record_id(provider, ref), kept when linked
    Column("provider", String(80), nullable=False),
    Column("ref", String(200), nullable=False),
    Column("category", String(80), nullable=False),
    Column("occurred_at", Date, nullable=False),
    Column("reported_at", Date),
    Column("recorded_at", DateTime, nullable=False),
    Column("attributes", Text, nullable=False),
    Column("legal_basis", Text),
    Column("hint", Text, nullable=False),  # canonical JSON: name, birth_date, address, ...
    Column("content_hash", String(64), nullable=False),
    Column("status", String(12), nullable=False),  # unlinked | review | linked | rejected
    Column("subject", String(18)),  # the best candidate (review) or the linked person
    Column("probability", Float),
    Column("model", String(48)),  # the match model version that scored it
    Column("resolved_at", DateTime),
    Column("reviewed_by", String(200)),
    Index("ix_hinted_records_status", "status"),
)

# match model versions of entity resolution: the splink settings with the m and u
# probabilities estimated on the registry, each version in the audit chain
match_models = Table(
    "match_models",
    metadata,
    Column("id", String(48), primary_key=True),  # MM-<yyyymmddHHMMSS>-<8 hex of the model>
    Column("created_at", DateTime, nullable=False),
    Column("persons", BigInteger, nullable=False),  # registry persons it was trained on
    Column("hinted", BigInteger, nullable=False),  # hinted records it was trained on
    Column("model", Text, nullable=False),  # canonical JSON: the splink model
    Column("audit_seq", BigInteger, nullable=False),
)

# database objects the migrations make that SQLAlchemy cannot declare: the FTS5 table
# (and its shadow tables, all named search_fts*), the trigram indexes, and on
# PostgreSQL the ledger's partitions, its key table and the indexes only the
# partitioned ledger has (store/partitions.py)
NATIVE_PREFIXES = (
    "search_fts",
    "ix_search_trgm_",
    "records_p",
    "records_default",
    "record_keys",
    "ix_records_id",
    "ix_records_recorded",
)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """For schema comparison: leave out the objects declared only in the migrations,
    and the uniqueness of ``records.id``, which the partitioned PostgreSQL ledger
    keeps in ``record_keys`` instead."""
    if (
        type_ == "unique_constraint"
        and getattr(getattr(obj, "table", None), "name", "") == "records"
    ):
        return False
    return not (name or "").startswith(NATIVE_PREFIXES)
