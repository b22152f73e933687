"""The cell parsers of the import files: each takes a raw cell (None when empty, a trimmed string,
or an xlsx int/float/datetime/bool) and returns the value, or raises `CellError` with the reason
in Indonesian, without row or column (the reader in `cadres.imports.tabular` adds those).
`optional(parser)` lets a cell be empty.
"""

import datetime
import re
from collections.abc import Callable, Collection

from cadres import codes
from cadres.periods import parse_period

INT_MAX = 2_147_483_647  # a 32-bit signed integer column
_DIGITS_RE = re.compile(r"[0-9]+")
_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_CODE_EXAMPLE = "32.14.01.2001.003.002"

Parser = Callable[[object], object]


class CellError(ValueError):
    """Raised by a parser; the message says why, in Indonesian, without row or column."""


def optional(parse: Parser) -> Parser:
    """The parser, except that an empty cell gives None."""

    def parse_optional(value):
        return None if value is None else parse(value)

    return parse_optional


def count(value) -> int:
    """A required whole number ≥ 0 (a count of couples, a target)."""
    # The common cell first: a few ASCII digits of a CSV (nine digits never pass INT_MAX).
    if type(value) is str and len(value) <= 9 and value.isascii() and value.isdigit():
        return int(value)
    return _whole_number(value, "harus bilangan bulat ≥ 0")


def year(value) -> int:
    number = _whole_number(value, "harus tahun berbentuk YYYY")
    if not 1900 <= number <= 2100:
        raise CellError("harus tahun berbentuk YYYY antara 1900 dan 2100")
    return number


def date(value) -> datetime.date:
    """A date `YYYY-MM-DD`, or an xlsx date cell."""
    _require(value)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE_RE.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise CellError(f"harus tanggal berbentuk YYYY-MM-DD, bukan {_shown(value)}")
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(f"tanggal {value} tidak ada di kalender") from None


def period(value) -> datetime.date:
    """A month `YYYY-MM` (as its first day), or an xlsx date cell taken as its month."""
    _require(value)
    if isinstance(value, datetime.date):  # also a datetime
        value = f"{value.year:04d}-{value.month:02d}"
    text = _as_text(value)
    try:
        return parse_period(text)
    except ValueError:
        raise CellError(f"harus bulan berbentuk YYYY-MM (misalnya 2020-11), bukan {_shown(value)}") from None


def text(max_length: int) -> Parser:
    """A required text of at most `max_length` characters."""

    def parse_text(value) -> str:
        result = _as_text(_require(value))
        if len(result) > max_length:
            raise CellError(f"paling banyak {max_length} karakter (berisi {len(result)})")
        return result

    return parse_text


def choice(keys: Collection[str]) -> Parser:
    """One of `keys`, compared in lower case."""
    keys = tuple(keys)

    def parse_choice(value) -> str:
        key = _as_text(_require(value)).lower()
        if key not in keys:
            raise CellError(f"{_shown(value)} tidak dikenal; pilih salah satu: {', '.join(keys)}")
        return key

    return parse_choice


def unit_code(level: str | None = None) -> Parser:
    """A well-formed wilayah code (docs/interfaces.md), of the given level if one is given.

    Whether the unit exists is the import's check: it can ask the database once for all rows.
    """

    def parse_code(value) -> str:
        code = _as_text(_require(value))
        if not codes.is_valid_code(code):
            hint = "; ketik kode sebagai teks, bukan angka" if isinstance(value, float) else ""
            raise CellError(
                f"kode wilayah {code} tidak sah (segmen 2.2.2.4.3.3 angka, misalnya {_CODE_EXAMPLE}{hint})"
            )
        if level and codes.level_of(code) != level:
            example = _CODE_EXAMPLE[: codes.CODE_LENGTHS[level]]
            raise CellError(f"kode {code} bukan kode {_level_name(level)} (misalnya {example})")
        return code

    return parse_code


def digits(length: int) -> Parser:
    """Exactly `length` digits kept as text (e.g. a 16-digit NIK)."""

    def parse_digits(value) -> str:
        _require(value)
        if isinstance(value, float):
            # Excel keeps 15 significant digits: a long number typed as a number is already wrong.
            raise CellError(f"harus {length} angka yang diketik sebagai teks, bukan sebagai bilangan")
        result = _as_text(value)
        if len(result) != length or not _DIGITS_RE.fullmatch(result):
            raise CellError(f"harus tepat {length} angka")
        return result

    return parse_digits


def _require(value):
    if value is None:
        raise CellError("wajib diisi")
    return value


def _whole_number(value, message: str) -> int:
    _require(value)
    if isinstance(value, bool):
        raise CellError(message)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():  # xlsx stores every number as a float
        number = int(value)
    elif isinstance(value, str) and _DIGITS_RE.fullmatch(value):
        # Checked before int(): Python refuses to convert strings of thousands of digits.
        number = int(value) if len(value.lstrip("0")) <= 10 else INT_MAX + 1
    else:
        raise CellError(message)
    if number < 0:
        raise CellError(message)
    if number > INT_MAX:
        raise CellError(f"terlalu besar (paling banyak {INT_MAX:,})".replace(",", "."))
    return number


def _as_text(value) -> str:
    """A cell as text: xlsx numbers without a spurious `.0`, dates as YYYY-MM-DD."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _shown(value) -> str:
    return f'"{_as_text(value)}"'


def _level_name(level: str) -> str:
    return level.upper() if level in ("rw", "rt") else level
