"""The shared reader of every import file (docs/interfaces.md).

A file is an `.xlsx` (first sheet) or a `.csv` (UTF-8, comma) whose first row names the columns.
An import declares its columns as `{name: parser}`, reads parsed rows with `read_rows`, adds its
own checks (balance, duplicates, unknown units) to the same `Problems`, and calls
`problems.raise_if_any()` before writing anything. Every problem becomes one line
`baris 7, kolom iud_swasta: harus bilangan bulat ≥ 0`; a file that is not a spreadsheet at all
raises `FileProblem` with one line.

The cell parsers (`count`, `date`, `period`, …) live in `cadres.imports.cells` and are re-exported here,
so that an import declares its columns with `tabular.count` and the like.
"""

import csv
import warnings
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from cadres.imports.cells import (  # noqa: F401  (re-exported: imports write tabular.count, …)
    INT_MAX, CellError, Parser, choice, count, date, digits, optional, period, text, unit_code, year,
)

_NOT_A_SPREADSHEET = "berkas {} bukan spreadsheet .xlsx atau .csv yang dapat dibaca"


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
