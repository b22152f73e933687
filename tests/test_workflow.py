"""reports.monthly.workflow: the monthly report's status changes, who may make them, and what they record."""

import datetime

import pytest
from django.utils import timezone

from cadres.models import Role, Unit
from cadres.periods import add_months, current_period
from reports.models import MonthlyReport, ReportStatus
from reports.monthly.deadlines import period_close
from reports.numbers.recap import recap_for
from reports.monthly.workflow import (
    WorkflowError, report_reopen, report_return, report_save_draft, report_submit, report_verify,
    report_verify_all,
)
from tests.factories import make_user
from tests.report_factories import balanced_counts, make_report

RT = "32.14.01.2001.001.001"
RT2 = "32.14.01.2001.001.002"
NOV = datetime.date(2020, 11, 1)


def rt(code=RT):
    return Unit.objects.get(code=code)


def save(user, *, version=0, code=RT, period=NOV, corrections=None, **counts):
    return report_save_draft(rt=rt(code), period=period, counts=balanced_counts(**counts),
                             corrections=corrections or {}, version=version, by=user)


def submit(user, *, version=0, code=RT, period=NOV, **counts):
    return report_submit(rt=rt(code), period=period, counts=balanced_counts(**counts), corrections={},
                         version=version, by=user)


def desa_recap():
    return recap_for(Unit.objects.get(code="32.14.01.2001"), NOV)


def history(report):
    return [(h.version, h.status, h.history_user.username, h.history_change_reason)
            for h in report.history.order_by("history_date", "history_id")]


@pytest.fixture
def kader(personas):
    return personas["kader"].user


@pytest.fixture
def pkb(personas):
    return personas["pkb"].user


def test_a_kader_saves_a_draft_that_does_not_count(kader):
    report = save(kader, pus=20, pil_swasta=15, hamil=5)
    assert (report.status, report.version, report.pus, report.pil_swasta) == ("draft", 1, 20, 15)
    assert history(report) == [(1, "draft", "kader", "draf disimpan")]
    assert (desa_recap()["pus"], desa_recap()["reports"]["received"]) == (0, 0)


def test_saving_again_claims_the_next_version(kader):
    first = save(kader, pus=20, pil_swasta=20)
    second = save(kader, version=first.version, pus=21, pil_swasta=21)
    assert (second.pk, second.version, second.pus) == (first.pk, 2, 21)
    assert [row[0] for row in history(second)] == [1, 2]


def test_submitting_counts_the_report_and_records_when(kader):
    draft = save(kader, pus=20, pil_swasta=20)
    report = submit(kader, version=draft.version, pus=20, pil_swasta=18, hamil=2)
    assert (report.status, report.version, report.submitted_by) == ("submitted", 2, kader)
    assert report.first_submitted_at == report.submitted_at is not None
    assert (desa_recap()["pus"], desa_recap()["pa"], desa_recap()["reports"]["received"]) == (20, 18, 1)


def test_a_submitted_report_is_locked_for_the_cadre(kader):
    report = submit(kader, pus=3, pil_swasta=3)
    with pytest.raises(WorkflowError) as error:
        save(kader, version=report.version, pus=4, pil_swasta=4)
    assert error.value.message == (
        "Laporan ini berstatus Dikirim, jadi tidak dapat diubah lagi oleh kader; PKB dapat mengembalikannya."
    )
    report.refresh_from_db()
    assert (report.pus, report.version) == (3, 1)


def test_the_pkb_verifies_a_submitted_report(kader, pkb):
    report = report_verify(report=submit(kader, pus=3, pil_swasta=3), by=pkb)
    assert (report.status, report.verified_by, report.version) == ("verified", pkb, 2)
    assert history(report)[-1] == (2, "verified", "pkb", "diverifikasi")


@pytest.mark.parametrize("role", ["kader", "opd"])
def test_only_pkb_and_admin_verify(personas, role):
    report = submit(personas["kader"].user, pus=3, pil_swasta=3)
    with pytest.raises(WorkflowError) as error:
        report_verify(report=report, by=personas[role].user)
    assert error.value.message == "Hanya PKB/PLKB atau admin wilayah ini yang dapat memverifikasi laporan."
    assert MonthlyReport.objects.get().status == "submitted"


