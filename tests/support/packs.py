"""Small packs for the engine tests: a test catalogue, a test scheme and rules as text,
loaded by the real pack loader; the subjects they score; instants in Beijing time."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

from socialcredit.engine.model import SubjectRef
from socialcredit.policy.pack import Pack, load_pack_files
from socialcredit.policy.policy_set import PolicySet

from support.factories import org_id, person_id

PERSON = SubjectRef(person_id(), "person")  # born in Rongcheng (area 371082)
OTHER = SubjectRef(person_id(area="110105", seq=7), "person")  # born in Beijing
ORG = SubjectRef(org_id(), "enterprise")

CATEGORIES = """
categories:
  test.offence:
    title: An offence
    domain: social
    severity: general
    subjects: [person, enterprise]
    case_key: case_no
    attributes:
      case_no: {type: string}
      amount: {type: number}
      count: {type: integer}
      level: {type: enum, values: [low, high]}
      flag: {type: boolean}
      sector: {type: string}
  test.related:
    title: Another record about the same case
    domain: judicial
    severity: serious
    subjects: [person, enterprise]
    case_key: case_no
    attributes:
      case_no: {type: string}
  test.cleared:
    title: The case is closed
    severity: neutral
    subjects: [person, enterprise]
    case_key: case_no
    attributes:
      case_no: {type: string}
  test.minor:
    title: A minor offence, no case number
    domain: commercial
    severity: minor
    subjects: [person, enterprise]
  test.food:
    title: A food offence
    domain: commercial
    severity: minor
    sector: food
    subjects: [person, enterprise]
  test.reward:
    title: A good deed
    domain: social
    severity: reward
    subjects: [person]
  registry.consent:
    title: Consent
    kind: registry
    subjects: [person]
    case_key: scheme
    attributes:
      scheme: {type: string}
      given: {type: boolean}
  registry.residence:
    title: Residence
    kind: registry
    subjects: [person]
    attributes:
      area: {type: string}
      since: {type: date}
      ended: {type: date}
  registry.person:
    title: Population registry
    kind: registry
    subjects: [person]
    attributes:
      birth_date: {type: date}
  registry.enterprise:
    title: Enterprise registration
    kind: registry
    subjects: [enterprise]
    attributes:
      area: {type: string}
  registry.legal_representative:
    title: Legal representative
    kind: registry
    subjects: [enterprise]
    attributes:
      person: {type: identifier, kinds: [person]}
      ended: {type: date}
  registry.controller:
    title: Controller
    kind: registry
    subjects: [enterprise]
    attributes:
      person: {type: identifier, kinds: [person]}
      ended: {type: date}
"""

SCHEME = """
schemes:
  s:
    title: Test scheme
    subjects: [person, enterprise]
    base: 100
    bands:
      - {grade: A, min: 90}
      - {grade: B, min: 70}
      - {grade: C, min: 40}
      - {grade: D}
"""

ONE_RULE = """
rules:
  - {id: r, scheme: s, category: test.offence, points: -10}
"""

VIA = """
rules:
  - {id: own, scheme: s, category: test.offence, points: -10}
  - {id: lr, scheme: s, category: test.offence, points: -20, via: legal_representative,
     ended_by: [test.cleared]}
  - {id: ctl, scheme: s, category: test.related, points: -5, via: controller}
"""


def make_pack(
    scoring: str,
    *,
    name: str = "test",
    jurisdiction: str = "national",
    categories: str = CATEGORIES,
) -> Pack:
    files = {
        "pack.yaml": f"name: {name}\nversion: '1'\ntitle: Test\njurisdiction: '{jurisdiction}'\n",
        "categories.yaml": categories,
        "scoring.yaml": textwrap.dedent(scoring),
    }
    return load_pack_files(files, Path(name))


def make_policy(rules: str, *, scheme: str = SCHEME, **kw: Any) -> PolicySet:
    """A one-pack policy: the test scheme (or ``scheme``) and these rules."""
    return PolicySet([make_pack(textwrap.dedent(scheme) + textwrap.dedent(rules), **kw)])


def instant(day: str, hour: int = 12) -> dt.datetime:
    """``hour`` o'clock in Beijing on ``day``, as a naive UTC datetime."""
    return dt.datetime.fromisoformat(day) + dt.timedelta(hours=hour - 8)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
