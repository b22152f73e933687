"""The per-desa, per-month sums (`DesaMonthSums`) that recaps above desa read: current after every
write of a report (workflow, import, admin), the same recap as from the RT reports themselves,
checked and rebuilt by `refresh_desa_months`, and right when two writers in one desa race."""

import datetime
import io
import threading
import time

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.db import connection, transaction
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from cadres.models import CoupleStatus, Unit
from reports.models import DesaMonthSums, KabupatenMonthSums, MonthlyReport, ReportStatus
from reports.numbers import rollup, summary
from reports.numbers.recap import recap_for
from reports.monthly.workflow import (
    report_reopen,
    report_return,
    report_save_draft,
    report_submit,
    report_verify,
)
from tests import fuzz_stats
from tests.register_factories import make_couple
from tests.form_fuzz import fuzz
from tests.report_factories import balanced_counts, make_report
from tests.test_import_reports import HEADER, row, run
from tests.test_import_wilayah import write_csv

DESA = "32.14.01.2001"
RT1, RT2, RT3 = f"{DESA}.001.001", f"{DESA}.001.002", f"{DESA}.002.001"
NOV, OCT = datetime.date(2020, 11, 1), datetime.date(2020, 10, 1)


def desa_month(desa=DESA, period=NOV):
    """(received, pus, pb_pil, PB pil since January) of the desa's row for the month, or None."""
    rows = DesaMonthSums.objects.filter(desa_id=desa, period=period)
    return rows.values_list("received", "pus", "pb_pil", "pb_ytd_pil").first()


def kabupaten_month(kabupaten="32.14", period=NOV):
    """(received, pus, pb_pil, PB pil since January) of the kabupaten's row for the month, or None."""
    rows = KabupatenMonthSums.objects.filter(kabupaten_id=kabupaten, period=period)
    return rows.values_list("received", "pus", "pb_pil", "pb_ytd_pil").first()


def submit(kader, rt, version, **counts):
    return report_submit(rt=Unit.objects.get(code=rt), period=NOV, counts=balanced_counts(**counts),
                         corrections={}, version=version, by=kader)


def test_the_sums_follow_every_step_of_the_workflow(personas):
    kader, pkb = personas["kader"].user, personas["pkb"].user
    make_report(RT2, NOV, pus=4, pil_swasta=4, pb_pil=1)
    make_report(RT3, OCT, pus=3, pil_swasta=3, pb_pil=5)
    assert desa_month() == (1, 4, 1, 6)

    draft = report_save_draft(rt=Unit.objects.get(code=RT1), period=NOV, counts=balanced_counts(pus=5, pil_swasta=5),
                              corrections={}, version=0, by=kader)
    assert desa_month() == (1, 4, 1, 6)  # a draft does not count
    assert desa_month(period=datetime.date(2020, 12, 1)) == (0, 0, 0, 6)  # PB so far, in every later month
    sent = submit(kader, RT1, draft.version, pus=5, pil_swasta=5, pb_pil=2)
    assert desa_month() == (2, 9, 3, 8)
    returned = report_return(report=sent, comment="IAT salah hitung", by=pkb)
    assert desa_month() == (1, 4, 1, 6)
    sent = submit(kader, RT1, returned.version, pus=6, pil_swasta=6)
    assert desa_month() == (2, 10, 1, 6)
    verified = report_verify(report=sent, by=pkb)
    assert desa_month() == (2, 10, 1, 6)
    report_reopen(report=verified, reason="PUS ganda", by=pkb)
    assert desa_month() == (1, 4, 1, 6)
    assert summary.desa_months_differences() == []


def test_a_desa_without_counted_reports_in_a_year_has_no_rows_for_it(personas):
    sent = submit(personas["kader"].user, RT1, 0, pus=5, pil_swasta=5)
    assert desa_month() == (1, 5, 0, 0)
    assert DesaMonthSums.objects.filter(desa_id=DESA).count() == 12
    report_return(report=sent, comment="ulang", by=personas["pkb"].user)
    assert DesaMonthSums.objects.filter(desa_id=DESA).count() == 0


def test_an_import_refreshes_the_desa_and_months_it_wrote(tree, tmp_path):
    make_report(RT3, OCT, status=ReportStatus.SUBMITTED, pus=2, iud_swasta=2)
    path = write_csv(tmp_path / "laporan", [
        HEADER,
        row(RT1, "2020-11", pus=30, suntik_pemerintah=20, ias=10, pb_suntik=2),
        row(RT2, "2020-11", pus=10, iud_swasta=4, hamil=6, pb_pil=1),
        row(RT1, "2020-10", pus=29, suntik_pemerintah=20, ias=9),
        row("32.14.01.2002.001.001", "2020-11", pus=7, pil_swasta=7),
    ])
    assert run(path)[0] == 0
    assert desa_month() == (2, 40, 1, 1)
    assert desa_month(period=OCT) == (2, 31, 0, 0)
    assert desa_month("32.14.01.2002") == (1, 7, 0, 0)
    assert summary.desa_months_differences() == []


