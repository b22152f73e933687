"""The shared file reader of the imports: file kinds, header, rows, cell parsers, problem lines."""

import csv
import datetime
import re
import zipfile

import openpyxl
import pytest

from cadres.imports import tabular

COLUMNS = {"kode": tabular.unit_code(), "jumlah": tabular.count, "catatan": tabular.optional(tabular.text(10))}


def write_csv(path, rows, *, bom=False):
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def write_xlsx(path, rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def read(path, columns=COLUMNS, optional_columns=("catatan",)):
    problems = tabular.Problems()
    rows = list(tabular.read_rows(path, columns, problems, optional_columns=optional_columns))
    return rows, problems.lines()


# --- files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True])
def test_it_reads_a_csv_with_or_without_bom(tmp_path, bom):
    path = write_csv(tmp_path / "a.csv", [["kode", "jumlah", "catatan"], ["32.14", " 12 ", ""]], bom=bom)

    rows, lines = read(path)

    assert lines == []
    assert [(row.number, row.values, row.ok) for row in rows] == [
        (2, {"kode": "32.14", "jumlah": 12, "catatan": None}, True)
    ]


def test_it_reads_the_first_sheet_of_an_xlsx_with_its_cell_types(tmp_path):
    path = tmp_path / "a.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["kode", "jumlah", "tanggal", "periode"])
    workbook.active.append(["32.14", 12.0, datetime.datetime(2020, 11, 23), datetime.datetime(2020, 11, 1)])
    workbook.create_sheet("lain").append(["bukan", "ini"])
    workbook.save(path)
    columns = {"kode": tabular.unit_code(), "jumlah": tabular.count, "tanggal": tabular.date, "periode": tabular.period}

    rows, lines = read(path, columns)

    assert lines == []
    assert rows[0].values == {
        "kode": "32.14", "jumlah": 12, "tanggal": datetime.date(2020, 11, 23), "periode": datetime.date(2020, 11, 1),
    }


def test_an_xlsx_is_recognised_by_its_content_whatever_its_name(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["kode", "jumlah"], ["32", 1]])
    renamed = path.rename(tmp_path / "data.csv")

    rows, lines = read(renamed)

    assert [row.values["kode"] for row in rows] == ["32"]


def test_rows_keep_the_numbers_the_spreadsheet_shows_and_blank_rows_are_skipped(tmp_path):
    path = tmp_path / "a.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B1"] = "kode", "jumlah"
    sheet["A3"], sheet["B3"] = "32", 1
    sheet["A4"] = "   "  # only spaces: blank
    sheet["A6"], sheet["B6"] = "33", -1
    workbook.save(path)

    rows, lines = read(path)

    assert [row.number for row in rows] == [3, 6]
    assert lines == ["baris 6, kolom jumlah: harus bilangan bulat ≥ 0"]


def test_blank_csv_rows_are_skipped_but_still_counted(tmp_path):
    path = write_csv(tmp_path / "a.csv", [["kode", "jumlah"], ["", ""], [], ["32", "x"]])

    rows, lines = read(path)

    assert [row.number for row in rows] == [4]
    assert lines == ["baris 4, kolom jumlah: harus bilangan bulat ≥ 0"]


def test_an_xlsx_with_a_wrong_stored_dimension_is_read_entirely(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["kode", "jumlah"], ["32", 1], ["33", 2]])
    rewritten = tmp_path / "b.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
                assert b'<dimension ref="A1"' in data
            target.writestr(item, data)

    rows, lines = read(rewritten)

    assert [row.values["kode"] for row in rows] == ["32", "33"]


def write_bytes(path, data):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name, data",
    [
        ("contoh.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"),
        ("acak.csv", bytes(range(256)) * 4),
        ("rusak.xlsx", b"PK\x03\x04 this is not really a zip"),
        ("teks.xlsx", b"kode,jumlah\n32,1\n"),
        ("latin1.csv", "kode,jumlah\nCiamis é,1\n".encode("latin-1")),
        ("utf16.csv", "kode,jumlah\n32,1\n".encode("utf-16")),
    ],
)
def test_what_is_not_a_readable_spreadsheet_is_one_file_problem(tmp_path, name, data):
    path = write_bytes(tmp_path / name, data)

    with pytest.raises(tabular.FileProblem) as refused:
        read(path)

    assert len(refused.value.lines) == 1
    assert refused.value.lines[0].startswith(f"berkas {path} ")


