"""`import_wilayah FILE` and `import_wilayah --official` (docs/interfaces.md)."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from cadres.models import Unit
from tests.factories import make_unit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def write_csv(path, rows):
    path = path.with_suffix(".csv")
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def write_xlsx(path, rows):
    path = path.with_suffix(".xlsx")
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


WRITERS = [pytest.param(write_csv, id="csv"), pytest.param(write_xlsx, id="xlsx")]


def run(*args):
    """(exit status, stdout lines, stderr lines) of the command run in-process."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import_wilayah", *[str(arg) for arg in args], stdout=stdout, stderr=stderr)
        status = 0
    except SystemExit as exit:
        status = exit.code
    return status, stdout.getvalue().splitlines(), stderr.getvalue().splitlines()


def all_units():
    return dict(Unit.objects.values_list("code", "name"))


@pytest.mark.parametrize("write", WRITERS)
def test_a_file_whose_children_come_before_their_parents_is_imported(db, tmp_path, write):
    make_unit("32.14", "Kabupaten Purwakarta")
    path = write(tmp_path / "wilayah", [
        ["kode", "nama"],
        ["32.14.01.2001.001.001", "RT 001"],
        ["32.14.01.2001.001", "RW 001"],
        ["32.14.01.2001", "Sukamaju"],
        ["32.14.01", "Purwakarta"],
    ])

    assert run(path) == (0, ["import_wilayah: 4 wilayah baru, 0 diperbarui, 0 tidak berubah."], [])

    rt = Unit.objects.get(code="32.14.01.2001.001.001")
    assert (rt.name, rt.parent_id) == ("RT 001", "32.14.01.2001.001")
    assert Unit.objects.get(code="32.14.01").parent_id == "32.14"
    assert Unit.objects.count() == 6


def test_a_whole_tree_from_the_provinsi_down_needs_nothing_in_the_database(db, tmp_path):
    path = write_csv(tmp_path / "wilayah", [["NAMA ", " Kode"], ["Purwakarta", "32.14"], ["Jawa Barat", "32"]])

    assert run(path)[0:2] == (0, ["import_wilayah: 2 wilayah baru, 0 diperbarui, 0 tidak berubah."])
    assert all_units() == {"32": "Jawa Barat", "32.14": "Purwakarta"}


def test_a_re_import_renames_and_counts_what_did_not_change(db, tmp_path):
    rows = [["kode", "nama"], ["32", "Jawa Barat"], ["32.14", "Purwakarta"], ["32.14.01", "Purwakarta"]]
    run(write_csv(tmp_path / "pertama", rows))
    rows[2][1] = "Kabupaten Purwakarta"

    assert run(write_xlsx(tmp_path / "kedua", rows)) == (
        0, ["import_wilayah: 0 wilayah baru, 1 diperbarui, 2 tidak berubah."], []
    )
    assert all_units() == {"32": "Jawa Barat", "32.14": "Kabupaten Purwakarta", "32.14.01": "Purwakarta"}


@pytest.mark.parametrize("write", WRITERS)
def test_a_file_with_bad_rows_changes_nothing_and_names_every_bad_row_and_column(db, tmp_path, write):
    make_unit("32.14.01", "Purwakarta")
    before = all_units()
    path = write(tmp_path / "wilayah", [
        ["kode", "nama", "keterangan"],
        ["32.14.01.2001", "Sukamaju", ""],        # fine on its own
        ["32.14.01.201", "Salah Lebar", ""],      # desa segment of 3 digits
        ["32.14.09.2001", "Tanpa Induk", ""],     # 32.14.09 neither in the file nor in the database
        ["32.14.01.2002", "", ""],                # no name
        ["32.14.01.2001", "Sukamaju Lagi", ""],   # same code as row 2
        ["", "Tanpa Kode", ""],
        [],                                       # blank: skipped
        ["32.14.01", "Nama Baru", "x"],           # a valid rename, not written either
    ])

    status, stdout, stderr = run(path)

    assert (status, stdout) == (1, [])
    assert stderr == [
        "baris 1, kolom keterangan: kolom tidak dikenal",
        "baris 3, kolom kode: kode wilayah 32.14.01.201 tidak sah (segmen 2.2.2.4.3.3 angka, misalnya 32.14.01.2001.003.002)",
        "baris 4, kolom kode: induk 32.14.09 tidak ada, baik di berkas maupun di basis data",
        "baris 5, kolom nama: wajib diisi",
        "baris 6, kolom kode: kode 32.14.01.2001 ganda (sudah ada di baris 2)",
        "baris 7, kolom kode: wajib diisi",
    ]
    assert all_units() == before


