"""Subjects' identifiers, validated with python-stdnum.

* Persons carry a resident identity number (GB 11643-1999): 6-digit area code
  (GB/T 2260), birth date, sequence, ISO 7064 MOD 11-2 check character.
* Enterprises and institutions carry a Unified Social Credit Code
  (GB 32100-2015): registering department, entity type, area code,
  organisation code, mod-31 check character.

An identifier names a subject; it says nothing else the platform may use.
The digits' meaning (the area of first household registration, the date of
birth, the sex) is read for outcome monitoring only, by
:mod:`socialcredit.monitoring.demographics`; where a subject is comes from its
residence or registration records (:mod:`socialcredit.engine.scope`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

from socialcredit.errors import SocialCreditError

SubjectKind = Literal["person", "enterprise", "institution"]
SUBJECT_KINDS: tuple[SubjectKind, ...] = ("person", "enterprise", "institution")

# GB 32100-2015 table 1: registering department (first character). Codes issued by
# industry-and-commerce (9) and agriculture (N, rural collective economic
# organisations) are enterprises; the others register public bodies and social
# organisations.
_ENTERPRISE_DEPARTMENTS = frozenset("9N")


class InvalidIdentifier(SocialCreditError):
    code = "invalid_identifier"
    status = 400


@dataclass(frozen=True, slots=True)
class Identifier:
    """A validated identifier: its compact form and the kind of subject it names."""

    value: str
    kind: SubjectKind


@lru_cache(maxsize=4096)
def area_name(area: str) -> str | None:
    """Name of a GB/T 2260 area code ('山东省 荣成市'), or None if unknown."""
    parts = numdb.get("cn/loc").info(area)
    names: list[str] = []
    for _, props in parts:
        for key in ("province", "county"):
            if key in props:
                value = props[key].split(",")[-1]
                names.append(value.split("]")[-1])
    return " ".join(names) or None


@lru_cache(maxsize=65536)
def _uscc_area_known(area: str) -> bool:

    parts = numdb.get("cn/loc").info(area)
    return any("province" in props for _, props in parts)


@lru_cache(maxsize=1 << 20)
def parse(value: str, field: str = "subject") -> Identifier:
    """Validate an identifier and tell what kind of subject it names.

    Raises :class:`InvalidIdentifier` naming ``field`` when it is neither a
    valid resident identity number nor a valid Unified Social Credit Code.
    """
    if not isinstance(value, str) or not value:
        raise InvalidIdentifier(f"{field}: an identifier is required", field=field)
    compact = value.strip().upper()
    if len(compact) != 18:
        raise InvalidIdentifier(f"{field}: {value!r} is not 18 characters long", field=field)
    ric_error: str | None = None
    if compact[:17].isdigit() and (compact[17].isdigit() or compact[17] == "X"):
        try:
            _validate_ric(compact)
        except ValidationError as exc:
            ric_error = (
                f"{field}: {value!r} is not a valid resident identity number (GB 11643): {exc}"
            )
        else:
            return Identifier(compact, "person")
    if _is_uscc(compact):
        area = compact[2:8]
        if _uscc_area_known(area):
            kind: SubjectKind = (
                "enterprise" if compact[0] in _ENTERPRISE_DEPARTMENTS else "institution"
            )
            return Identifier(compact, kind)
        if ric_error is None:
            raise InvalidIdentifier(
                f"{field}: {value!r} carries an unknown area code {area} (GB/T 2260)",
                field=field,
            )
    raise InvalidIdentifier(
        ric_error
        or f"{field}: {value!r} is neither a valid resident identity number (GB 11643) "
        "nor a valid Unified Social Credit Code (GB 32100)",
        field=field,
    )


def _validate_ric(number: str) -> None:
    """ric.validate, with the birth-place look-up cached per (area, birth year)."""
    if number[-1] != ric.calc_check_digit(number):
        raise InvalidChecksum()
    birth = _birth_date(number[6:14])
    _check_birth_place(number[:6], birth.year)


@lru_cache(maxsize=65536)
def _birth_date(digits: str) -> dt.date:
    # stdnum reads the date from digits 7-14 only; a population shares some
    # 40,000 dates of birth, so each is parsed once
    return ric.get_birth_date(f"000000{digits}0000")


@lru_cache(maxsize=65536)
def _check_birth_place(area: str, year: int) -> None:
    # the place look-up reads only the area code and the year of birth; a code that
    # names a province or city but no county is not a place of birth
    try:
        ric.get_birth_place(f"{area}{year:04d}01010000")
    except KeyError as exc:
        raise InvalidComponent() from exc


def _is_uscc(compact: str) -> bool:
    try:
        uscc.validate(compact)
    except ValidationError:
        return False
    return True


def is_valid(value: str) -> bool:
    try:
        parse(value)
    except InvalidIdentifier:
        return False
    return True


def mask(value: str) -> str:
    """Mask an identifier for public display: keep area and check, hide the rest."""
    if len(value) != 18:
        return "*" * len(value)
    return value[:6] + "*" * 8 + value[14:]
