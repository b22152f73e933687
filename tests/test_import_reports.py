"""`import_reports FILE`: add or replace, all or nothing (docs/interfaces.md)."""

import datetime
import io
import subprocess
import sys

import pytest
from django.core.management import call_command

from cadres.indicators import COUNT_FIELDS, LATER_FIELDS
from cadres.models import Unit
from reports.models import MonthlyReport, ReportStatus
from reports.numbers.recap import recap_for
from tests.report_factories import balanced_counts, make_report
from tests.test_import_wilayah import PROJECT_ROOT, WRITERS, write_csv, write_xlsx

RT1, RT2, RT3 = "32.14.01.2001.001.001", "32.14.01.2001.001.002", "32.14.01.2002.001.001"
HEADER = ["kode_rt", "periode", *COUNT_FIELDS]
NOV, DEC = datetime.date(2020, 11, 1), datetime.date(2020, 12, 1)


def row(rt, period, **counts):
    full = balanced_counts(**counts)
    return [rt, period, *(full[field] for field in COUNT_FIELDS)]


def run(path):
    """(exit status, stdout lines, stderr lines) of the command run in-process."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import_reports", str(path), stdout=stdout, stderr=stderr)
        status = 0
    except SystemExit as exit:
        status = exit.code
    return status, stdout.getvalue().splitlines(), stderr.getvalue().splitlines()


def saved(rt, period):
    report = MonthlyReport.objects.get(rt_id=rt, period=period)
    return {field: value for field, value in report.counts().items() if value}


@pytest.mark.parametrize("write", WRITERS)
def test_it_adds_verified_reports_from_a_file(tree, tmp_path, write):
    path = write(tmp_path / "laporan", [
        HEADER,
        row(RT1, "2020-11", pus=30, suntik_pemerintah=20, pil_swasta=4, iat=3, ias=3, pb_suntik=2),
        row(RT2, "2020-11", pus=10, iud_swasta=4, hamil=6),
        row(RT1, "2020-12", pus=31, suntik_pemerintah=21, pil_swasta=4, iat=3, ias=3, pb_pil=1),
    ])

    assert run(path) == (0, ["import_reports: 3 laporan (3 baru, 0 diganti)."], [])

    assert saved(RT1, NOV) == {"pus": 30, "suntik_pemerintah": 20, "pil_swasta": 4, "iat": 3, "ias": 3, "pb_suntik": 2}
    assert saved(RT2, NOV) == {"pus": 10, "iud_swasta": 4, "hamil": 6}
    assert saved(RT1, DEC)["pb_pil"] == 1
    report = MonthlyReport.objects.get(rt_id=RT1, period=NOV)
    assert (report.status, report.version, report.submitted_by, report.verified_by) == (
        ReportStatus.VERIFIED, 1, None, None,
    )
    # Historical data: when it was sent is unknown, so it counts neither as on time nor as late.
    assert (report.submitted_at, report.verified_at) == (None, None)
    assert [(record.history_type, record.pus) for record in report.history.all()] == [("+", 30)]


def test_an_xlsx_month_may_be_a_date_cell(tree, tmp_path):
    path = write_xlsx(tmp_path / "laporan", [HEADER, row(RT1, datetime.datetime(2020, 11, 1), pus=5, pil_swasta=5)])

    assert run(path)[0:2] == (0, ["import_reports: 1 laporan (1 baru, 0 diganti)."])
    assert saved(RT1, NOV) == {"pus": 5, "pil_swasta": 5}


def test_a_re_import_replaces_the_report_bumps_its_version_and_keeps_its_history(tree, tmp_path):
    run(write_csv(tmp_path / "pertama", [HEADER, row(RT1, "2020-11", pus=30, suntik_pemerintah=30)]))
    make_report(RT2, "2020-11", status=ReportStatus.DRAFT, pus=9, pil_pemerintah=9)

    status, stdout, stderr = run(write_xlsx(tmp_path / "kedua", [
        HEADER,
        row(RT1, "2020-11", pus=32, suntik_pemerintah=28, hamil=4),
        row(RT2, "2020-11", pus=10, pil_pemerintah=10),
        row(RT3, "2020-11", pus=1, mow_pemerintah=1),
    ]))

    assert (status, stdout, stderr) == (0, ["import_reports: 3 laporan (1 baru, 2 diganti)."], [])
    assert MonthlyReport.objects.count() == 3
    assert saved(RT1, NOV) == {"pus": 32, "suntik_pemerintah": 28, "hamil": 4}
    report = MonthlyReport.objects.get(rt_id=RT1, period=NOV)
    assert report.version == 2
    assert [(record.history_type, record.version, record.pus) for record in report.history.order_by("history_id")] == [
        ("+", 1, 30), ("~", 2, 32),
    ]
    draft = MonthlyReport.objects.get(rt_id=RT2, period=NOV)
    assert (draft.status, draft.version, draft.pus) == (ReportStatus.VERIFIED, 2, 10)


def test_importing_the_same_file_twice_replaces_and_never_doubles(tree, tmp_path):
    path = write_csv(tmp_path / "laporan", [HEADER, row(RT1, "2020-11", pus=4, pil_swasta=4), row(RT2, "2020-11", pus=2)])
    run(path)

    assert run(path) == (0, ["import_reports: 2 laporan (0 baru, 2 diganti)."], [])
    assert list(MonthlyReport.objects.order_by("rt_id").values_list("rt_id", "pus", "version")) == [
        (RT1, 4, 2), (RT2, 2, 2),
    ]


def test_imported_reports_count_in_the_recap(tree, tmp_path):
    run(write_csv(tmp_path / "laporan", [
        HEADER,
        row(RT1, "2020-11", pus=30, suntik_pemerintah=20, iud_swasta=4, iat=3, ias=3, pb_suntik=2),
        row(RT2, "2020-11", pus=10, pil_swasta=8, tial=2),
    ]))

    recap = recap_for(Unit.objects.get(code="32.14.01.2001"), NOV)

    assert (recap["pus"], recap["pa"], recap["mkjp"], recap["unmet_need"], recap["pb"]) == (40, 32, 4, 5, 2)
    assert recap["reports"] == {"expected": 2, "received": 2}
    assert str(recap["pct"]["cpr"]) == "80.00"


def test_it_writes_in_bulk_not_row_by_row(tree, tmp_path, django_assert_max_num_queries):
    months = [f"2019-{month:02d}" for month in range(1, 13)] + [f"2020-{month:02d}" for month in range(1, 13)]
    path = write_csv(tmp_path / "laporan", [HEADER] + [
        row(rt, month, pus=5, pil_swasta=5) for rt in (RT1, RT2, RT3) for month in months
    ])
    make_report(RT1, "2020-11", pus=1)

    # 72 rows; SQLite puts ~20 reports in an INSERT (999 parameters), PostgreSQL all of them;
    # then the desa's monthly sums (5 queries) and the change added to the kabupaten's (2-3).
    with django_assert_max_num_queries(27):
        assert run(path)[1] == ["import_reports: 72 laporan (71 baru, 1 diganti)."]


@pytest.mark.parametrize("write", WRITERS)
def test_a_file_with_bad_rows_writes_nothing_and_names_every_bad_row_and_column(tree, tmp_path, write):
    make_report(RT3, "2020-10", pus=7, pil_pemerintah=7)
    negative = row(RT1, "2020-12", pus=5, pil_swasta=5)
    negative[HEADER.index("iud_swasta")] = -1
    not_a_number = row(RT2, "2020-12", pus=5, pil_swasta=5)
    not_a_number[HEADER.index("hamil")] = "dua"
    unbalanced = row(RT3, "2020-11", pus=370, suntik_pemerintah=300, pil_swasta=20, hamil=10, ias=12, iat=16, tial=12)
    unbalanced[HEADER.index("pil_swasta")] = 18
    empty = row(RT3, "2020-10", pus=7, pil_pemerintah=7)
    empty[HEADER.index("pb_pil")] = None
    bad_month = row(RT3, "2020-13", pus=1, ias=1)
    path = write(tmp_path / "laporan", [
        HEADER + ["catatan"],
        row(RT1, "2020-11", pus=10, pil_pemerintah=10) + ["baik"],
        negative,
        not_a_number,
        unbalanced,
        row("32.14.01.2001.009.001", "2020-11", pus=1, ias=1),
        row(RT1, "2020-11", pus=10, pil_pemerintah=10),
        empty,
        bad_month,
        row("32.14.01.2001", "2020-11", pus=1, ias=1),
    ])

    status, stdout, stderr = run(path)

    assert (status, stdout) == (1, [])
    assert stderr == [
        "baris 1, kolom catatan: kolom tidak dikenal",
        "baris 3, kolom iud_swasta: harus bilangan bulat ≥ 0",
        "baris 4, kolom hamil: harus bilangan bulat ≥ 0",
        "baris 5, kolom pus: jumlah tidak seimbang: PUS 370, tetapi PA + hamil + IAS + IAT + TIAL = 368 (kurang 2)",
        "baris 6, kolom kode_rt: RT 32.14.01.2001.009.001 tidak ada di basis data (impor wilayahnya dulu)",
        "baris 7, kolom kode_rt: RT 32.14.01.2001.001.001 periode 2020-11 ganda (sudah ada di baris 2)",
        "baris 8, kolom pb_pil: wajib diisi",
        'baris 9, kolom periode: harus bulan berbentuk YYYY-MM (misalnya 2020-11), bukan "2020-13"',
        "baris 10, kolom kode_rt: kode 32.14.01.2001 bukan kode RT (misalnya 32.14.01.2001.003.002)",
    ]
    assert list(MonthlyReport.objects.values_list("rt_id", "period", "pus")) == [(RT3, datetime.date(2020, 10, 1), 7)]


def test_every_missing_column_is_named_on_row_1(tree, tmp_path):
    header = [name for name in HEADER if name not in ("kondom_swasta", "pb_mop")]
    path = write_csv(tmp_path / "laporan", [header, [RT1, "2020-11"] + [0] * (len(header) - 2)])

    assert run(path) == (1, [], [
        "baris 1, kolom kondom_swasta: kolom wajib tidak ada",
        "baris 1, kolom pb_mop: kolom wajib tidak ada",
    ])


def test_a_file_that_is_not_a_spreadsheet_gets_one_line(tree, tmp_path):
    path = tmp_path / "laporan.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    assert run(path) == (1, [], [f"berkas {path} bukan spreadsheet .xlsx atau .csv yang dapat dibaca"])
    assert MonthlyReport.objects.count() == 0


def test_a_header_without_rows_imports_nothing(tree, tmp_path):
    assert run(write_csv(tmp_path / "laporan", [HEADER])) == (0, ["import_reports: 0 laporan (0 baru, 0 diganti)."], [])


def test_the_real_command_prints_one_line_on_stderr_and_exits_1_for_garbage(tmp_path):
    # Fails before touching the database, so the subprocess never sees the real one.
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.4\n\x00\x01\x02 garbage")

    result = subprocess.run(
        [sys.executable, "manage.py", "import_reports", str(path)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )

    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"berkas {path} bukan spreadsheet .xlsx atau .csv yang dapat dibaca\n"



def test_a_month_the_opd_closed_is_not_replaced(tree, tmp_path, personas):
    from reports.monthly.deadlines import on_time_counts, period_close

    make_report(RT1, "2020-11", pus=9, pil_swasta=9)
    period_close(kabupaten="32.14", period=NOV, by=personas["opd"].user)
    path = write_csv(tmp_path / "laporan", [HEADER, row(RT1, "2020-11", pus=5, pil_swasta=5),
                                             row(RT1, "2020-12", pus=5, pil_swasta=5)])

    status, out, err = run(path)

    assert (status, out) == (1, [])
    assert err == ["baris 2, kolom periode: periode 2020-11 sudah ditutup oleh OPD KB untuk 32.14: "
                   "laporannya tidak dapat diganti lagi"]
    assert saved(RT1, NOV) == {"pus": 9, "pil_swasta": 9}
    assert on_time_counts("32.14", NOV) == (0, 0, 1)  # the report made in this test was never "sent"


REQUIRED = [name for name in HEADER if name not in LATER_FIELDS]


@pytest.mark.parametrize("write", WRITERS)
def test_a_file_without_the_gc_and_pb_pasca_columns_counts_them_zero(tree, tmp_path, write):
    counts = balanced_counts(pus=30, implan_pemerintah=10, suntik_swasta=20, pb_implan=2)
    path = write(tmp_path / "laporan", [REQUIRED, [RT1, "2020-11", *(counts[name] for name in REQUIRED[2:])]])

    assert run(path) == (0, ["import_reports: 1 laporan (1 baru, 0 diganti)."], [])
    assert saved(RT1, NOV) == {"pus": 30, "implan_pemerintah": 10, "suntik_swasta": 20, "pb_implan": 2}


def test_the_gc_and_pb_pasca_columns_are_read_and_checked_like_the_others(tree, tmp_path):
    header = REQUIRED + ["pb_pasca", "gc_implan", "gc_iud"]  # any order, some of them only

    def line(rt, pasca, implan, iud, **counts):
        full = balanced_counts(**counts)
        return [rt, "2020-11", *(full[name] for name in REQUIRED[2:]), pasca, implan, iud]

    good = line(RT1, 1, 3, 1, pus=30, implan_pemerintah=10, suntik_swasta=20, pb_implan=2)
    path = write_csv(tmp_path / "laporan", [header, good])
    assert run(path)[0] == 0
    assert {name: value for name, value in saved(RT1, NOV).items() if name in LATER_FIELDS} == {
        "pb_pasca": 1, "gc_implan": 3, "gc_iud": 1,
    }
    recap = recap_for(Unit.objects.get(code=RT1), NOV)
    assert (recap["pb"], recap["pb_pasca"], recap["gc"], recap["gc_mkjp"]) == (2, 1, 4, 4)

    bad = write_csv(tmp_path / "salah", [
        header,
        line(RT2, 3, 0, 0, pus=5, pil_swasta=5, pb_pil=2),  # more PB pasca than PB
        line(RT3, 0, "", -1, pus=5, pil_swasta=5),  # an empty and a negative cell
    ])
    assert run(bad) == (1, [], [
        "baris 2, kolom pb_pasca: PB pasca persalinan/keguguran (3) tidak boleh lebih dari jumlah PB (2)",
        "baris 3, kolom gc_implan: wajib diisi",
        "baris 3, kolom gc_iud: harus bilangan bulat ≥ 0",
    ])
    assert MonthlyReport.objects.count() == 1
