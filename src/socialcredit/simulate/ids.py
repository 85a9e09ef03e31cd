"""Identifiers computed column-wise with numpy, check characters included.

* Resident identity numbers (GB 11643-1999): area code, birth date,
  sequence (odd male, even female), ISO 7064 MOD 11-2 check character.
* Unified Social Credit Codes (GB 32100-2015): registering department,
  entity type, area code, organisation code (GB 11714: eight characters and
  a mod-11 check character), mod-31 check character.

Identifiers are kept as ``(n, 18)`` uint8 matrices of ASCII codes and turned
into Arrow strings without a Python loop.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]

RIC_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
RIC_CHECK = np.frombuffer(b"0123456789X", dtype=np.uint8)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_CHARS = np.frombuffer(USCC_ALPHABET.encode(), dtype=np.uint8)
USCC_WEIGHTS = np.array(
    (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28), dtype=np.int64
)
_USCC_INDEX = np.full(128, -1, dtype=np.int64)
_USCC_INDEX[USCC_CHARS] = np.arange(len(USCC_ALPHABET))

ORG_WEIGHTS = np.array((3, 7, 9, 10, 5, 8, 4, 2), dtype=np.int64)
_ORG_VALUE = np.full(128, -1, dtype=np.int64)
_ORG_VALUE[np.frombuffer(b"0123456789", dtype=np.uint8)] = np.arange(10)
_ORG_VALUE[np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)] = np.arange(10, 36)
_ORG_CHECK = np.frombuffer(b"0123456789X0", dtype=np.uint8)  # index: 11 - sum % 11

ZERO = ord("0")


def digits(values: npt.ArrayLike, width: int) -> U8:
    """ASCII digits of non-negative integers, zero-padded to ``width``: an (n, width) matrix."""
    v = np.asarray(values, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    out: U8 = ((v[:, None] // powers[None, :]) % 10 + ZERO).astype(np.uint8)
    return out


def ric_check(first17: U8) -> U8:
    """ISO 7064 MOD 11-2 check characters for (n, 17) ASCII digit matrices."""
    total = (first17.astype(np.int64) - ZERO) @ RIC_WEIGHTS
    out: U8 = RIC_CHECK[(12 - total % 11) % 11]
    return out


def ric(area: I64, ymd: I64, sequence: I64) -> U8:
    """Resident identity numbers as an (n, 18) ASCII matrix."""
    body = np.concatenate([digits(area, 6), digits(ymd, 8), digits(sequence, 3)], axis=1)
    return np.concatenate([body, ric_check(body)[:, None]], axis=1)


def uscc_check(first17: U8) -> U8:
    """GB 32100 mod-31 check characters for (n, 17) ASCII matrices."""
    values = _USCC_INDEX[first17]
    if (values < 0).any():
        raise ValueError("character outside the USCC alphabet")
    total = values @ USCC_WEIGHTS
    out: U8 = USCC_CHARS[(31 - total % 31) % 31]
    return out


def org_check(body8: U8) -> U8:
    """GB 11714 check characters for (n, 8) ASCII organisation code bodies."""
    total = _ORG_VALUE[body8] @ ORG_WEIGHTS
    out: U8 = _ORG_CHECK[11 - total % 11]
    return out


def org_bodies(counter: I64, modern: npt.NDArray[np.bool_]) -> U8:
    """Distinct eight-character organisation code bodies for distinct counters.

    Older codes are eight digits; codes issued since the 2015 reform start
    with ``MA`` followed by six characters of the USCC alphabet. Both come from
    an affine bijection of the counter, so distinct counters give distinct codes.
    """
    c = np.asarray(counter, dtype=np.int64)
    if len(c) and c.max() >= 10**7:
        raise ValueError("too many organisations for distinct organisation codes")
    unique = digits((c * 736_877 + 1_980_051) % 10**7, 7)
    # The third digit is 2-9: a digit-only code then never reads as a resident identity
    # number with a valid birth month (python-stdnum's area look-up fails on "11xxxx").
    third = (2 + c % 8 + ZERO).astype(np.uint8)[:, None]
    out = np.concatenate([unique[:, :2], third, unique[:, 2:]], axis=1)
    if modern.any():
        base = 31**6
        new = (c[modern] * 1_000_003 + 123_456_789) % base
        powers = 31 ** np.arange(5, -1, -1, dtype=np.int64)
        chars = USCC_CHARS[(new[:, None] // powers[None, :]) % 31]
        prefix = np.broadcast_to(np.frombuffer(b"MA", dtype=np.uint8), (len(new), 2))
        out[modern] = np.concatenate([prefix, chars], axis=1)
    return out


def uscc(department: bytes, entity_type: U8, area: I64, body8: U8) -> U8:
    """Unified Social Credit Codes as an (n, 18) ASCII matrix.

    ``entity_type`` is one ASCII code per row (e.g. ``ord('1')``).
    """
    n = len(area)
    dept = np.full((n, 1), department[0], dtype=np.uint8)
    org = np.concatenate([body8, org_check(body8)[:, None]], axis=1)
    first17 = np.concatenate(
        [dept, np.asarray(entity_type, dtype=np.uint8)[:, None], digits(area, 6), org], axis=1
    )
    return np.concatenate([first17, uscc_check(first17)[:, None]], axis=1)


def corrupt_check(matrix: U8, shift: npt.ArrayLike) -> U8:
    """A copy whose check characters are wrong for both identifier schemes.

    The replacement is a digit that is neither the GB 11643 nor the GB 32100
    check character of the row, so the result is invalid whatever way it is read.
    """
    out = matrix.copy()
    first17 = matrix[:, :17]
    in_range = (first17 >= ord("0")) & (first17 <= ord("9"))
    is_digits = np.asarray(in_range.all(axis=1), dtype=bool)
    avoid_ric = np.where(is_digits, ric_check(np.where(is_digits[:, None], first17, ZERO)), 0)
    avoid_uscc = uscc_check(first17)
    candidate = (np.asarray(shift, dtype=np.int64) % 10).astype(np.int64)
    for _ in range(3):
        char = (candidate + ZERO).astype(np.uint8)
        clash = (char == avoid_ric) | (char == avoid_uscc) | (char == matrix[:, 17])
        candidate = np.where(clash, (candidate + 1) % 10, candidate)
    out[:, 17] = (candidate + ZERO).astype(np.uint8)
    return out


def to_arrow(matrix: U8) -> pa.StringArray:
    """Fixed-width ASCII rows as an Arrow string array, without copying row by row."""
    rows, width = matrix.shape
    data = np.ascontiguousarray(matrix).reshape(-1)
    offsets = np.arange(0, rows * width + 1, width, dtype=np.int32)
    array = pa.Array.from_buffers(
        pa.string(), rows, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )
    assert isinstance(array, pa.StringArray)
    return array
