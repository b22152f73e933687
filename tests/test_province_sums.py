"""Above kabupaten: the per-kabupaten monthly sums (`KabupatenMonthSums`) and every unit's count of
RTs (`Unit.rts`) that a province's recap reads instead of its desa's rows and its 120,000 RTs.
Checked by number through the workflow, against the RT reports, after bulk inserts and deletes
of units, and with two writers racing in two desa of one kabupaten."""

import datetime

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from cadres.indicators import resolve_targets
from cadres.models import Unit, recount_rts, rts_differences
from reports.models import KabupatenMonthSums, MonthlyReport, PpmTarget, ReportStatus
from reports.monthly.workflow import report_return, report_submit, report_verify
from reports.numbers import rollup, summary
from reports.numbers.recap import recap_for
from tests import fuzz_stats
from tests.factories import make_unit
from tests.form_fuzz import fuzz
from tests.report_factories import balanced_counts, bulk_rts, make_report, make_target
from tests.test_desa_month_sums import race_two_senders
from tests.test_import_wilayah import run as import_wilayah, write_csv

NOV, OCT = datetime.date(2020, 11, 1), datetime.date(2020, 10, 1)
A1, A2 = "32.14.01.2001.001.001", "32.14.01.2002.001.001"  # two desa of Purwakarta
B1 = "32.15.01.2001.001.001"  # Karawang


def kabupaten_month(kabupaten="32.14", period=NOV):
    rows = KabupatenMonthSums.objects.filter(kabupaten_id=kabupaten, period=period)
    return rows.values_list("received", "pus", "pb_pil", "pb_ytd_pil").first()


def test_a_kabupatens_row_is_the_sum_of_its_desa_through_the_workflow(personas):
    kader, pkb = personas["kader"].user, personas["pkb"].user
    make_report(A2, NOV, pus=4, pil_swasta=4, pb_pil=1)
    make_report(A2, OCT, pus=3, pil_swasta=3, pb_pil=5)
    make_report(B1, NOV, pus=50, pil_swasta=50, pb_pil=9)
    assert kabupaten_month() == (1, 4, 1, 6)
    assert kabupaten_month(period=OCT) == (1, 3, 5, 5)
    assert kabupaten_month(period=datetime.date(2020, 12, 1)) == (0, 0, 0, 6)
    sent = report_submit(rt=Unit.objects.get(code=A1), period=NOV, counts=balanced_counts(pus=7, pil_swasta=7, pb_pil=2),
                         corrections={}, version=0, by=kader)
    assert kabupaten_month() == (2, 11, 3, 8)
    assert kabupaten_month(period=datetime.date(2020, 12, 1)) == (0, 0, 0, 8)
    report_return(report=sent, comment="ulang", by=pkb)
    assert kabupaten_month() == (1, 4, 1, 6)
    assert kabupaten_month("32.15") == (1, 50, 9, 9)  # the other kabupaten untouched
    assert summary.desa_months_differences() == []


