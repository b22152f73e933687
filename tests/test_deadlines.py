"""reports.deadlines: on time = first sent by day 3 of the next month in Jakarta; the OPD closes months."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from reports.deadlines import deadline, is_on_time, kabupaten_code, on_time_counts
from reports.models import ClosedPeriod, MonthlyReport, ReportStatus
from tests.report_factories import make_report

JAKARTA = ZoneInfo("Asia/Jakarta")
NOV = datetime.date(2020, 11, 1)
RT1, RT2 = "32.14.01.2001.001.001", "32.14.01.2001.001.002"
CLOSING = "/periode/32.14.01.2001/2020-11/tutup/"


def sent(code, when, status=ReportStatus.SUBMITTED, first=None):
    report = make_report(code, NOV, status=status, pus=1)
    MonthlyReport.objects.filter(pk=report.pk).update(submitted_at=when, first_submitted_at=first)
    report.refresh_from_db()
    return report


def test_the_deadline_is_the_start_of_day_4_of_the_next_month_in_jakarta():
    assert deadline(NOV) == datetime.datetime(2020, 12, 4, tzinfo=JAKARTA)
    assert deadline(datetime.date(2020, 12, 1)) == datetime.datetime(2021, 1, 4, tzinfo=JAKARTA)


def test_a_report_sent_on_day_3_jakarta_time_is_on_time(db):
    last_minute = datetime.datetime(2020, 12, 3, 23, 59, 59, tzinfo=JAKARTA)
    assert is_on_time(sent(RT1, last_minute)) is True
    # 17:00 UTC on day 3 is already midnight of day 4 in Jakarta.
    assert is_on_time(sent(RT2, datetime.datetime(2020, 12, 3, 17, 0, tzinfo=datetime.UTC))) is False


def test_the_first_sending_counts_not_a_resubmission_after_a_return(db):
    report = sent(RT1, datetime.datetime(2020, 12, 9, tzinfo=JAKARTA),
                  first=datetime.datetime(2020, 12, 2, tzinfo=JAKARTA))
    assert is_on_time(report) is True


def test_a_report_never_sent_is_neither(db):
    assert is_on_time(make_report(RT1, NOV, status=ReportStatus.DRAFT, pus=1)) is None


def test_on_time_counts_received_reports_in_the_subtree_in_one_query(db, django_assert_num_queries):
    sent(RT1, datetime.datetime(2020, 12, 1, tzinfo=JAKARTA), status=ReportStatus.VERIFIED)
    sent(RT2, datetime.datetime(2020, 12, 5, tzinfo=JAKARTA))
    sent("32.14.01.2002.001.001", datetime.datetime(2020, 12, 2, tzinfo=JAKARTA), status=ReportStatus.RETURNED)
    sent("32.14.02.2001.001.001", datetime.datetime(2020, 12, 2, tzinfo=JAKARTA))
    make_report("32.14.02.2001.001.002", NOV, pus=1)  # imported: no sending time
    with django_assert_num_queries(1):
        assert on_time_counts("32.14.01", NOV) == (1, 1, 0)
    assert on_time_counts("32.14", NOV) == (2, 1, 1)  # the imported report: received, nobody knows when
    assert on_time_counts(RT2, NOV).late == 1


def test_the_queue_shows_on_time_and_late(client, personas):
    sent(RT1, datetime.datetime(2020, 12, 1, tzinfo=JAKARTA))
    sent(RT2, datetime.datetime(2020, 12, 5, tzinfo=JAKARTA))
    client.force_login(personas["pkb"].user)
    body = client.get("/verifikasi/32.14.01.2001/2020-11/").content.decode()
    assert "<strong data-on-time>1</strong>" in body and "<strong data-late>1</strong>" in body
    assert 'data-on-time="1">tepat waktu' in body and 'data-on-time="0">terlambat' in body


def test_the_kabupaten_of_a_code():
    assert [kabupaten_code(code) for code in ["32", "32.14", "32.14.01.2001.001.001"]] == [None, "32.14", "32.14"]


def test_the_opd_closes_and_reopens_a_month(client, personas):
    client.force_login(personas["opd"].user)
    assert "masih terbuka" in client.get(CLOSING).content.decode()
    response = client.post(CLOSING, {"action": "close"})  # without ticking the confirmation: nothing
    assert response.status_code == 302 and ClosedPeriod.objects.count() == 0
    assert "Centang konfirmasi dulu" in client.get(CLOSING).content.decode()
    response = client.post(CLOSING, {"action": "close", "confirm": "1"})
    assert response.status_code == 302 and response.url == CLOSING
    closed = ClosedPeriod.objects.get()
    assert (closed.unit_id, closed.period, closed.closed_by.username) == ("32.14", NOV, "opd")
    assert "sudah ditutup oleh OPD KB" in client.get(CLOSING).content.decode()
    assert client.post(CLOSING, {"action": "reopen"}).status_code == 302
    assert ClosedPeriod.objects.count() == 0
    assert [h.history_type for h in ClosedPeriod.history.order_by("history_date")] == ["+", "-"]
    assert ClosedPeriod.history.order_by("history_date").last().history_user.username == "opd"


@pytest.mark.parametrize("persona, status", [("kader", 403), ("pkb", 403), ("outsider", 404)])
def test_only_the_opd_and_the_admin_close_a_month(client, personas, persona, status):
    client.force_login(personas[persona].user)
    url = "/periode/32.14.01.2001.001.001/2020-11/tutup/"
    assert client.post(url, {"action": "close", "confirm": "1"}).status_code == status
    assert ClosedPeriod.objects.count() == 0


def test_the_admin_closes_any_kabupaten_and_a_provinsi_has_no_closing_page(client, personas):
    client.force_login(personas["admin"].user)
    assert client.post("/periode/32.15/2020-11/tutup/", {"action": "close", "confirm": "1"}).status_code == 302
    assert ClosedPeriod.objects.get().unit_id == "32.15"
    assert client.get("/periode/32/2020-11/tutup/").status_code == 404


def test_the_closing_page_shows_what_is_left_before_closing(client, personas, django_assert_max_num_queries):
    make_report(RT1, NOV, status=ReportStatus.VERIFIED, pus=2, ias=2)
    make_report(RT2, NOV, status=ReportStatus.SUBMITTED, pus=2, ias=2)
    make_report("32.14.02.2001.001.001", NOV, status=ReportStatus.RETURNED, pus=2, ias=2)
    client.force_login(personas["opd"].user)
    with django_assert_max_num_queries(15):  # the same with any number of kecamatan and RTs
        page = client.get(CLOSING)
    summary = page.context["summary"]
    assert (summary.expected, summary.verified, summary.waiting, summary.missing, summary.unsent) == (4, 1, 1, 2, 1)
    assert [(row.unit.code, row.missing, row.waiting) for row in page.context["children"]] == [
        ("32.14.01", 1, 1), ("32.14.02", 1, 0)]
    assert "walaupun 2 laporan belum masuk dan 1 belum diverifikasi" in page.content.decode()
