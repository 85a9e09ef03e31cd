"""Random YAML into the pack loader: every refusal is a coded PolicyError naming the
problem, never another exception."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcredit.errors import SocialCreditError
from socialcredit.policy.pack import PACKS_DIR, load_pack_files, read_pack_files

NATIONAL = read_pack_files(PACKS_DIR / "national")
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=10), st.integers()), inner, max_size=4),
    ),
    max_leaves=20,
)
FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load(files: dict[str, str]) -> None:
    """Load the pack; a refusal must be a coded error with its problems listed."""
    try:
        load_pack_files(files, Path("fuzzed"))
    except SocialCreditError as exc:
        assert exc.code and isinstance(exc.code, str)
        assert str(exc)


def mutate(data: Any, path: list[int], value: Any) -> Any:
    """Replace the node ``path`` leads to (each step picks a child by index) with ``value``."""
    if not path or not isinstance(data, dict | list) or not data:
        return value
    keys = list(data) if isinstance(data, dict) else list(range(len(data)))
    key = keys[path[0] % len(keys)]
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[key] = mutate(data[key], path[1:], value)
    return copy


@FUZZ
@given(file=st.sampled_from(sorted(NATIONAL)), value=VALUES)
def test_a_file_replaced_by_random_yaml_is_refused_with_a_code(file: str, value: Any) -> None:
    load({**NATIONAL, file: yaml.safe_dump(value, allow_unicode=True)})


@FUZZ
@given(
    file=st.sampled_from(sorted(NATIONAL)),
    path=st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=6),
    value=VALUES,
)
def test_a_random_value_anywhere_in_a_real_pack_is_refused_with_a_code(
    file: str, path: list[int], value: Any
) -> None:
    data = yaml.safe_load(NATIONAL[file])
    load({**NATIONAL, file: yaml.safe_dump(mutate(data, path, value), allow_unicode=True)})


@FUZZ
@given(file=st.sampled_from(sorted(NATIONAL)), text=st.text(max_size=200))
def test_random_text_is_refused_with_a_code(file: str, text: str) -> None:
    load({**NATIONAL, file: text})


def test_the_shipped_pack_still_loads() -> None:
    assert load_pack_files(NATIONAL, PACKS_DIR / "national").meta.name == "national"


def test_keys_of_mixed_types_are_named_not_a_crash() -> None:
    # found by the fuzzing above: sorting the unexpected keys {0, ''} raised TypeError
    for file in ("measures.yaml", "scoring.yaml", "remedies.yaml"):
        try:
            load_pack_files({**NATIONAL, file: "0: 1\n'': 2\n"}, Path("fuzzed"))
        except SocialCreditError as exc:
            assert exc.code == "invalid_policy"
            assert file in str(getattr(exc, "problems", exc))
        else:
            raise AssertionError(f"{file} with stray keys loaded")
