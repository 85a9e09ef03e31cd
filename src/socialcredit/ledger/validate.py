"""Checking one incoming record, in memory, before anything is written.

The checks run in a fixed order and the first failure decides the code:
``malformed`` → ``invalid_identifier`` → ``unknown_provider`` →
``unknown_category`` → ``unauthorised_category`` → ``schema_violation`` →
``future_date``. A record without ``subject`` carries a ``subject_hint`` instead, and
only in a category the catalogue marks ``hinted`` (else ``hint_not_allowed``, checked
after ``unauthorised_category``); it is about a person, matched later by
:mod:`socialcredit.resolution`. Checks that need the ledger (``conflict``,
``unknown_reference``) happen in :mod:`socialcredit.ledger.ingest`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from socialcredit.errors import (
    FutureDate,
    HintNotAllowed,
    InvalidRecordIdentifier,
    MalformedRecord,
    ProviderMismatch,
    SchemaViolation,
    UnauthorisedCategory,
    UnknownCategory,
    UnknownProvider,
    UnknownReference,
)
from socialcredit.identifiers import Identifier, InvalidIdentifier, parse
from socialcredit.ledger.record import Record, RecordIn, record_id
from socialcredit.policy.catalogue import Catalogue
from socialcredit.store.content import canonical_json, content_hash

# the validator itself: model_validate's wrapper costs a call per record
_RECORD_IN = RecordIn.__pydantic_validator__.validate_python


def _first_error(exc: ValidationError, prefix: str = "") -> tuple[str, str]:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    field = f"{prefix}{loc}" if loc else prefix.rstrip(".") or "record"
    return field, f"{field}: {err['msg']}"


class Validator:
    """Validates raw records against the catalogue and the providers' authorisations."""

    def __init__(
        self,
        catalogue: Catalogue,
        authorised: Mapping[str, frozenset[str]],
        today: dt.date,
        provider: str | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.authorised = authorised
        self.today = today
        self.provider = provider
        self._models: dict[str, type[BaseModel]] = {}
        self._id_attrs: dict[str, tuple[str, ...]] = {}

    def validate(self, raw: dict[str, Any]) -> Record:
        if self.provider is not None:
            given = raw.get("provider")
            if given is None:
                raw = {**raw, "provider": self.provider}
            elif given != self.provider:
                raise ProviderMismatch(
                    f"provider: the file is from {self.provider}, the record names {given!r}",
                    field="provider",
                )
        try:
            rec = _RECORD_IN(raw)
        except ValidationError as exc:
            field, message = _first_error(exc)
            raise MalformedRecord(message, field=field) from None

        ident: Identifier | None = None
        if rec.subject is not None:
            try:
                ident = parse(rec.subject)
            except InvalidIdentifier as exc:
                raise InvalidRecordIdentifier(exc.message, field="subject") from None

        allowed = self.authorised.get(rec.provider)
        if allowed is None:
            raise UnknownProvider(
                f"provider: {rec.provider!r} is not a registered provider",
                field="provider",
            )
        if rec.category not in self.catalogue:
            raise UnknownCategory(
                f"category: {rec.category!r} is not in the catalogue",
                field="category",
            )
        if rec.category not in allowed:
            raise UnauthorisedCategory(
                f"category: provider {rec.provider} is not authorised to report {rec.category}",
                field="category",
            )
        category = self.catalogue[rec.category]
        hint: str | None = None
        if ident is None:
            hint = _hinted(rec, category.hinted, category.subjects)
        elif rec.subject_hint is not None:
            raise HintNotAllowed(
                "subject_hint: a record names its subject or gives a hint, not both",
                field="subject_hint",
            )
        elif ident.kind not in category.subjects:
            raise SchemaViolation(
                f"subject: {rec.category} is about a {' or '.join(category.subjects)}, "
                f"{rec.subject} is a {ident.kind}",
                field="subject",
            )
        if hint is not None and (rec.supersedes is not None or rec.withdrawn):
            raise HintNotAllowed(
                "supersedes: a record without a subject cannot correct or withdraw one; "
                "correct it once it is linked",
                field="supersedes",
            )
        if rec.withdrawn:
            if rec.supersedes is None:
                raise MalformedRecord(
                    "supersedes: a withdrawal must name the record it withdraws",
                    field="supersedes",
                )
            attributes: dict[str, Any] = {}
        else:
            model = self._model(rec.category)
            try:
                parsed = model.__pydantic_validator__.validate_python(rec.attributes)
            except ValidationError as exc:
                field, message = _first_error(exc, "attributes.")
                raise SchemaViolation(message, field=field) from None
            attributes = parsed.model_dump(mode="json", exclude_none=True)

        if rec.occurred_at > self.today:
            raise FutureDate(
                f"occurred_at: {rec.occurred_at} is in the future",
                field="occurred_at",
            )
        if rec.reported_at is not None:
            if rec.reported_at > self.today:
                raise FutureDate(
                    f"reported_at: {rec.reported_at} is in the future",
                    field="reported_at",
                )
            if rec.reported_at < rec.occurred_at:
                raise SchemaViolation(
                    "reported_at: reported before it occurred",
                    field="reported_at",
                )

        attrs_text = canonical_json(attributes)
        links = tuple(
            (name, attributes[name])
            for name in self._identifier_attrs(rec.category)
            if name in attributes
        )
        rid = record_id(rec.provider, rec.ref)
        supersedes = record_id(rec.provider, rec.supersedes) if rec.supersedes else None
        if supersedes == rid:
            raise UnknownReference(
                "supersedes: a record cannot supersede itself",
                field="supersedes",
            )
        subject = ident.value if ident is not None else ""
        digest = content_hash(
            provider=rec.provider,
            ref=rec.ref,
            subject=subject if hint is None else hint,
            category=rec.category,
            occurred_at=rec.occurred_at,
            reported_at=rec.reported_at,
            attributes=attrs_text,
            legal_basis=rec.legal_basis,
            supersedes=supersedes,
            withdrawn=rec.withdrawn,
        )
        return Record(
            id=rid,
            provider=rec.provider,
            ref=rec.ref,
            subject=subject,
            subject_kind=ident.kind if ident is not None else "person",
            category=rec.category,
            occurred_at=rec.occurred_at,
            reported_at=rec.reported_at,
            attributes=attrs_text,
            legal_basis=rec.legal_basis,
            supersedes=supersedes,
            withdrawn=rec.withdrawn,
            content_hash=digest,
            links=links,
            hint=hint,
        )

    def _identifier_attrs(self, category: str) -> tuple[str, ...]:
        names = self._id_attrs.get(category)
        if names is None:
            spec = self.catalogue[category].attributes
            names = tuple(sorted(n for n, a in spec.items() if a.type == "identifier"))
            self._id_attrs[category] = names
        return names

    def _model(self, category: str) -> type[BaseModel]:
        model = self._models.get(category)
        if model is None:
            model = self._models[category] = self.catalogue[category].attributes_model
        return model


def _hinted(rec: RecordIn, allowed: bool, kinds: tuple[str, ...]) -> str:
    """The canonical hint of a record without subject, or why it is refused."""
    if rec.subject_hint is None:
        raise MalformedRecord(
            "subject: a record names its subject (or, where the catalogue allows, gives a "
            "subject_hint)",
            field="subject",
        )
    if not allowed or "person" not in kinds:
        raise HintNotAllowed(
            f"subject_hint: {rec.category} must name its subject by identifier; the "
            "catalogue does not let it arrive with a hint",
            field="subject_hint",
        )
    return canonical_json(rec.subject_hint.model_dump(mode="json", exclude_none=True))
