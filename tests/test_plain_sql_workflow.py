"""The plain SQL of every page's scope and of the PKB's workflow gives what the ORM gives: the
user's units and the unit with its ancestors (`access.unit_for_reading`), the session
(`kampungkb.sessions`), the queue's rows (`queue_sql`), a closed month (`closed_period_for`)
and the desa's sums of a counted write (`summary`). On SQLite and on PostgreSQL alike
(scripts/test.sh postgres)."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from cadres import access, codes
from cadres.models import Unit
from kampungkb.sessions import SessionStore
from reports.models import ClosedPeriod, MonthlyReport, ReportStatus
from reports.monthly import queue
from reports.monthly.deadlines import closed_period_for
from reports.numbers import summary
from tests.report_factories import make_report

DESA = "32.14.01.2001"
RT1, RT2, RT3, RT4 = f"{DESA}.001.001", f"{DESA}.001.002", f"{DESA}.002.001", f"{DESA}.002.002"
NOV, OCT = datetime.date(2020, 11, 1), datetime.date(2020, 10, 1)


def unit_values(unit):
    return {field.attname: getattr(unit, field.attname) for field in Unit._meta.concrete_fields}


@pytest.mark.parametrize("who", ["kader", "pkb", "opd", "admin", "outsider"])
def test_the_scope_and_the_unit_are_those_of_the_orm(personas, who, django_assert_num_queries):
    user = personas[who].user
    wanted = sorted(user.units.values_list("code", flat=True)) if who != "admin" else None
    code = personas[who].inside
    with django_assert_num_queries(1):  # the user's units and the unit with those above: one query
        unit = access.unit_for_reading(user, code)
        assert access.root_codes(user) == wanted
    expected = Unit.objects.filter(code__in=[*codes.ancestors(code), code])
    assert [unit_values(u) for u in [*access.unit_ancestors(unit), unit]] == [unit_values(u) for u in expected]
    assert unit.label == Unit.objects.get(code=code).label


def test_a_unit_outside_the_scope_is_a_404_before_and_after_the_units_are_read(personas):
    from django.http import Http404

    kader = personas["kader"].user
    for _ in range(2):  # first with the user's units read in the same query, then from the request's copy
        with pytest.raises(Http404):
            access.unit_for_reading(kader, personas["kader"].outside)
    assert access.unit_for_reading(kader, RT1).code == RT1


def test_the_session_is_read_as_djangos_store_reads_it(db):
    theirs = DjangoSessionStore()
    theirs["answer"] = 42
    theirs.create()
    theirs["answer"] = 42
    theirs.save()
    assert SessionStore(theirs.session_key).load() == {"answer": 42}
    Session.objects.filter(session_key=theirs.session_key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    expired = SessionStore(theirs.session_key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("no-such-session-key").load() == {}


@pytest.fixture
def month(tree, personas):
    """Two months of the desa: each status once in November, and the month before of some RTs."""
    make_report(RT1, OCT, pus=10, pil_swasta=10)
    make_report(RT3, OCT, pus=5, suntik_pemerintah=5)
    make_report(RT1, NOV, status=ReportStatus.SUBMITTED, pus=12, pil_swasta=8, pb_pil=3)
    make_report(RT3, NOV, status=ReportStatus.RETURNED, pus=5, suntik_pemerintah=5)
    make_report(RT4, NOV, status=ReportStatus.DRAFT, pus=1, iat=1)
    MonthlyReport.objects.filter(rt_id=RT1, period=NOV).update(
        submitted_by=personas["kader"].user, submitted_at=timezone.now(), corrections={"pus": {"register": 9, "reason": "x"}})
    MonthlyReport.objects.filter(rt_id=RT3, period=NOV).update(return_comment="cek lagi")


def orm_rows(code, period):
    """The queue's rows as the ORM read them before (`queue.rt_rows` of commit d102493)."""
    rts = Unit.objects.subtree(code).at_level("rt").order_by("code")
    rws = {unit.code: unit for unit in Unit.objects.subtree(code).at_level("rw")}
    current = {r.rt_id: r for r in MonthlyReport.objects.in_subtree(code).filter(period=period).select_related("submitted_by")}
    previous = {r.rt_id: r for r in MonthlyReport.objects.in_subtree(code).filter(period=OCT)}
    return [(rt, rws.get(codes.parent_code(rt.code)), current.get(rt.code), previous.get(rt.code)) for rt in rts]


