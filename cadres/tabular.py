"""The shared reader of every import file (CONTRACT §3 and §4).

A file is an `.xlsx` (first sheet) or a `.csv` (UTF-8, comma) whose first row names the columns.
An import declares its columns as `{name: parser}`, reads parsed rows with `read_rows`, adds its
own checks (balance, duplicates, unknown units) to the same `Problems`, and calls
`problems.raise_if_any()` before writing anything. Every problem becomes one line
`baris 7, kolom iud_swasta: harus bilangan bulat ≥ 0`; a file that is not a spreadsheet at all
raises `FileProblem` with one line.

Parsers take a raw cell (None when empty, a trimmed string, or an xlsx int/float/datetime/bool)
and return the value or raise `CellError` with the reason; `optional(parser)` lets a cell be empty.
"""

import csv
import datetime
import re
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from cadres import codes
from reports.periods import parse_period

INT_MAX = 2_147_483_647  # a 32-bit signed integer column
_DIGITS_RE = re.compile(r"[0-9]+")
_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_CODE_EXAMPLE = "32.14.01.2001.003.002"
_NOT_A_SPREADSHEET = "berkas {} bukan spreadsheet .xlsx atau .csv yang dapat dibaca"

Parser = Callable[[object], object]


class ImportRefused(Exception):
    """An import that writes nothing; `lines` are what the command prints to standard error."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


class FileProblem(ImportRefused):
    """The whole file is unusable (missing, not a spreadsheet, no header): one line."""

    def __init__(self, message: str):
        super().__init__([message])


class RowProblems(ImportRefused):
    """One or more rows (or the header, row 1) are bad: one line per problem."""


class CellError(ValueError):
    """Raised by a parser; the message says why, in Indonesian, without row or column."""


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self):
        return f"baris {self.row}, kolom {self.column}: {self.message}"


class Problems:
    """Collects every problem of every row; `lines()` gives them in row order."""

    def __init__(self):
        self._problems: list[Problem] = []

    def add(self, row: int, column: str, message: str) -> None:
        self._problems.append(Problem(row, column, message))

    def __len__(self):
        return len(self._problems)

    def lines(self) -> list[str]:
        # Stable: problems of one row keep the order they were found in (the columns' order).
        return [str(problem) for problem in sorted(self._problems, key=lambda problem: problem.row)]

    def raise_if_any(self) -> None:
        if self._problems:
            raise RowProblems(self.lines())


@dataclass
class Row:
    """A data row: its number as the spreadsheet shows it, and its parsed values.

    `values` holds every declared column whose cell parsed (None for an absent optional column);
    `ok` is False when any declared column is missing from `values`, so that cross-column checks
    (e.g. the balance) run only on complete rows.
    """

    number: int
    values: dict[str, object]
    ok: bool


def read_rows(
    path, columns: dict[str, Parser], problems: Problems, *, optional_columns: Collection[str] = ()
) -> Iterator[Row]:
    """Parsed data rows of the file, skipping blank rows; cell and header problems go to `problems`.

    Raises FileProblem (possibly part-way, e.g. on bad UTF-8 further down a CSV).
    """
    path = Path(path)
    sheet = _sheet_rows(path)
    header = next(sheet, None)
    positions = _read_header(path, header, columns, optional_columns, problems)
    named = {index for index, cell in enumerate(header) if _header_name(cell)}
    # Cells are parsed left to right as the file shows them, so a row's problems read that way.
    order = sorted(columns, key=lambda name: (positions.get(name) is None, positions.get(name) or 0))
    for number, cells in enumerate(sheet, start=2):
        cells = [_clean(cell) for cell in cells]
        if all(cell is None for cell in cells):
            continue
        row = _parse_row(number, cells, order, columns, positions, problems)
        for index, cell in enumerate(cells):
            if cell is not None and index not in named:
                problems.add(number, get_column_letter(index + 1), "ada isi di kolom tanpa nama di baris 1")
        yield row


def _parse_row(number, cells, order, columns, positions, problems) -> Row:
    values, ok = {}, True
    for name in order:
        if name not in positions:  # a required column missing from the header
            ok = False
            continue
        index = positions[name]
        if index is None:  # an optional column absent from the file
            values[name] = None
            continue
        try:
            values[name] = columns[name](cells[index] if index < len(cells) else None)
        except CellError as error:
            problems.add(number, name, str(error))
            ok = False
    return Row(number, values, ok)


def _read_header(path, header, columns, optional_columns, problems) -> dict[str, int | None]:
    """Column name → position: None for an absent optional column; an absent required one is left out."""
    if header is None or not any(_header_name(cell) for cell in header):
        raise FileProblem(f"berkas {path} tidak memiliki nama kolom di baris 1")
    positions, seen = {}, set()
    for index, cell in enumerate(header):
        name = _header_name(cell)
        if not name:
            continue
        if name in seen:
            problems.add(1, name, "kolom ganda (nama kolom ini muncul lebih dari sekali)")
        elif name not in columns:
            problems.add(1, name, "kolom tidak dikenal")
        else:
            positions[name] = index
        seen.add(name)
    for name in columns:
        if name not in positions:
            if name in optional_columns:
                positions[name] = None
            else:
                problems.add(1, name, "kolom wajib tidak ada")
    return positions


def _header_name(cell) -> str:
    return "" if cell is None else str(cell).strip().lower()


def _clean(cell):
    if isinstance(cell, str):
        cell = cell.strip()
        return cell or None
    return cell


def _sheet_rows(path: Path) -> Iterator[tuple]:
    """The raw rows of the file, header first, after deciding what kind of file it is."""
    try:
        with path.open("rb") as file:
            head = file.read(8192)
    except FileNotFoundError:
        raise FileProblem(f"berkas {path} tidak ditemukan") from None
    except IsADirectoryError:
        raise FileProblem(f"{path} adalah folder, bukan berkas") from None
    except OSError:
        raise FileProblem(f"berkas {path} tidak dapat dibuka") from None
    if not head:
        raise FileProblem(f"berkas {path} kosong")
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_rows(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(f"berkas {path} berformat .xls lama; simpan sebagai .xlsx atau .csv")
    if path.suffix.lower() in (".xlsx", ".xlsm") or b"\x00" in head or head.startswith(b"%PDF"):
        raise FileProblem(_NOT_A_SPREADSHEET.format(path))
    return _csv_rows(path)


def _xlsx_rows(path: Path) -> Iterator[tuple]:
    # openpyxl warns on stderr about styles and odd cells; the import prints its own lines.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # A file object, not the path: openpyxl would refuse an xlsx named `.csv` by its extension.
        with path.open("rb") as file:
            yield from _workbook_rows(path, file)


def _workbook_rows(path: Path, file) -> Iterator[tuple]:
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception:  # a broken zip or XML can fail in many ways; all mean "unreadable"
        raise FileProblem(_NOT_A_SPREADSHEET.format(path)) from None
    try:
        if not workbook.worksheets:
            raise FileProblem(f"berkas {path} tidak memiliki lembar kerja")
        sheet = workbook.worksheets[0]
        # The stored dimension may be wrong (some tools write A1): read every row there is.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    except FileProblem:
        raise
    except Exception:
        raise FileProblem(_NOT_A_SPREADSHEET.format(path)) from None
    finally:
        workbook.close()


def _csv_rows(path: Path) -> Iterator[list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            for number, cells in enumerate(csv.reader(file), start=1):
                if number == 1 and len(cells) == 1 and ";" in cells[0]:  # Excel's export in Indonesia
                    raise FileProblem(
                        f"berkas {path} memakai pemisah titik koma (;); simpan CSV berpemisah koma"
                    )
                yield cells
    except UnicodeDecodeError:
        raise FileProblem(f"berkas {path} bukan teks UTF-8; simpan sebagai CSV UTF-8 atau .xlsx") from None
    except csv.Error:
        raise FileProblem(_NOT_A_SPREADSHEET.format(path)) from None


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Lists of at most `size` items, in order (itertools.batched arrives in Python 3.12): an import
    checks and writes thousands of rows a chunk at a time, within SQLite's query parameter limit."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def optional(parse: Parser) -> Parser:
    """The parser, except that an empty cell gives None."""

    def parse_optional(value):
        return None if value is None else parse(value)

    return parse_optional


def count(value) -> int:
    """A required whole number ≥ 0 (a count of couples, a target)."""
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
    """A well-formed wilayah code (CONTRACT §1), of the given level if one is given.

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