def test_a_pkb_outside_the_desa_cannot_verify(kader):
    other = make_user("pkb2", Role.PKB, "32.14.02")
    with pytest.raises(WorkflowError):
        report_verify(report=submit(kader, pus=3, pil_swasta=3), by=other)


def test_the_admin_verifies_anywhere(kader, personas):
    report = report_verify(report=submit(kader, pus=3, pil_swasta=3), by=personas["admin"].user)
    assert report.status == "verified"


def test_a_draft_cannot_be_verified(kader, pkb):
    with pytest.raises(WorkflowError) as error:
        report_verify(report=save(kader, pus=3, pil_swasta=3), by=pkb)
    assert error.value.message == (
        "Laporan ini berstatus Draf, jadi tidak dapat diverifikasi (hanya laporan yang sudah dikirim)."
    )


def test_a_return_needs_a_comment_the_cadre_sees(kader, pkb):
    report = submit(kader, pus=3, pil_swasta=3)
    with pytest.raises(WorkflowError) as error:
        report_return(report=report, comment="   ", by=pkb)
    assert error.value.message == "Catatan untuk kader wajib diisi."
    returned = report_return(report=report, comment="PUS kurang satu pasangan baru", by=pkb)
    assert (returned.status, returned.return_comment, returned.returned_by) == (
        "returned", "PUS kurang satu pasangan baru", pkb)
    assert desa_recap()["reports"]["received"] == 0


def test_a_returned_report_is_fixed_and_resubmitted_keeping_its_first_sending(kader, pkb):
    report = submit(kader, pus=3, pil_swasta=3)
    first_sent = report.first_submitted_at
    report = report_return(report=report, comment="cek lagi", by=pkb)
    draft = save(kader, version=report.version, pus=4, pil_swasta=4)
    assert draft.status == "returned"  # still waiting for the cadre
    resent = submit(kader, version=draft.version, pus=4, pil_swasta=4)
    assert (resent.status, resent.first_submitted_at) == ("submitted", first_sent)
    assert resent.submitted_at > first_sent


def test_a_verified_report_is_reopened_with_a_reason_and_history_keeps_every_version(kader, pkb):
    report = report_verify(report=submit(kader, pus=3, pil_swasta=3), by=pkb)
    with pytest.raises(WorkflowError) as error:
        report_reopen(report=report, reason="", by=pkb)
    assert error.value.message == "Alasan membuka kembali wajib diisi."
    reopened = report_reopen(report=report, reason="salah RT", by=pkb)
    assert (reopened.status, reopened.return_comment, reopened.verified_at) == ("returned", "salah RT", None)
    fixed = submit(kader, version=reopened.version, pus=5, pil_swasta=5)
    report_verify(report=fixed, by=pkb)
    assert history(fixed) == [
        (1, "submitted", "kader", "dikirim"),
        (2, "verified", "pkb", "diverifikasi"),
        (3, "returned", "pkb", "dibuka kembali: salah RT"),
        (4, "submitted", "kader", "dikirim"),
        (5, "verified", "pkb", "diverifikasi"),
    ]
    assert [h.pus for h in fixed.history.order_by("history_date", "history_id")] == [3, 3, 3, 5, 5]


def test_only_a_verified_report_is_reopened(kader, pkb):
    with pytest.raises(WorkflowError) as error:
        report_reopen(report=submit(kader, pus=3, pil_swasta=3), reason="x", by=pkb)
    assert "berstatus Dikirim" in error.value.message


def test_verify_all_verifies_the_submitted_reports_below_the_unit(kader, pkb):
    submit(kader, pus=3, pil_swasta=3)
    make_report(RT2, NOV, status=ReportStatus.SUBMITTED, pus=2)
    make_report("32.14.01.2002.001.001", NOV, status=ReportStatus.SUBMITTED, pus=2)  # another desa
    make_report("32.14.01.2001.001.002", add_months(NOV, -1), status=ReportStatus.SUBMITTED, pus=2)
    assert report_verify_all(unit=Unit.objects.get(code="32.14.01.2001"), period=NOV, by=pkb) == (2, [])
    statuses = dict(MonthlyReport.objects.filter(period=NOV).values_list("rt_id", "status"))
    assert statuses == {RT: "verified", RT2: "verified", "32.14.01.2002.001.001": "submitted"}
    assert MonthlyReport.objects.get(rt_id=RT).history.first().history_user == pkb