def admin_request(personas):
    request = RequestFactory().post("/admin/")
    request.user = personas["admin"].user
    return request


def test_the_admins_changes_and_deletions_refresh_the_sums(personas):
    model_admin = site._registry[MonthlyReport]
    report = make_report(RT1, NOV, pus=5, pil_swasta=5)
    make_report(RT2, NOV, pus=3, pil_swasta=3)
    report.pus, report.pil_swasta, report.period = 8, 8, OCT  # the admin moves it to October
    model_admin.save_model(admin_request(personas), report, form=None, change=True)
    assert (desa_month(), desa_month(period=OCT)) == ((1, 3, 0, 0), (1, 8, 0, 0))
    model_admin.delete_model(admin_request(personas), report)
    assert desa_month(period=OCT) == (0, 0, 0, 0)
    model_admin.delete_queryset(admin_request(personas), MonthlyReport.objects.all())
    assert DesaMonthSums.objects.count() == 0


def test_above_desa_the_recap_is_the_same_as_from_the_rt_reports(tree):
    # Desa of unequal size, several months of PB since January, and reports that do not count.
    for rt, pus in ((RT1, 30), (RT2, 9), (RT3, 4), ("32.14.01.2002.001.001", 50), ("32.14.02.2001.001.001", 11)):
        make_report(rt, NOV, pus=pus, iud_swasta=pus // 3, pil_pemerintah=pus // 2, pb_iud=1)
        make_report(rt, OCT, pus=pus, implan_swasta=pus // 2, pb_implan=pus % 3)
        make_report(rt, datetime.date(2020, 1, 1), pus=pus, kondom_swasta=1, pb_kondom=2)
    make_report("32.14.01.2001.002.002", NOV, status=ReportStatus.DRAFT, pus=99, pil_swasta=99)
    make_report("32.14.01.2001.002.002", OCT, status=ReportStatus.RETURNED, pus=99, pb_pil=9)
    make_report("32.14.02.2002.001.001", datetime.date(2020, 1, 1), pus=3, iud_swasta=3, pb_iud=3)  # January only
    make_report(RT1, datetime.date(2019, 12, 1), pus=30, pil_swasta=30, pb_pil=7)  # the year before
    months = [datetime.date(2019, 12, 1)] + [datetime.date(2020, month, 1) for month in range(1, 13)]
    for code, rows in (("32.14", rollup.DesaMonthRows), ("32.14.01", rollup.DesaMonthRows),
                       ("32", rollup.KabupatenMonthRows)):
        assert type(rollup.counted_reports(code)) is rows
        for month in months:
            from_reports = rollup.rollup(rollup.ReportRows(), code, month)
            assert rollup.rollup(rows(), code, month) == from_reports, (code, month)
        assert list(rows().per_month(code, months)) == list(rollup.ReportRows().per_month(code, months))
    recap = recap_for(Unit.objects.get(code="32.14"), NOV)
    assert (recap["pus"], recap["reports"]["received"], recap["ppm"]["pb_ytd_total"]) == (104, 5, 5 + 5 + 10 + 3)


FUZZ_RTS = [RT1, RT2, RT3, "32.14.01.2002.001.001", "32.14.02.2001.001.001"]
FUZZ_MONTHS = [datetime.date(2019, 12, 1), datetime.date(2020, 1, 1), datetime.date(2020, 6, 1), OCT, NOV,
               datetime.date(2020, 12, 1)]
any_reports = st.lists(
    st.tuples(st.sampled_from(FUZZ_RTS), st.sampled_from(FUZZ_MONTHS), st.sampled_from(list(ReportStatus)),
              st.integers(0, 9), st.integers(0, 3), st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)),
    max_size=15, unique_by=lambda row: row[:2],
)


COUNTED = (ReportStatus.SUBMITTED, ReportStatus.VERIFIED)


def test_for_any_reports_the_sums_give_the_same_recaps_as_the_reports(tree):
    @fuzz(25)
    @given(any_reports)
    def check(rows):
        fuzz_stats.generated_inputs += 1
        MonthlyReport.objects.all().delete()
        DesaMonthSums.objects.all().delete()
        KabupatenMonthSums.objects.all().delete()
        for rt, month, status, pus, pb, gc_mkjp, gc_other, pasca in rows:
            make_report(rt, month, status=status, pus=pus, pil_swasta=pus, pb_pil=pb, gc_implan=gc_mkjp,
                        gc_suntik=gc_other, pb_pasca=min(pasca, pb))
        assert summary.desa_months_differences() == []
        for code in ("32", "32.14", "32.14.01"):
            for month in FUZZ_MONTHS:
                from_reports = rollup.rollup(rollup.ReportRows(), code, month)
                assert rollup.rollup(rollup.counted_reports(code), code, month) == from_reports
                counted = [row for row in rows if row[1] == month and row[2] in COUNTED and row[0].startswith(code)]
                new_fields = {name: from_reports[0].counts[name] for name in ("gc_implan", "gc_suntik", "pb_pasca")}
                assert new_fields == {"gc_implan": sum(row[5] for row in counted),
                                      "gc_suntik": sum(row[6] for row in counted),
                                      "pb_pasca": sum(min(row[7], row[4]) for row in counted)}
            trend = list(rollup.counted_reports(code).per_month(code, FUZZ_MONTHS))
            assert trend == list(rollup.ReportRows().per_month(code, FUZZ_MONTHS))

    check()


def test_the_command_finds_a_wrong_row_and_rebuilds_the_table(tree):
    make_report(RT1, NOV, pus=5, pil_swasta=5)
    make_report(RT3, OCT, pus=2, iud_swasta=2)
    DesaMonthSums.objects.filter(period=NOV).update(pus=6)
    DesaMonthSums.objects.create(desa_id="32.14.01.2002", period=NOV, received=1, pus=1, hamil=1)
    KabupatenMonthSums.objects.filter(period=OCT).update(iud_swasta=3)
    Unit.objects.filter(code="32.14.01").update(rts=9)
    couple = make_couple(RT1)
    CoupleStatus.objects.filter(couple=couple).update(rt_id=RT3)
    [status] = couple.statuses.values_list("pk", flat=True)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("refresh_desa_months", "--check", stdout=out, stderr=err)
    assert exit.value.code == 1
    assert err.getvalue().strip().splitlines() == [
        "3 jumlah desa/kabupaten per bulan tidak sama dengan laporan RT: 32.14.01.2001 2020-11, "
        "32.14.01.2002 2020-11, 32.14 2020-10",
        "1 wilayah dengan jumlah RT yang tidak sama dengan RT-nya: 32.14.01 9≠4",
        f"1 baris status KB dengan RT yang bukan RT pasangannya: status {status}: {RT3}≠{RT1}",
    ]
    call_command("refresh_desa_months", stdout=out)
    assert ("12 baris jumlah desa per bulan (dan jumlah kabupaten per bulan, jumlah RT tiap wilayah) dihitung ulang; "
            "RT pada 1 baris status KB dibetulkan.") in out.getvalue()
    call_command("refresh_desa_months", "--check", stdout=out, stderr=err)
    assert summary.desa_months_differences() == []
    assert CoupleStatus.objects.get(pk=status).rt_id == RT1
    assert (desa_month(), desa_month("32.14.01.2002")) == ((1, 5, 0, 0), None)
    assert kabupaten_month(period=OCT) == (1, 2, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_two_writers_in_one_desa_racing_on_postgresql_are_both_counted(tree, monkeypatch):
    """Without the desa's lock the second writer would compute its sums without the first one's
    uncommitted report, and then insert the same (desa, month) row: a lost count or an error."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs two concurrent writers: PostgreSQL")
    make_report(RT3, NOV, pus=1, hamil=1)
    for rt in (RT1, RT2):
        make_report(rt, NOV, status=ReportStatus.DRAFT, pus=5, pil_swasta=5)
    assert race_two_senders(monkeypatch, "_desa_sums_sql", RT1, RT2) == []
    assert desa_month() == (3, 11, 0, 0)


def race_two_senders(monkeypatch, held: str, first_rt: str, second_rt: str) -> list[Exception]:
    """Sends the two RTs' November drafts in two threads, the first holding its transaction open
    inside `summary.<held>` (after the locks are taken) until the second waits for a lock; returns
    what either raised."""
    locked, release = threading.Event(), threading.Event()
    original = getattr(summary, held)

    def held_with_the_lock(*args):
        if threading.current_thread().name == "first":
            locked.set()
            assert release.wait(30)
        return original(*args)

    monkeypatch.setattr(summary, held, held_with_the_lock)
    errors = []

    def send(rt):
        try:
            with transaction.atomic():
                MonthlyReport.objects.filter(rt_id=rt, period=NOV).update(status=ReportStatus.SUBMITTED)
                summary.desa_months_refresh([(rt, NOV)])
        except Exception as error:  # reported below, with the assertion
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=send, name="first", args=(first_rt,))
    second = threading.Thread(target=send, name="second", args=(second_rt,))
    first.start()
    assert locked.wait(30)
    second.start()
    deadline = time.monotonic() + 30
    while not _someone_waits_for_a_lock() and time.monotonic() < deadline:
        pass  # the second writer now waits for the lock
    release.set()
    first.join(30)
    second.join(30)
    return errors


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0