def test_file_problems_say_what_is_wrong(tmp_path):
    cases = {
        tmp_path / "tidak-ada.csv": "tidak ditemukan",
        write_bytes(tmp_path / "kosong.csv", b""): "kosong",
        write_bytes(tmp_path / "judul-kosong.csv", b",,\n32,1\n"): "tidak memiliki nama kolom di baris 1",
        write_xlsx(tmp_path / "kosong.xlsx", []): "tidak memiliki nama kolom di baris 1",
        write_bytes(tmp_path / "lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)): ".xls lama",
        write_bytes(tmp_path / "titik-koma.csv", b"kode;jumlah\n32;1\n"): "titik koma",
        write_bytes(tmp_path / "latin1.csv", "kode,jumlah\n32,1\n33,é\n".encode("latin-1")): "bukan teks UTF-8",
        tmp_path: "adalah folder",
    }
    for path, reason in cases.items():
        with pytest.raises(tabular.FileProblem) as refused:
            read(path)
        assert reason in refused.value.lines[0], path


# --- header ----------------------------------------------------------------------------------


def test_column_names_are_trimmed_and_compared_in_lower_case_in_any_order(tmp_path):
    path = write_csv(tmp_path / "a.csv", [[" Jumlah ", "KODE"], ["3", "32"]])

    rows, lines = read(path)

    assert lines == []
    assert rows[0].values == {"kode": "32", "jumlah": 3, "catatan": None}


def test_header_problems_are_reported_on_row_1_and_rows_are_still_checked(tmp_path):
    path = write_csv(tmp_path / "a.csv", [["kode", "foo", "kode", "Foo"], ["32", "x", "33", "y"], ["3.2", "", "", ""]])

    rows, lines = read(path)

    assert lines == [
        "baris 1, kolom foo: kolom tidak dikenal",
        "baris 1, kolom kode: kolom ganda (nama kolom ini muncul lebih dari sekali)",
        "baris 1, kolom foo: kolom ganda (nama kolom ini muncul lebih dari sekali)",
        "baris 1, kolom jumlah: kolom wajib tidak ada",
        "baris 3, kolom kode: kode wilayah 3.2 tidak sah (segmen 2.2.2.4.3.3 angka, misalnya 32.14.01.2001.003.002)",
    ]
    # The first `kode` column counts; a row lacking a required column is never `ok`.
    assert [(row.values, row.ok) for row in rows] == [({"kode": "32", "catatan": None}, False), ({"catatan": None}, False)]


def test_an_optional_column_may_be_absent_but_not_a_required_one(tmp_path):
    path = write_csv(tmp_path / "a.csv", [["kode", "jumlah"], ["32", "1"]])

    rows, lines = read(path)

    assert lines == []
    assert rows[0].values == {"kode": "32", "jumlah": 1, "catatan": None}
    assert read(path, optional_columns=())[1] == ["baris 1, kolom catatan: kolom wajib tidak ada"]


def test_a_value_under_a_column_without_a_name_is_a_problem(tmp_path):
    path = write_csv(tmp_path / "a.csv", [["kode", "jumlah", "catatan", ""], ["32", "1", "", ""], ["33", "2", "", "?"]])

    rows, lines = read(path)

    assert lines == ["baris 3, kolom D: ada isi di kolom tanpa nama di baris 1"]


def test_every_problem_of_every_row_is_kept_in_row_order(tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [["jumlah", "kode", "catatan"], ["-1", "3", "terlalu panjang"], ["1", "32", ""], ["", "", ""], ["1.5", "32", ""]],
    )
    problems = tabular.Problems()

    rows = list(tabular.read_rows(path, COLUMNS, problems, optional_columns={"catatan"}))
    problems.add(2, "kode", "ditambahkan oleh impor setelah membaca semua baris")

    assert [row.ok for row in rows] == [False, True, False]
    assert problems.lines() == [
        "baris 2, kolom jumlah: harus bilangan bulat ≥ 0",
        "baris 2, kolom kode: kode wilayah 3 tidak sah (segmen 2.2.2.4.3.3 angka, misalnya 32.14.01.2001.003.002)",
        "baris 2, kolom catatan: paling banyak 10 karakter (berisi 15)",
        "baris 2, kolom kode: ditambahkan oleh impor setelah membaca semua baris",
        "baris 5, kolom jumlah: harus bilangan bulat ≥ 0",
    ]
    with pytest.raises(tabular.RowProblems) as refused:
        problems.raise_if_any()
    assert refused.value.lines == problems.lines()


def test_no_problem_raises_nothing():
    tabular.Problems().raise_if_any()


# --- parsers ---------------------------------------------------------------------------------


def cell_error(parse, value):
    with pytest.raises(tabular.CellError) as error:
        parse(value)
    return str(error.value)


@pytest.mark.parametrize("value, expected", [(0, 0), (12, 12), ("12", 12), ("007", 7), (12.0, 12), (2147483647, 2147483647)])
def test_count_accepts_whole_numbers(value, expected):
    assert tabular.count(value) == expected


@pytest.mark.parametrize(
    "value, message",
    [
        (None, "wajib diisi"),
        (-1, "harus bilangan bulat ≥ 0"),
        ("-1", "harus bilangan bulat ≥ 0"),
        (1.5, "harus bilangan bulat ≥ 0"),
        ("1.5", "harus bilangan bulat ≥ 0"),
        ("12.0", "harus bilangan bulat ≥ 0"),
        ("1.234", "harus bilangan bulat ≥ 0"),
        ("abc", "harus bilangan bulat ≥ 0"),
        ("#DIV/0!", "harus bilangan bulat ≥ 0"),
        (True, "harus bilangan bulat ≥ 0"),
        (float("inf"), "harus bilangan bulat ≥ 0"),
        (float("nan"), "harus bilangan bulat ≥ 0"),
        (datetime.datetime(2020, 1, 1), "harus bilangan bulat ≥ 0"),
        (2147483648, "terlalu besar (paling banyak 2.147.483.647)"),
        (1e20, "terlalu besar (paling banyak 2.147.483.647)"),
        ("9" * 5000, "terlalu besar (paling banyak 2.147.483.647)"),
    ],
)
def test_count_refuses_what_is_not_a_whole_number_and_says_why(value, message):
    assert cell_error(tabular.count, value) == message


def test_an_xlsx_formula_without_a_stored_value_is_an_empty_required_cell(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["kode", "jumlah"], ["32", "=1+2"]])

    assert read(path)[1] == ["baris 2, kolom jumlah: wajib diisi"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2020-02-29", datetime.date(2020, 2, 29)),
        (datetime.datetime(2020, 11, 23, 0, 0), datetime.date(2020, 11, 23)),
        (datetime.date(2020, 11, 23), datetime.date(2020, 11, 23)),
    ],
)
def test_date_accepts_iso_dates_and_date_cells(value, expected):
    assert tabular.date(value) == expected


