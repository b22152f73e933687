"""Queries per recap, register month and page, pinned: the same number for a small synthetic
kabupaten and one five times bigger (more desa, so more rows under every level above desa)."""

import datetime

import pytest

from cadres.models import Role, Unit
from reports.demo.synth import Size, synth_kabupaten
from reports.models import MonthlyReport, ReportStatus
from reports.numbers.recap import recap_for
from reports.numbers.register_month import register_rollup, rt_counts
from reports.numbers.summary import desa_months_refresh
from tests.factories import make_user

PERIOD = datetime.date(2026, 10, 1)
SMALL = Size(desa=2, rw_per_desa=2, rt_per_rw=2, couples_per_rt=3, months=3)
LEVELS = {
    "provinsi": "32",
    "kabupaten": "32.99",
    "kecamatan": "32.99.01",
    "desa": "32.99.01.2001",
    "rw": "32.99.01.2001.001",
    "rt": "32.99.01.2001.001.001",
}


@pytest.fixture(params=[1, 5], ids=["small", "5x"])
def kabupaten(request, db):
    result = synth_kabupaten(size=SMALL.scaled(request.param), until=PERIOD)
    assert result.reports == 8 * 3 * request.param
    # One RT's report is still a draft at any size, so that every page lists a missing report.
    MonthlyReport.objects.filter(rt_id=LEVELS["rt"], period=PERIOD).update(status=ReportStatus.DRAFT)
    desa_months_refresh([(LEVELS["rt"], PERIOD)])
    return result


@pytest.fixture
def admin_client(client, kabupaten):
    client.force_login(make_user("admin", Role.ADMIN))
    client.get("/healthz")  # the session's first save with its time (kampungkb/session_refresh.py), not a page's
    return client


@pytest.mark.parametrize(("level", "queries"), [
    ("provinsi", 3), ("kabupaten", 3), ("kecamatan", 3), ("desa", 3), ("rw", 3), ("rt", 2),
])
def test_the_recap_costs_the_same_queries_at_any_size(kabupaten, django_assert_num_queries, level, queries):
    unit = Unit.objects.get(code=LEVELS[level])
    with django_assert_num_queries(queries):
        recap_for(unit, PERIOD)


@pytest.mark.parametrize(("level", "queries"), [("kabupaten", 7), ("desa", 7), ("rt", 3)])
def test_the_register_recap_costs_the_same_queries_at_any_size(kabupaten, django_assert_num_queries, level, queries):
    unit = Unit.objects.get(code=LEVELS[level])
    with django_assert_num_queries(queries):
        recap_for(unit, PERIOD, "register")


def test_the_register_month_of_a_desa_costs_the_same_queries_at_any_size(kabupaten, django_assert_num_queries):
    with django_assert_num_queries(5):
        register_rollup(LEVELS["desa"], PERIOD)
    with django_assert_num_queries(2):
        rt_counts(LEVELS["desa"], PERIOD)


# (The parameter is not called `page`: that name is pytest-playwright's browser fixture.)
# The dashboard and the PDF count the verified reports apart from the only sent ones, and the
# register's drop-outs of the month, in one query; the workbook reads the drop-outs in one more.
# From a desa up, the dashboard, the PDF and the workbook show "Kegiatan PPKBD" in two more
# (reports/numbers/imp_report.py): the desa reports' sums, and the institutions counted by kind
# with whether each reported; an RW or RT has no such section and spends none. No page saves the
# session (kampungkb/session_refresh.py), and the unit comes with its ancestors in one query.
# Above kabupaten (a province) the dashboard reads the per-kabupaten sums and leaves the register's
# drop-outs, the RT list and the PPKBD's section to its kabupaten: three queries fewer. An RT has no
# children to read, and its own missing report needs no query (it is read with its ancestors), but
# it shows its Peta PUS (one query).
@pytest.mark.parametrize(("suffix", "level", "queries"), [
    ("", "provinsi", 9), ("", "kabupaten", 12), ("", "desa", 12), ("", "rw", 10), ("", "rt", 9),
    ("rekap.json", "provinsi", 6), ("rekap.json", "kabupaten", 6), ("rekap.json", "desa", 6), ("rekap.json", "rt", 5),
    ("rekap.xlsx", "kabupaten", 12), ("rekap.pdf", "kabupaten", 12),
    ("rekap.xlsx", "desa", 12), ("rekap.pdf", "desa", 12),
])
def test_a_page_costs_the_same_queries_at_any_size(admin_client, django_assert_num_queries, suffix, level, queries):
    with django_assert_num_queries(queries):
        response = admin_client.get(f"/wilayah/{LEVELS[level]}/2026-10/{suffix}")
    assert response.status_code == 200


@pytest.mark.parametrize(("level", "queries"), [("desa", 8), ("kabupaten", 6)])
def test_the_register_page_costs_the_same_queries_at_any_size(admin_client, django_assert_num_queries, level, queries):
    with django_assert_num_queries(queries):
        response = admin_client.get(f"/register/{LEVELS[level]}/")
    assert response.status_code == 200