def test_a_parent_with_a_bad_name_is_still_a_parent_so_only_its_row_is_reported(db, tmp_path):
    path = write_csv(tmp_path / "wilayah", [["kode", "nama"], ["32", ""], ["32.14", "Purwakarta"]])

    assert run(path) == (1, [], ["baris 2, kolom nama: wajib diisi"])
    assert Unit.objects.count() == 0


def test_a_missing_column_is_reported_on_row_1(db, tmp_path):
    path = write_csv(tmp_path / "wilayah", [["kode"], ["32"]])

    assert run(path) == (1, [], ["baris 1, kolom nama: kolom wajib tidak ada"])
    assert Unit.objects.count() == 0


def test_a_name_longer_than_the_model_allows_is_refused(db, tmp_path):
    path = write_csv(tmp_path / "wilayah", [["kode", "nama"], ["32", "x" * 121]])

    assert run(path) == (1, [], ["baris 2, kolom nama: paling banyak 120 karakter (berisi 121)"])


@pytest.mark.parametrize("name, data", [("contoh.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), ("acak.xlsx", bytes(range(256)))])
def test_a_file_that_is_not_a_spreadsheet_gets_one_line(db, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)

    assert run(path) == (1, [], [f"berkas {path} bukan spreadsheet .xlsx atau .csv yang dapat dibaca"])
    assert Unit.objects.count() == 0


def test_a_missing_file_gets_one_line(db, tmp_path):
    assert run(tmp_path / "tidak-ada.xlsx") == (1, [], [f"berkas {tmp_path / 'tidak-ada.xlsx'} tidak ditemukan"])


def test_it_needs_a_file_or_official_but_not_both(db, tmp_path):
    line = "import_wilayah: berikan BERKAS atau --official KODE_KABUPATEN (salah satu saja)"

    assert run() == (1, [], [line])
    assert run(tmp_path / "a.csv", "--official", "32.14") == (1, [], [line])


def test_the_real_command_prints_one_line_on_stderr_and_exits_1_for_garbage(tmp_path):
    # Fails before touching the database, so the subprocess never sees the real one.
    path = tmp_path / "contoh.pdf"
    path.write_bytes(b"%PDF-1.4\n\x00\x01\x02 garbage")

    result = subprocess.run(
        [sys.executable, "manage.py", "import_wilayah", str(path)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )

    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"berkas {path} bukan spreadsheet .xlsx atau .csv yang dapat dibaca\n"


def test_official_loads_a_kabupaten_and_prints_a_summary(db):
    status, stdout, stderr = run("--official", "32.14")

    assert (status, stderr) == (0, [])
    assert stdout == ["import_wilayah --official 32.14: Kabupaten Purwakarta, 211 wilayah baru atau diperbarui."]
    assert Unit.objects.count() == 211
    assert run("--official", "32.14")[1] == [
        "import_wilayah --official 32.14: Kabupaten Purwakarta, 0 wilayah baru atau diperbarui."
    ]


def test_official_refuses_a_code_that_is_not_a_kabupaten(db):
    assert run("--official", "32.99") == (
        1, [], ["import_wilayah: kode 32.99 bukan kabupaten/kota dalam daftar resmi Kemendagri"]
    )
    assert Unit.objects.count() == 0
