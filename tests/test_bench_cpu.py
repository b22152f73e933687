"""The bench's CPU-per-request figures (bench/figures.py `cpu_per_request`) on a small synthetic
kabupaten: measured, with their queries, and leaving the database as it was."""

import pytest

from bench.figures import cpu_per_request, level_codes
from cadres.periods import add_months, current_period
from reports.demo.synth import Size, synth_kabupaten
from reports.models import MonthlyReport

SMALL = Size(desa=2, rw_per_desa=1, rt_per_rw=2, couples_per_rt=3, months=2)


@pytest.mark.django_db
def test_the_form_its_save_and_the_desa_dashboard_are_measured_and_rolled_back():
    period = add_months(current_period(), -1)  # a month whose form opens, whatever today is
    synth_kabupaten(size=SMALL, until=period)
    codes = level_codes("32.99")
    before = list(MonthlyReport.objects.order_by("pk").values_list("pk", "status", "version"))

    figures = {figure.name: figure for figure in cpu_per_request(codes, period, runs=2)}

    assert list(figures) == ["cpu.report_form.rt", "cpu.report_save.rt", "cpu.dashboard.desa"]
    assert all(figure.ms > 0 and figure.runs == 2 and figure.queries > 0 for figure in figures.values())
    assert list(MonthlyReport.objects.order_by("pk").values_list("pk", "status", "version")) == before