@pytest.mark.parametrize(
    "value, message",
    [
        (None, "wajib diisi"),
        ("2020-02-30", "tanggal 2020-02-30 tidak ada di kalender"),
        ("2021-02-29", "tanggal 2021-02-29 tidak ada di kalender"),
        ("23/11/2020", 'harus tanggal berbentuk YYYY-MM-DD, bukan "23/11/2020"'),
        ("2020-11-23T00:00", 'harus tanggal berbentuk YYYY-MM-DD, bukan "2020-11-23T00:00"'),
        (44158, 'harus tanggal berbentuk YYYY-MM-DD, bukan "44158"'),
    ],
)
def test_date_refuses_other_forms_and_impossible_dates(value, message):
    assert cell_error(tabular.date, value) == message


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2020-11", datetime.date(2020, 11, 1)),
        (datetime.datetime(2020, 11, 15), datetime.date(2020, 11, 1)),
        (datetime.date(2021, 1, 31), datetime.date(2021, 1, 1)),
    ],
)
def test_period_accepts_a_month_or_a_date_cell_as_its_month(value, expected):
    assert tabular.period(value) == expected


@pytest.mark.parametrize("value", ["2020-13", "2020/11", "11-2020", "2020-1", 202011])
def test_period_refuses_what_is_not_a_month(value):
    assert cell_error(tabular.period, value) == f'harus bulan berbentuk YYYY-MM (misalnya 2020-11), bukan "{value}"'