def test_an_unbalanced_report_is_not_sent_saying_by_how_much(kader):
    counts = balanced_counts(pus=10, pil_swasta=10)
    counts["pil_swasta"] = 8
    with pytest.raises(WorkflowError) as error:
        report_submit(rt=rt(), period=NOV, counts=counts, corrections={}, version=0, by=kader)
    assert error.value.message == "Jumlah tidak seimbang: PUS 10, tetapi PA + hamil + IAS + IAT + TIAL = 8 (kurang 2)."
    assert MonthlyReport.objects.count() == 0


def test_an_unbalanced_draft_is_saved_as_work_in_progress_but_not_counted(kader):
    counts = balanced_counts(pus=10, pil_swasta=10)
    counts["pil_swasta"] = 8
    draft = report_save_draft(rt=rt(), period=NOV, counts=counts, corrections={}, version=0, by=kader)
    assert (draft.status, draft.pus, draft.pil_swasta) == (ReportStatus.DRAFT, 10, 8)
    assert recap_for(Unit.objects.get(code=rt().code), NOV)["pus"] == 0


def test_a_missing_count_is_refused_never_taken_as_zero(kader):
    counts = balanced_counts(pus=0)
    counts["tial"] = None
    with pytest.raises(WorkflowError) as error:
        report_submit(rt=rt(), period=NOV, counts=counts, corrections={}, version=0, by=kader)
    assert error.value.message == "Angka berikut wajib diisi (tulis 0 bila tidak ada): tial."


def test_corrections_from_the_register_are_kept_with_their_reasons(kader):
    report = save(kader, pus=3, pil_swasta=3, corrections={"pus": {"register": 2, "reason": "pasangan baru pindah"}})
    assert MonthlyReport.objects.get(pk=report.pk).corrections == {
        "pus": {"register": 2, "reason": "pasangan baru pindah"}
    }


def test_the_opd_and_outsiders_cannot_fill_a_report(personas):
    for name in ("opd", "outsider"):
        with pytest.raises(WorkflowError) as error:
            save(personas[name].user, pus=1, pil_swasta=1)
        assert error.value.message == "Anda tidak boleh mengisi laporan wilayah ini."
    assert MonthlyReport.objects.count() == 0


def test_a_month_that_has_not_started_cannot_be_reported(kader):
    with pytest.raises(WorkflowError) as error:
        save(kader, period=add_months(current_period(), 2), pus=1, pil_swasta=1)
    assert error.value.message.startswith("Bulan ") and error.value.message.endswith("belum mulai: laporannya belum dapat diisi.")
    assert save(kader, period=add_months(current_period(), 1), pus=1, pil_swasta=1).status == "draft"


def test_nothing_changes_in_a_closed_period(kader, pkb, personas):
    submitted = submit(kader, pus=3, pil_swasta=3)
    verified = report_verify(report=make_report(RT2, NOV, status=ReportStatus.SUBMITTED, pus=2), by=pkb)
    closed = period_close(kabupaten="32.14", period=NOV, by=personas["opd"].user)
    message = "Periode November 2020 sudah ditutup oleh OPD KB pada %s: laporannya tidak dapat diubah lagi." % (
        timezone.localtime(closed.closed_at).strftime("%d-%m-%Y %H:%M"))
    attempts = [
        lambda: save(kader, version=submitted.version, pus=1, pil_swasta=1),
        lambda: save(pkb, code="32.14.01.2002.001.001", pus=1, pil_swasta=1),
        lambda: report_verify(report=submitted, by=pkb),
        lambda: report_return(report=submitted, comment="x", by=pkb),
        lambda: report_reopen(report=verified, reason="x", by=pkb),
        lambda: report_verify_all(unit=Unit.objects.get(code="32.14.01.2001"), period=NOV, by=pkb),
    ]
    for attempt in attempts:
        with pytest.raises(WorkflowError) as error:
            attempt()
        assert error.value.message == message
    assert sorted(MonthlyReport.objects.values_list("status", "version")) == [("submitted", 1), ("verified", 2)]
    # Another month, or another kabupaten, is not closed.
    assert save(kader, period=add_months(NOV, 1), pus=1, pil_swasta=1).status == "draft"
