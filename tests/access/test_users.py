"""Portal accounts: argon2 hashes, one answer for every failed login, coded refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from socialcredit.access.users import (
    InvalidAccount,
    LoginFailed,
    authenticate,
    create_user,
    list_users,
)
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log, users

from support.factories import person_id


def test_an_account_is_stored_with_an_argon2_hash_and_logs_in(store: Store) -> None:
    created = create_user(
        store, "zhang", "Zhang Wei", "subject", "s3cret-pass", subject=person_id()
    )
    with store.reader() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
        events = conn.execute(select(audit_log.c.payload)).scalars().all()
    assert stored.startswith("$argon2id$") and "s3cret-pass" not in stored
    assert not any("s3cret-pass" in str(e) for e in events)
    account = authenticate(store, "zhang", "s3cret-pass")
    assert account == created and account.subject == person_id()
    assert [a.id for a in list_users(store)] == ["zhang"]


def test_a_wrong_password_and_an_unknown_account_answer_alike(store: Store) -> None:
    create_user(store, "li", "Li", "reviewer", "right-password")
    with pytest.raises(LoginFailed) as wrong:
        authenticate(store, "li", "wrong-password")
    with pytest.raises(LoginFailed) as unknown:
        authenticate(store, "nobody", "wrong-password")
    assert str(wrong.value) == str(unknown.value)
    assert wrong.value.code == "login_failed" and wrong.value.status == 401


@pytest.mark.parametrize(
    ("user_id", "role", "password", "kwargs", "field"),
    [
        ("Bad Id", "reviewer", "password1", {}, "id"),
        ("ok", "emperor", "password1", {}, "role"),
        ("ok", "reviewer", "short", {}, "password"),
        ("ok", "subject", "password1", {}, "subject"),
        ("ok", "auditor", "password1", {"subject": "110101199003074477"}, "subject"),
        ("ok", "agency", "password1", {}, "agency"),
        ("ok", "subject", "password1", {"subject": "110101199003074478"}, "subject"),
    ],
)
def test_a_bad_account_is_refused_with_the_field_and_nothing_stored(
    store: Store, user_id: str, role: str, password: str, kwargs: dict[str, str], field: str
) -> None:
    with pytest.raises(Exception) as err:
        create_user(store, user_id, "Name", role, password, **kwargs)
    assert getattr(err.value, "field", None) == field
    assert getattr(err.value, "code", None) in {"invalid_account", "invalid_identifier"}
    assert list_users(store) == []


def test_an_account_id_is_taken_once(store: Store) -> None:
    create_user(store, "li", "Li", "reviewer", "password1")
    with pytest.raises(InvalidAccount):
        create_user(store, "li", "Li Two", "auditor", "password2")
    assert authenticate(store, "li", "password1").role == "reviewer"


def test_a_reviewer_may_name_their_own_person_for_recusal(store: Store) -> None:
    me = person_id(seq=44)
    account = create_user(store, "li", "Li", "reviewer", "password1", subject=me)
    assert account.subject == me and authenticate(store, "li", "password1").subject == me