def test_year_accepts_yyyy_and_refuses_the_rest():
    assert [tabular.year(value) for value in (2020, "2020", 2020.0)] == [2020, 2020, 2020]
    assert cell_error(tabular.year, "20") == "harus tahun berbentuk YYYY antara 1900 dan 2100"
    assert cell_error(tabular.year, "2020-01") == "harus tahun berbentuk YYYY"
    assert cell_error(tabular.year, None) == "wajib diisi"


def test_choice_compares_in_lower_case_and_lists_the_keys():
    place = tabular.choice(["pemerintah", "swasta"])

    assert place("Swasta") == "swasta"
    assert cell_error(place, "bidan") == '"bidan" tidak dikenal; pilih salah satu: pemerintah, swasta'
    assert cell_error(place, None) == "wajib diisi"
    assert tabular.optional(place)(None) is None


def test_text_keeps_numbers_without_a_spurious_decimal_and_limits_the_length():
    name = tabular.text(5)

    assert [name("Siti"), name(12.0), name(7)] == ["Siti", "12", "7"]
    assert cell_error(name, "Kartini") == "paling banyak 5 karakter (berisi 7)"
    assert cell_error(name, None) == "wajib diisi"


def test_unit_code_checks_the_segment_widths_and_the_level():
    any_code, rt_code = tabular.unit_code(), tabular.unit_code("rt")

    assert any_code("32.14.01.2001") == "32.14.01.2001"
    assert any_code(32) == "32"
    assert rt_code("32.14.01.2001.003.002") == "32.14.01.2001.003.002"
    assert cell_error(any_code, "32.14.1") == (
        "kode wilayah 32.14.1 tidak sah (segmen 2.2.2.4.3.3 angka, misalnya 32.14.01.2001.003.002)"
    )
    assert cell_error(any_code, 32.1) == (
        "kode wilayah 32.1 tidak sah (segmen 2.2.2.4.3.3 angka, misalnya 32.14.01.2001.003.002; "
        "ketik kode sebagai teks, bukan angka)"
    )
    assert cell_error(rt_code, "32.14.01.2001") == "kode 32.14.01.2001 bukan kode RT (misalnya 32.14.01.2001.003.002)"
    assert cell_error(tabular.unit_code("desa"), "32.14") == "kode 32.14 bukan kode desa (misalnya 32.14.01.2001)"


def test_digits_keeps_leading_zeros_and_refuses_numbers_excel_has_rounded():
    nik = tabular.digits(16)

    assert nik("0214012345678901") == "0214012345678901"
    assert nik(3214012345678901) == "3214012345678901"
    assert cell_error(nik, "32140123") == "harus tepat 16 angka"
    assert cell_error(nik, 3.214012345678901e15) == "harus 16 angka yang diketik sebagai teks, bukan sebagai bilangan"


def test_a_zip_that_is_not_a_workbook_is_one_file_problem(tmp_path):
    path = tmp_path / "surat.docx"
    with zipfile.ZipFile(path, "w") as document:
        document.writestr("word/document.xml", "<w:document/>")

    with pytest.raises(tabular.FileProblem) as refused:
        read(path)

    assert refused.value.lines == [f"berkas {path} bukan spreadsheet .xlsx atau .csv yang dapat dibaca"]


def test_batched_gives_lists_of_at_most_the_size_in_order():
    assert list(tabular.batched(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(tabular.batched({"a": 1, "b": 2}, 2)) == [["a", "b"]]
    assert list(tabular.batched([], 3)) == []
