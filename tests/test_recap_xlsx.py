"""rekap.xlsx: the children table with a totals row, method × place, and the raw RT reports;
numbers as numbers and percentages as fractions with a percent format."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from cadres.indicators import COUNT_FIELDS
from cadres.models import Role, Unit
from reports.models import ReportStatus
from reports.numbers.exports.xlsx import PERCENT, recap_xlsx
from tests.factories import make_unit, make_user
from tests.report_factories import bulk_reports, bulk_rts, make_report
from tests.test_recap import BIG_RT, DESA, karangan_putih  # noqa: F401 (a fixture)

NOV = datetime.date(2020, 11, 1)


@pytest.fixture
def workbook(karangan_putih):  # noqa: F811
    Unit.objects.filter(code=DESA + ".001").update(name="RW 001")
    make_report(DESA + ".002.005", "2020-11", status=ReportStatus.DRAFT, pus=4)  # not counted
    return load_workbook(io.BytesIO(recap_xlsx(Unit.objects.get(code=DESA), NOV)))


def values(sheet, row):
    return [cell.value for cell in sheet[row]]


def test_it_has_four_sheets(workbook):
    assert workbook.sheetnames == ["Rekap", "Metode x Tempat", "Kegiatan PPKBD", "Laporan RT"]


def test_the_recap_sheet_names_the_unit_and_the_month(workbook):
    sheet = workbook["Rekap"]
    assert sheet["A1"].value == "Rekapitulasi peserta KB — Desa Karangan Putih (32.14.01.2001)"
    assert sheet["A2"].value == "Bulan: November 2020 · sumber: laporan bulanan RT"


def test_the_recap_sheet_has_the_children_and_a_totals_row(workbook):
    sheet = workbook["Rekap"]
    assert values(sheet, 4) == [
        "Kode", "Wilayah", "PUS", "PA", "CPR", "MKJP", "% MKJP", "Non-MKJP", "% non-MKJP", "Unmet need",
        "% unmet need", "PB bulan ini", "PB s.d. bulan ini", "Target PPM", "% target PPM", "Laporan masuk",
        "Laporan diharapkan", "% cakupan laporan",
    ]
    assert values(sheet, 5) == [
        DESA + ".001", "RW 001", 322, 275, 0.854, 24, 0.0873, 251, 0.9127, 27, 0.0839, 3, 49, None, None, 3, 3, 1,
    ]
    assert values(sheet, 6)[:4] == [DESA + ".002", "RW Wilayah 32.14.01.2001.002", 48, 45]
    assert values(sheet, 7) == [
        DESA, "Jumlah", 370, 320, 0.8649, 28, 0.0875, 292, 0.9125, 28, 0.0757, 5, 51, 60, 0.85, 7, 8, 0.875,
    ]
    assert sheet.max_row == 7


def test_numbers_are_numbers_and_percentages_have_a_percent_format(workbook):
    totals = workbook["Rekap"][7]
    pus, pa, cpr, mkjp_pct, non_mkjp_pct = totals[2], totals[3], totals[4], totals[6], totals[8]
    assert isinstance(pus.value, int) and isinstance(pa.value, int)
    assert (pus.value, pa.value) == (370, 320)
    assert mkjp_pct.value == 0.0875 and mkjp_pct.number_format == PERCENT == "0.00%"
    assert non_mkjp_pct.value == 0.9125 and non_mkjp_pct.number_format == "0.00%"
    assert cpr.value == 0.8649 and cpr.number_format == "0.00%"
    assert pus.number_format == "#,##0"


def test_the_method_sheet_has_method_by_place_and_pb_against_ppm(workbook):
    sheet = workbook["Metode x Tempat"]
    assert values(sheet, 4) == [
        "Metode", "Pemerintah", "Swasta", "Jumlah PA", "% dari PA", "PB bulan ini", "PB s.d. bulan ini",
        "Target PPM", "Sisa target", "% target PPM", "Ganti cara ke (bulan ini)",
    ]
    assert values(sheet, 5) == ["IUD", 6, 3, 9, 0.0281, 1, 9, 12, 3, 0.75, 1]
    assert values(sheet, 9) == ["Suntik", 140, 50, 190, 0.5938, 1, 19, 20, 1, 0.95, 1]
    assert values(sheet, 12) == ["Jumlah", 250, 70, 320, 1, 5, 51, 60, 9, 0.85, 4]
    assert sheet["E12"].number_format == "0.00%"
    assert [values(sheet, row)[:2] for row in range(14, 20)] == [
        ["Bukan peserta KB", "Jumlah"], ["Hamil", 10], ["IAS (ingin anak segera)", 12],
        ["IAT (ingin anak ditunda)", 16], ["TIAL (tidak ingin anak lagi)", 12], ["Unmet need (IAT + TIAL)", 28],
    ]
    assert sheet["C19"].value == 0.0757 and sheet["C19"].number_format == "0.00%"
    assert [values(sheet, row)[:2] for row in range(21, 29)] == [
        ["MKJP baru bulan ini (PB MKJP + ganti cara ke MKJP)", 6], ["PB MKJP", 3], ["Ganti cara ke MKJP", 3],
        ["PB pasca persalinan/keguguran", 1], ["Drop-out bulan ini (register)", 0],
        ["Drop-out ke IAS (register)", 0], ["Drop-out ke IAT (register)", 0], ["Drop-out ke TIAL (register)", 0],
    ]


def test_the_rt_sheet_has_one_row_per_counted_report_with_the_import_columns(workbook):
    sheet = workbook["Laporan RT"]
    assert values(sheet, 1) == ["kode_rt", "periode", "status", *COUNT_FIELDS]
    rows = [values(sheet, row) for row in range(2, sheet.max_row + 1)]
    assert [row[0] for row in rows] == [
        BIG_RT, DESA + ".001.002", DESA + ".001.003", DESA + ".002.001", DESA + ".002.002", DESA + ".002.003",
        DESA + ".002.004",
    ]
    assert rows[0][:5] == [BIG_RT, "2020-11", "Diverifikasi", 300, 5]
    assert sum(row[3] for row in rows) == 370


def test_an_rt_workbook_has_only_the_totals_row(karangan_putih):  # noqa: F811
    sheet = load_workbook(io.BytesIO(recap_xlsx(Unit.objects.get(code=BIG_RT), NOV)))["Rekap"]
    assert sheet.max_row == 5
    assert values(sheet, 5)[:4] == [BIG_RT, "Jumlah", 300, 255]


def test_a_kabupaten_workbook_streams_its_rt_reports_in_a_constant_number_of_queries(db, django_assert_num_queries):
    make_unit("32.14", "Kabupaten Purwakarta")
    rts = bulk_rts("32.14", 2, 4, 2, 5)
    bulk_reports(rts, "2020-11", pus=10, pil_pemerintah=6, iat=4)
    kabupaten = Unit.objects.get(code="32.14")
    # The recap (3), the roll-up again for method × place (2), the register's drop-outs (1),
    # "Kegiatan PPKBD" (2: the desa reports' sums, the institutions by kind), the RT reports (1).
    with django_assert_num_queries(9):
        content = recap_xlsx(kabupaten, NOV)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert len(list(workbook["Laporan RT"].iter_rows(min_row=2))) == 80
    totals = list(workbook["Rekap"].iter_rows(min_row=7, max_row=7, values_only=True))[0]
    assert totals[:5] == ("32.14", "Jumlah", 800, 480, 0.6)


def test_the_download_is_an_attachment_with_a_sensible_name(client, karangan_putih):  # noqa: F811
    client.force_login(make_user("opd", Role.OPD, "32.14"))
    response = client.get(f"/wilayah/{DESA}/2020-11/rekap.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="rekap-32.14.01.2001-2020-11.xlsx"'
    assert load_workbook(io.BytesIO(response.content))["Rekap"]["C7"].value == 370


def test_the_download_is_404_outside_the_scope(client, karangan_putih):  # noqa: F811
    make_unit("32.15")
    client.force_login(make_user("opd", Role.OPD, "32.15"))
    assert client.get(f"/wilayah/{DESA}/2020-11/rekap.xlsx").status_code == 404
