"""Every import, fuzzed: random cells, wrong types, huge numbers, odd Unicode, formulas, missing
and unknown columns, csv or xlsx. Whatever the file, an import either succeeds with one summary
line, or writes nothing and names every problem by row and column (or the file, in one line).
Never a traceback.
"""

import csv
import re
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadres.indicators import COUNT_FIELDS, METHODS
from cadres.models import Couple, CoupleStatus, Unit
from reports.models import MonthlyReport, PpmTarget
from tests import fuzz_stats

RT = "32.14.01.2001.001.001"

# For each import: its columns and a row that is valid in the `tree` fixture.
IMPORTS = {
    "import_wilayah": {"kode": "32.14.01.2001.001.009", "nama": "RT 009"},
    "import_reports": {"kode_rt": RT, "periode": "2020-11", "pus": "1", "hamil": "1",
                       **{field: "0" for field in COUNT_FIELDS if field not in ("pus", "hamil")}},
    "import_pus": {"kode_rt": RT, "nama_istri": "Siti", "tanggal_lahir_istri": "1990-05-01", "nama_suami": "Asep",
                   "jumlah_anak": "2", "status": "pil", "tempat": "swasta", "sejak": "2020-01-15",
                   "nik": "3214014101900001"},
    "import_targets": {"kode": "32.14.01", "tahun": "2020", **{method: "3" for method in METHODS}},
}
MODELS = (Unit, MonthlyReport, PpmTarget, Couple, CoupleStatus)
ROW_LINE = re.compile(r"^baris \d+, kolom [^:]+: \S.*$")
ODD = ["", " ", "-1", "1.5", "1e3", "abc", "=1+1", "=SUM(A1:A3)", "99999999999999999999", "２", "٣", "0x10",
       "NaN", "2020-02-30", "30/11/2020", "2020-13", "32.14", "32.14.01.2001.001.001.001", "ⓢⓘⓣⓘ", "🙂",
       "<script>alert(1)</script>", "'; DROP TABLE cadres_unit; --", "\u202eabc", "1" * 400, "true", "None"]

cells = st.one_of(
    st.sampled_from(ODD),
    st.integers(min_value=-(2**40), max_value=2**40).map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
)


@st.composite
def tables(draw, name):
    """A header (maybe missing or gaining a column, in any order) and rows of mostly valid cells."""
    valid = IMPORTS[name]
    columns = draw(st.permutations(list(valid)))
    if draw(st.booleans()) and len(columns) > 1:
        columns = columns[: draw(st.integers(1, len(columns) - 1))] + columns[len(columns):]
    if draw(st.integers(0, 9)) == 0:
        columns = columns + ["kolom_asing"]
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        rows.append([valid.get(column, "x") if draw(st.integers(0, 3)) else draw(cells) for column in columns])
    return columns, rows


def write(path: Path, columns, rows):
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as file:
            csv.writer(file).writerows([columns, *rows])
        return
    workbook = openpyxl.Workbook()
    for row in [columns, *rows]:
        workbook.active.append(row)
    workbook.save(path)


def run(name, path):
    out, err = StringIO(), StringIO()
    try:
        call_command(name, str(path), stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue().splitlines(), err.getvalue().splitlines()


def counts():
    return [model.objects.count() for model in MODELS]


@pytest.mark.parametrize("name", sorted(IMPORTS))
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_any_file_is_imported_whole_or_refused_whole(tree, tmp_path, name, suffix):
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(tables(name))
    def check(table):
        fuzz_stats.generated_inputs += 1
        path = tmp_path / f"berkas{suffix}"
        write(path, *table)
        before = counts()
        status, out, err = run(name, path)
        if status == 0:
            assert len(out) == 1 and out[0].startswith(f"{name}") and err == []
        else:
            assert status == 1 and err, "a refusal says why"
            assert counts() == before, "a refused file writes nothing"
            assert len(err) == 1 or all(ROW_LINE.match(line) for line in err), err

    check()


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_an_empty_sheet_and_garbage_get_one_line(tree, tmp_path, name):
    empty = tmp_path / "kosong.xlsx"
    openpyxl.Workbook().save(empty)
    garbage = tmp_path / "bukan.xlsx"
    garbage.write_bytes(b"PK\x03\x04 bukan zip sama sekali")
    for path in (empty, garbage, tmp_path / "tidak-ada.csv"):
        status, out, err = run(name, path)
        assert (status, out, len(err)) == (1, [], 1), (path.name, err)


def big_file(name):
    """10,000 valid rows of each import (and the units they need), as (columns, rows)."""
    valid = IMPORTS[name]
    columns = list(valid)
    if name == "import_wilayah":
        rows = [[f"32.14.01.2001.{rw:03d}", f"RW {rw:03d}"] for rw in range(2, 13)]
        rows += [[f"32.14.01.2001.{2 + i // 999:03d}.{1 + i % 999:03d}", "RT"] for i in range(10_000 - len(rows))]
        return columns, rows
    if name == "import_reports":
        rts = ["32.14.01.2001.001.001", "32.14.01.2001.001.002", "32.14.01.2002.001.001", "32.14.02.2001.001.001",
               "32.15.01.2001.001.001"]
        return columns, [[rts[i % 5], f"{1900 + i // 5 // 12}-{1 + i // 5 % 12:02d}", *list(valid.values())[2:]]
                         for i in range(10_000)]
    if name == "import_targets":
        Unit.objects.bulk_create([Unit(code=f"32.14.01.2001.001.{i:03d}", name="RT", parent_id="32.14.01.2001.001")
                                  for i in range(3, 53)])
        return columns, [[f"32.14.01.2001.001.{3 + i % 50:03d}", str(1900 + i // 50), *list(valid.values())[2:]]
                         for i in range(10_000)]
    return columns, [list(valid.values())] * 10_000


# The cell the last row gets wrong: a formula where a number or date belongs, or a bad code.
BAD_CELL = {"import_wilayah": ("kode", "32.14.01.2001.1"), "import_reports": ("pus", "=1/0"),
            "import_pus": ("tanggal_lahir_istri", "=1/0"), "import_targets": ("tahun", "=1/0")}


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_ten_thousand_good_rows_and_one_bad_one_at_the_end_write_nothing(tree, tmp_path, name):
    columns, rows = big_file(name)
    column, value = BAD_CELL[name]
    bad = list(rows[-1])
    bad[columns.index(column)] = value
    if name == "import_reports":
        bad[columns.index("periode")] = "2100-12"  # not a repeat of the row before
    path = tmp_path / "besar.csv"
    write(path, columns, [*rows, bad])
    before = counts()

    status, out, err = run(name, path)

    assert (status, out, counts()) == (1, [], before)
    assert len(err) == 1 and err[0].startswith(f"baris 10002, kolom {column}: "), err
