"""reports.monthly.deadlines: on time = first sent by day 3 of the next month in Jakarta; the OPD closes months."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from cadres.models import Unit
from reports.models import ClosedPeriod, MonthlyReport, ReportStatus
from reports.monthly.closing import closing_summary
from reports.monthly.deadlines import deadline, is_on_time, kabupaten_code, on_time_counts
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


def test_the_opd_closes_and_reopens_a_month_each_after_a_confirmation(client, personas):
    client.force_login(personas["opd"].user)
    page = client.get(CLOSING).content.decode()
    assert "masih terbuka" in page and 'href="?langkah=tutup"' in page
    response = client.post(CLOSING, {"action": "close"})  # not from the confirmation: nothing, to it
    assert response.status_code == 302 and response.url == CLOSING + "?langkah=tutup"
    assert ClosedPeriod.objects.count() == 0
    confirm = client.get(CLOSING + "?langkah=tutup").content.decode()
    assert "Tutup periode November 2020: 4 laporan belum masuk, 0 belum diverifikasi." in confirm
    assert 'name="confirm" value="1"' in confirm and "Ya, tutup" in confirm
    assert ClosedPeriod.objects.count() == 0  # the confirmation page only asks
    response = client.post(CLOSING, {"action": "close", "confirm": "1"})
    assert response.status_code == 302 and response.url == CLOSING
    closed = ClosedPeriod.objects.get()
    assert (closed.unit_id, closed.period, closed.closed_by.username) == ("32.14", NOV, "opd")
    page = client.get(CLOSING).content.decode()
    assert "sudah ditutup oleh OPD KB" in page and 'href="?langkah=buka"' in page

    response = client.post(CLOSING, {"action": "reopen"})  # reopening asks too
    assert response.url == CLOSING + "?langkah=buka" and ClosedPeriod.objects.count() == 1
    assert "Buka lagi periode November 2020?" in client.get(CLOSING + "?langkah=buka").content.decode()
    assert client.post(CLOSING, {"action": "reopen", "confirm": "1"}).status_code == 302
    assert ClosedPeriod.objects.count() == 0
    assert [h.history_type for h in ClosedPeriod.history.order_by("history_date")] == ["+", "-"]
    assert ClosedPeriod.history.order_by("history_date").last().history_user.username == "opd"


def test_a_reader_gets_no_confirmation_step(client, personas):
    client.force_login(personas["pkb"].user)
    body = client.get("/periode/32.14.01.2001/2020-11/tutup/?langkah=tutup").content.decode()
    assert "Ya, tutup" not in body and "langkah=tutup" not in body


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


@pytest.fixture
def november(tree):
    """Kecamatan 32.14.01 (3 RTs): 1 verified, 1 sent, 1 without a report; 32.14.02 (1 RT): returned."""
    make_report(RT1, NOV, status=ReportStatus.VERIFIED, pus=2, ias=2)
    make_report(RT2, NOV, status=ReportStatus.SUBMITTED, pus=2, ias=2)
    make_report("32.14.02.2001.001.001", NOV, status=ReportStatus.RETURNED, pus=2, ias=2)


def test_the_closing_summary_counts_each_kecamatan_in_three_queries(november, django_assert_num_queries):
    kabupaten = Unit.objects.get(code="32.14")
    with django_assert_num_queries(3):  # the same with any number of kecamatan and RTs
        summary = closing_summary(kabupaten, NOV)
    figures = ("expected", "verified", "submitted", "draft", "returned", "no_report", "not_received")
    assert [(row.unit.code, *(getattr(row, f) for f in figures)) for row in summary.children] == [
        ("32.14.01", 3, 1, 1, 0, 0, 1, 1), ("32.14.02", 1, 0, 0, 0, 1, 0, 1)]
    assert tuple(getattr(summary.total, f) for f in figures) == (4, 1, 1, 0, 1, 1, 2)
    desa = closing_summary(Unit.objects.get(code="32.14.01.2001"), NOV)
    assert (desa.total.expected, desa.total.verified, desa.total.submitted) == (2, 1, 1)


def test_the_closing_page_shows_what_is_left_before_closing(client, personas, november, django_assert_max_num_queries):
    client.force_login(personas["opd"].user)
    with django_assert_max_num_queries(15):  # the same with any number of kecamatan and RTs
        page = client.get(CLOSING)
    body = page.content.decode()
    for figure, number in [("expected", 4), ("verified", 1), ("submitted", 1), ("not-received", 2),
                           ("returned", 1), ("no-report", 1)]:
        assert f'data-figure="{figure}">{number}</dd>' in body, figure
    assert '<span data-figure="draft-returned">1 draf/dikembalikan</span>' in body
    assert ClosedPeriod.objects.count() == 0
    confirm = client.get(CLOSING + "?langkah=tutup").content.decode()
    assert "Tutup periode November 2020: 2 laporan belum masuk, 1 belum diverifikasi." in confirm
    assert client.post(CLOSING, {"action": "close", "confirm": "1"}).status_code == 302
    assert ClosedPeriod.objects.get().unit_id == "32.14"


def test_on_time_counts_add_up_to_the_sent_reports_in_the_demo_like_case(db, monkeypatch):
    """The queue once said 'tepat waktu 0 · terlambat 1' beside 15 sent reports: the demo's sent
    reports had no sending time, and the counts dropped them silently. Now every received report
    is on time, late or without a time, and the demo's reports carry one like a real sending."""
    rts = [f"32.14.01.2001.001.{n:03}" for n in range(1, 16)]
    for code in rts[:14]:
        make_report(code, NOV, status=ReportStatus.SUBMITTED, pus=1)  # as the old demo: no sending time
    sent(rts[14], datetime.datetime(2020, 12, 10, tzinfo=JAKARTA))
    counts = on_time_counts("32.14.01.2001", NOV)
    assert counts == (0, 1, 14) and sum(counts) == MonthlyReport.objects.counted().count() == 15

    from reports.demo import reports as demo
    monkeypatch.setattr(demo.timezone, "now", lambda: datetime.datetime(2020, 12, 20, tzinfo=JAKARTA))
    MonthlyReport.objects.filter(submitted_at__isnull=True).update(**demo._sent(NOV, ReportStatus.SUBMITTED))
    assert on_time_counts("32.14.01.2001", NOV) == (14, 1, 0)
    assert demo._sent(NOV, ReportStatus.DRAFT) == {}
    monkeypatch.setattr(demo.timezone, "now", lambda: datetime.datetime(2020, 12, 1, 8, tzinfo=JAKARTA))
    assert demo._sent(NOV, ReportStatus.SUBMITTED)["submitted_at"] == datetime.datetime(2020, 12, 1, 8, tzinfo=JAKARTA)
