"""The PKB's flow: verify-all skips flagged reports unless asked, and a report checked from its
page leads to the next one waiting."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.models import Unit
from cadres.periods import add_months
from reports.models import DesaMonthSums, MonthlyReport, ReportStatus
from reports.monthly.queue import next_waiting
from reports.monthly.workflow import flagged_rts, report_verify_all
from tests.factories import make_unit
from tests.report_factories import balanced_counts, make_report

DESA = "32.14.01.2001"
RT1, RT2 = "32.14.01.2001.001.001", "32.14.01.2001.001.002"
RT3 = "32.14.01.2001.002.001"
NOV, OCT = datetime.date(2020, 11, 1), datetime.date(2020, 10, 1)
QUEUE = f"/verifikasi/{DESA}/2020-11/"


@pytest.fixture
def sent(tree):
    """Three sent reports; RT2's PUS doubled since October, so the queue flags it."""
    make_unit(RT3)
    make_report(RT2, OCT, pus=5, ias=5)
    for code, pus in [(RT1, 4), (RT2, 10), (RT3, 3)]:
        make_report(code, NOV, status=ReportStatus.SUBMITTED, pus=pus, ias=pus)


@pytest.fixture
def pkb(client, personas):
    client.force_login(personas["pkb"].user)
    return client


def statuses():
    return dict(MonthlyReport.objects.filter(period=NOV).values_list("rt_id", "status"))


def test_verify_all_skips_the_flagged_reports(sent, personas, django_assert_max_num_queries):
    desa = Unit.objects.get(code=DESA)
    # 16, and the desa's and kabupaten's sums (their count of verified reports) refreshed once for all.
    with django_assert_max_num_queries(21):
        assert report_verify_all(unit=desa, period=NOV, by=personas["pkb"].user) == (2, [RT2])
    assert statuses() == {RT1: "verified", RT2: "submitted", RT3: "verified"}
    assert DesaMonthSums.objects.get(desa_id=DESA, period=NOV).verified == 2


def test_verify_all_includes_the_flagged_reports_when_asked(sent, personas):
    desa = Unit.objects.get(code=DESA)
    assert report_verify_all(unit=desa, period=NOV, by=personas["pkb"].user, include_flagged=True) == (3, [])
    assert set(statuses().values()) == {"verified"}


def test_the_verify_all_page_lists_what_it_will_do_and_skips_flagged_unless_ticked(pkb, sent):
    page = pkb.get(f"{QUEUE}semua/")
    assert [r.rt_id for r in page.context["clean"]] == [RT1, RT3]
    assert [r.rt_id for r in page.context["flagged"]] == [RT2]
    assert "Ya, verifikasi 2 laporan" in page.content.decode()
    assert statuses() == {RT1: "submitted", RT2: "submitted", RT3: "submitted"}  # a GET changes nothing
    pkb.post(f"{QUEUE}semua/")
    assert statuses() == {RT1: "verified", RT2: "submitted", RT3: "verified"}
    pkb.post(f"{QUEUE}semua/", {"include_flagged": "1"})
    assert statuses()[RT2] == "verified"


def test_the_next_report_to_check_is_a_flagged_one_first_then_in_code_order(sent):
    assert next_waiting(RT1, NOV) == RT2
    assert next_waiting(RT1, NOV, after=RT2) == RT1


def test_verifying_from_the_report_page_leads_to_the_next_waiting_report(pkb, sent):
    answer = pkb.post(f"/laporan/{RT2}/2020-11/verifikasi/", {"version": "1", "then": "next"})
    assert answer.status_code == 302 and answer.url == f"/laporan/{RT1}/2020-11/"
    answer = pkb.post(f"/laporan/{RT1}/2020-11/verifikasi/", {"version": "1", "then": "next"})
    assert answer.url == f"/laporan/{RT3}/2020-11/"
    answer = pkb.post(f"/laporan/{RT3}/2020-11/verifikasi/", {"version": "1", "then": "next"})
    assert answer.url == QUEUE
    assert "Semua laporan yang dikirim sudah diperiksa." in pkb.get(QUEUE).content.decode()


def test_returning_from_the_report_page_shows_the_numbers_and_leads_to_the_next(pkb, sent):
    page = pkb.get(f"/laporan/{RT2}/2020-11/kembalikan/?then=next")
    assert page.context["flags"][0].startswith("PUS berubah")
    assert page.context["table"]["pus"][0][1] == 10
    answer = pkb.post(f"/laporan/{RT2}/2020-11/kembalikan/", {"version": "1", "note": "PUS dua kali lipat?",
                                                               "then": "next"})
    assert answer.url == f"/laporan/{RT1}/2020-11/"
    assert statuses()[RT2] == "returned"


def test_from_the_queue_a_verification_goes_back_to_the_queue(pkb, sent):
    answer = pkb.post(f"/laporan/{RT1}/2020-11/verifikasi/", {"version": "1", "next": QUEUE})
    assert answer.url == QUEUE


def test_verify_all_says_how_many_flagged_reports_it_left(pkb, sent):
    page = pkb.post(f"{QUEUE}semua/", follow=True)
    body = page.content.decode()
    assert "2 laporan diverifikasi." in body
    assert "1 laporan yang ditandai perlu dicek dilewati" in body


def test_verify_all_finds_the_flags_in_constant_queries(tree, personas, django_assert_num_queries):
    """Flags against the month before for any number of reports: one query, not one per report;
    with every report flagged, verify-all costs the same for 3 reports as for 9."""
    desa = Unit.objects.get(code=DESA)
    report_verify_all(unit=desa, period=OCT, by=personas["pkb"].user)  # loads the PKB's units once
    counts = []
    for month, n in ((NOV, 3), (datetime.date(2021, 1, 1), 9)):
        before = add_months(month, -1)
        for i in range(1, n + 1):
            code = f"32.14.01.2001.009.{i:03}"
            make_report(code, before, pus=5, ias=5)
            make_report(code, month, status=ReportStatus.SUBMITTED, pus=9, ias=9)  # PUS +80%: flagged
        reports = list(MonthlyReport.objects.filter(period=month))
        with django_assert_num_queries(1):
            assert len(flagged_rts(reports)) == n
        with CaptureQueriesContext(connection) as queries:
            assert report_verify_all(unit=desa, period=month, by=personas["pkb"].user) == (0, [
                f"32.14.01.2001.009.{i:03}" for i in range(1, n + 1)])
        counts.append(len(queries))
    assert counts[0] == counts[1] == 6  # savepoint, 2 closed-period reads, reports, month before, release


def test_whoever_sent_a_report_does_not_verify_it(tree, personas):
    from reports.monthly.workflow import WorkflowError, report_submit, report_verify

    pkb = personas["pkb"].user
    report = report_submit(rt=Unit.objects.get(code=RT1), period=NOV, counts=balanced_counts(pus=2, ias=2),
                           corrections={}, version=0, by=pkb)
    with pytest.raises(WorkflowError, match="Anda kirim sendiri"):
        report_verify(report=report, by=pkb)
    assert report_verify_all(unit=Unit.objects.get(code=DESA), period=NOV, by=pkb).verified == 0
    assert MonthlyReport.objects.get().status == "submitted"
    admin = personas["admin"].user
    assert report_verify(report=MonthlyReport.objects.get(), by=admin).verified_by == admin