@pytest.mark.parametrize("code", [DESA, f"{DESA}.001", RT1, "32.14.01"])
def test_the_queue_rows_are_those_of_the_orm(month, code, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = queue.rt_rows(code, NOV)
        shown = [(row.rt.code, row.rt.label, row.rw.label if row.rw else None, row.status, row.status_label,
                  row.on_time, row.pa, row.flags, row.report and row.report.pus, row.report and row.report.version,
                  row.report and row.report.return_comment, row.report and row.report.corrections,
                  row.report and row.report.submitted_at, row.report and row.report.period,
                  row.report and row.report.submitted_by and row.report.submitted_by.username) for row in rows]
    expected = []
    for rt, rw, report, previous in orm_rows(code, NOV):
        row = queue.QueueRow(rt, report, queue.flags_for(report, previous) if report else [])
        expected.append((rt.code, rt.label, rw.label if rw else None, row.status, row.status_label, row.on_time,
                         row.pa, row.flags, report and report.pus, report and report.version,
                         report and report.return_comment, report and report.corrections,
                         report and report.submitted_at, report and report.period,
                         report and report.submitted_by and report.submitted_by.username))
    assert shown == expected and len(shown) >= 1
    assert any(row[7] for row in shown) == (code != f"{DESA}.002")


def test_the_queue_reads_an_rts_rw_only_inside_the_subtree(month):
    [row] = queue.rt_rows(RT1, NOV)
    assert row.rw is None and [group.rw for group in queue.group_by_rw(RT1, [row])] == [None]
    groups = queue.rts_by_rw(DESA, NOV)
    assert [(group.rw.code, [row.rt.code for row in group.rows]) for group in groups] == [
        (f"{DESA}.001", [RT1, RT2]), (f"{DESA}.002", [RT3, RT4])]


def test_a_closed_month_is_the_row_the_orm_reads(personas):
    assert closed_period_for(RT1, NOV) is None
    closed = ClosedPeriod.objects.create(unit_id="32.14", period=NOV, closed_by=personas["opd"].user,
                                         closed_at=timezone.now())
    found = closed_period_for(RT1, NOV)
    assert (found.pk, found.unit_id, found.period, found.closed_at, found.closed_by.username) == (
        closed.pk, "32.14", NOV, ClosedPeriod.objects.get().closed_at, "opd")
    assert closed_period_for(RT1, OCT) is None and closed_period_for("32", NOV) is None


def test_the_desa_sums_of_a_write_are_those_of_the_orm(month):
    make_report("32.14.01.2002.001.001", NOV, pus=7, kondom_swasta=7, pb_kondom=2)
    make_report(RT2, datetime.date(2019, 12, 1), pus=3, iat=3)
    MonthlyReport.objects.filter(rt_id=RT1, period=OCT).update(status=ReportStatus.VERIFIED)
    desas, years = [DESA, "32.14.01.2002"], [2019, 2020]

    def values(rows):
        return sorted(((row.desa_id, row.period), {name: getattr(row, name) for name in summary.FIELDS}) for row in rows)

    in_desas = Q()
    for desa in desas:
        in_desas |= Q(rt__code__startswith=desa + ".")
    expected = summary._rows(MonthlyReport.objects.counted().filter(summary._years_q(years), in_desas))
    assert values(summary._month_rows(summary._desa_sums_sql(desas, years))) == values(expected)
    assert len(expected) == 36 and summary.desa_months_differences() == []
