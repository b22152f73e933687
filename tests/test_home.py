"""The home page: each role's task of the day, by number, in a constant number of queries."""

import datetime

import pytest
from django.utils import timezone

from cadres.periods import add_months, current_period, period_str
from reports.models import MonthlyReport, ReportStatus
from reports.monthly.home import task_period
from reports.monthly.workflow import report_return
from tests.factories import make_unit, make_user
from tests.report_factories import bulk_rts, make_report

RT = "32.14.01.2001.001.001"
RT2 = "32.14.01.2001.001.002"
LAST = current_period()
THIS = add_months(LAST, 1)


def home(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response


def test_the_task_is_last_months_report_until_it_is_sent_then_this_months():
    today = datetime.date(2026, 11, 27)
    assert task_period(None, today) == datetime.date(2026, 10, 1)
    draft = MonthlyReport(status=ReportStatus.DRAFT)
    assert task_period(draft, today) == datetime.date(2026, 10, 1)
    assert task_period(MonthlyReport(status=ReportStatus.SUBMITTED), today) == datetime.date(2026, 11, 1)


def test_a_kader_sees_last_months_report_to_do_late_once_past_its_deadline(client, personas):
    task = home(client, personas["kader"].user).context["rt_tasks"][0]
    assert (task.rt.code, task.period, task.report) == (RT, LAST, None)
    days_late = (timezone.localdate() - add_months(LAST, 1).replace(day=3)).days
    assert task.due["days_late"] == (days_late if days_late > 0 else None)


def test_a_sent_report_moves_the_kader_on_to_this_month(client, personas):
    make_report(RT, LAST, status=ReportStatus.SUBMITTED, pus=2, ias=2)
    response = home(client, personas["kader"].user)
    task = response.context["rt_tasks"][0]
    assert (task.period, task.report) == (THIS, None)
    assert [state for _month, state in task.months][:2] == ["missing", "submitted"]
    assert f"/laporan/{RT}/{period_str(THIS)}/" in response.content.decode()


def test_a_returned_report_shows_on_the_kaders_home_with_the_pkbs_note(client, personas):
    report = make_report(RT, LAST, status=ReportStatus.SUBMITTED, pus=2, ias=2)
    report_return(report=report, comment="IAS dua? cek lagi", by=personas["pkb"].user)
    response = home(client, personas["kader"].user)
    task = response.context["rt_tasks"][0]
    assert (task.period, task.report.status) == (LAST, "returned")
    body = response.content.decode()
    assert "IAS dua? cek lagi" in body and "Dikembalikan — perbaiki" in body and "Perbaiki laporan" in body


def test_a_ppkbd_sees_the_months_report_of_every_rt_grouped_by_rw_and_the_desa_activities(client, tree):
    make_report(RT2, LAST, status=ReportStatus.SUBMITTED, pus=3, ias=3)
    user = make_user("ppkbd", "kader", "32.14.01.2001")
    response = home(client, user)
    (area, groups), = response.context["areas"]
    assert area.code == "32.14.01.2001"
    assert [(group.rw.code, [(row.rt.code, row.status) for row in group.rows]) for group in groups] == [
        ("32.14.01.2001.001", [(RT, "missing"), (RT2, "submitted")]),
    ]
    assert f"/kegiatan/32.14.01.2001/{period_str(LAST)}/" in response.content.decode()


def test_a_pkb_sees_per_desa_the_reports_waiting_flagged_first(client, personas):
    make_report(RT, add_months(LAST, -1), pus=10, ias=10)
    make_report(RT, LAST, status=ReportStatus.SUBMITTED, pus=20, ias=20)  # PUS doubled: flagged
    make_report(RT2, LAST, status=ReportStatus.SUBMITTED, pus=3, ias=3)
    make_report("32.14.01.2002.001.001", LAST, status=ReportStatus.VERIFIED, pus=3, ias=3)
    waiting = home(client, personas["pkb"].user).context["waiting"]
    assert [(row.unit.code, row.waiting, row.flagged) for row in waiting] == [
        ("32.14.01.2001", 2, 1), ("32.14.01.2002", 0, 0),
    ]


def test_the_opd_sees_the_kabupatens_coverage_and_what_is_left_before_closing(client, personas):
    make_report(RT, LAST, status=ReportStatus.SUBMITTED, pus=2, ias=2)
    make_report(RT2, LAST, status=ReportStatus.VERIFIED, pus=2, ias=2)
    make_report("32.14.02.2001.001.001", LAST, status=ReportStatus.DRAFT, pus=2, ias=2)
    response = home(client, personas["opd"].user)
    (row,) = response.context["coverage"]
    assert (row.unit.code, row.expected, row.received, row.verified, row.submitted, row.not_received,
            row.in_progress) == (
        "32.14", 4, 2, 1, 1, 2, 1)
    assert "Sebelum periode ditutup: 2 RT belum mengirim laporan, 1 laporan belum diverifikasi." in (
        response.content.decode())


@pytest.mark.parametrize("persona", ["kader", "pkb", "opd", "admin"])
def test_the_home_page_takes_a_constant_number_of_queries(client, personas, persona, django_assert_max_num_queries):
    make_unit("32.14.01.2001.005")
    bulk_rts("32.14.01.2001.005", 30)
    for code in ("32.14.01.2001.005.003", "32.14.01.2001.005.004"):
        make_report(code, LAST, status=ReportStatus.SUBMITTED, pus=2, ias=2)
    client.force_login(personas[persona].user)
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200