def test_a_province_recap_reads_the_kabupaten_rows_and_equals_the_rt_reports(tree):
    for rt, pus in ((A1, 30), (A2, 9), ("32.14.02.2001.001.001", 4), (B1, 50)):
        make_report(rt, NOV, pus=pus, iud_swasta=pus // 3, pil_pemerintah=pus // 2, pb_iud=1)
        make_report(rt, datetime.date(2020, 1, 1), pus=pus, kondom_swasta=1, pb_kondom=2)
    make_report("32.14.01.2001.001.002", NOV, status=ReportStatus.DRAFT, pus=99, pil_swasta=99)
    assert type(rollup.counted_reports("32")) is rollup.KabupatenMonthRows
    assert rollup.rollup(rollup.KabupatenMonthRows(), "32", NOV) == rollup.rollup(rollup.ReportRows(), "32", NOV)
    recap = recap_for(Unit.objects.get(code="32"), NOV)
    assert (recap["pus"], recap["reports"]["received"], recap["reports"]["expected"]) == (93, 4, 5)
    assert recap["ppm"]["pb_ytd_total"] == 4 + 4 * 2
    by_child = {child["unit"]["code"]: (child["pus"], child["reports"]["received"], child["reports"]["expected"])
                for child in recap["children"]}
    assert by_child == {"32.14": (43, 3, 4), "32.15": (50, 1, 1)}


def test_the_counts_of_rts_follow_saves_deletes_and_bulk_inserts(tree):
    assert dict(Unit.objects.filter(code__in=["32", "32.14", "32.14.01", "32.14.01.2001", "32.15"])
                .values_list("code", "rts")) == {"32": 5, "32.14": 4, "32.14.01": 3, "32.14.01.2001": 2, "32.15": 1}
    make_unit("32.14.01.2001.002.001")
    Unit.objects.get(code="32.14.01.2001.002.001").save()  # saved again: not counted twice
    assert Unit.objects.get(code="32").rts == 6
    Unit.objects.filter(code="32.14.01.2001.001.002").delete()
    assert Unit.objects.get(code="32.14.01.2001").rts == 2
    make_unit("32.15.01.2002")
    bulk_rts("32.15.01.2002", 2, 6)  # 12 RTs in one insert
    assert (Unit.objects.get(code="32.15").rts, Unit.objects.get(code="32").rts) == (13, 17)
    Unit.objects.filter(code="32.14").update(rts=0)  # gone wrong outside the app
    assert rts_differences() == ["32.14 0≠4"]
    recount_rts("32.14.02")  # recounts its ancestors too
    assert rts_differences() == []
    expected = rollup.expected_rts("32")
    assert expected == (17, {"32.14": 4, "32.15": 13})


def test_a_wilayah_import_counts_the_rts_it_adds(tree, tmp_path):
    path = write_csv(tmp_path / "wilayah", [
        ["kode", "nama"], ["32.14.03", "Kec Baru"], ["32.14.03.2001", "Desa Baru"], ["32.14.03.2001.001", "RW 001"],
        ["32.14.03.2001.001.001", "RT 001"], ["32.14.03.2001.001.002", "RT 002"],
    ])
    assert import_wilayah(path)[0] == 0
    assert dict(Unit.objects.filter(code__in=["32", "32.14", "32.14.03"]).values_list("code", "rts")) == {
        "32": 7, "32.14": 6, "32.14.03": 2}
    assert rts_differences() == []


@pytest.mark.django_db(transaction=True)
def test_two_writers_in_two_desa_of_one_kabupaten_racing_on_postgresql_are_both_counted(tree, monkeypatch):
    """The desa differ, so only the kabupaten's lock keeps the second writer from adding its change
    to a kabupaten row read before the first one committed."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs two concurrent writers: PostgreSQL")
    make_report("32.14.02.2001.001.001", NOV, pus=1, hamil=1)
    for rt in (A1, A2):
        make_report(rt, NOV, status=ReportStatus.DRAFT, pus=5, pil_swasta=5, pb_pil=1)
    assert race_two_senders(monkeypatch, "_kabupaten_add", A1, A2) == []
    assert kabupaten_month() == (3, 11, 2, 2)
    assert summary.desa_months_differences() == []


TARGET_UNITS = ["32", "32.14", "32.14.01", "32.14.01.2001", "32.14.01.2001.001", "32.14.01.2001.001.001",
                "32.14.01.2001.001.002", "32.14.01.2002", "32.14.02", "32.14.02.2001.001.001", "32.15",
                "32.15.01.2001", "32.15.01.2001.001.001"]
any_targets = st.lists(st.tuples(st.sampled_from(TARGET_UNITS), st.integers(0, 50), st.integers(0, 9)),
                       max_size=10, unique_by=lambda row: row[0])


def test_the_targets_summed_in_the_database_are_the_pure_rule_for_any_rows(tree):
    for code in TARGET_UNITS:
        make_unit(code)

    @fuzz(25)
    @given(any_targets)
    def check(rows):
        fuzz_stats.generated_inputs += 1
        PpmTarget.objects.all().delete()
        for code, iud, pil in rows:
            make_target(code, 2020, iud=iud, pil=pil)
        kept = rollup.targets_in_subtree("32", 2020)
        for code in ("32", "32.14", "32.14.01", "32.14.01.2001", "32.14.01.2001.001", "32.14.01.2001.001.001"):
            wanted = [code, *Unit.objects.filter(parent_id=code).values_list("code", flat=True)]
            pure = {unit: target for unit, target in resolve_targets(kept, wanted).items() if target is not None}
            assert rollup.resolved_targets(code, 2020) == pure, (code, rows)

    check()


def test_a_recap_reads_the_targets_in_one_query_whatever_the_rows(tree, django_assert_num_queries):
    make_target("32.14", 2020, iud=100)
    make_target("32.14.01.2001", 2020, iud=7)  # under a kabupaten with its own row: not added again
    make_target("32.15.01.2001", 2020, iud=3, pil=2)
    with django_assert_num_queries(1):
        targets = rollup.resolved_targets("32", 2020)
    assert {code: (target["iud"], target["pil"]) for code, target in targets.items()} == {
        "32": (103, 2), "32.14": (100, 0), "32.15": (3, 2)}


def test_a_provinces_dashboard_reads_the_sums_and_counts_the_verified_from_them(personas, client,
                                                                                django_assert_max_num_queries):
    pkb = personas["pkb"].user
    make_report(A1, NOV, status=ReportStatus.SUBMITTED, pus=6, pil_swasta=6)
    make_report(A2, NOV, status=ReportStatus.SUBMITTED, pus=4, pil_swasta=4)
    make_report(B1, NOV, pus=5, iud_swasta=5)
    report_verify(report=MonthlyReport.objects.get(rt_id=A2, period=NOV), by=pkb)
    assert list(KabupatenMonthSums.objects.filter(period=NOV).values_list("kabupaten_id", "received", "verified")
                .order_by("kabupaten_id")) == [("32.14", 2, 1), ("32.15", 1, 1)]
    client.force_login(personas["admin"].user)
    with django_assert_max_num_queries(13):
        response = client.get("/wilayah/32/2020-11/")
    assert response.status_code == 200
    context = response.context
    assert (context["recap"]["pus"], context["verified_count"], context["sent_only"]) == (15, 2, 1)
    assert context["missing"].total == 2 and not context["missing"].listed  # 5 RTs, 3 in
    assert context["drop_outs"] == {} and context["imp_report"] is None
    assert "Jumlah per" in response.content.decode()
    kabupaten = client.get("/wilayah/32.14/2020-11/").context  # a kabupaten still lists and counts them all
    assert kabupaten["missing"].listed and kabupaten["imp_report"] is not None
    assert kabupaten["verified_count"] == 1 and set(kabupaten["drop_outs"]) >= {"ias", "iat", "tial"}
