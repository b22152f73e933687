"""The monthly report: its balance rule, its database constraints, its queryset and admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cadres.indicators import COUNT_FIELDS
from reports.models import MonthlyReport, ReportStatus, balance_error
from tests.factories import make_unit
from tests.report_factories import balanced_counts, make_report

RT = "32.14.01.2001.001.001"
NOV = datetime.date(2020, 11, 1)


def unsaved(rt=RT, period=NOV, **counts):
    make_unit(rt)
    return MonthlyReport(rt_id=rt, period=period, **balanced_counts(**counts))


def test_the_count_fields_are_the_contract_columns():
    fields = {field.name for field in MonthlyReport._meta.get_fields()}
    assert set(COUNT_FIELDS) <= fields


def test_a_balanced_report_is_valid(db):
    report = unsaved(pus=370, suntik_pemerintah=300, hamil=10, ias=12, iat=16, tial=12, pil_swasta=20)
    report.full_clean()
    report.save()
    assert report.status == ReportStatus.DRAFT
    assert report.version == 1
    assert report.history.count() == 1


def test_it_rejects_an_unbalanced_report_saying_by_how_much(db):
    report = unsaved(pus=370, suntik_pemerintah=300, hamil=10, ias=12, iat=16, tial=12, pil_swasta=20)
    report.status = ReportStatus.SUBMITTED
    report.pil_swasta = 18
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert error.value.message_dict == {
        "pus": ["Jumlah tidak seimbang: PUS 370, tetapi PA + hamil + IAS + IAT + TIAL = 368 (kurang 2)."]
    }


def test_it_says_when_the_sum_is_over_pus():
    assert balance_error({"pus": 10, "pil_swasta": 11}) == (
        "Jumlah tidak seimbang: PUS 10, tetapi PA + hamil + IAS + IAT + TIAL = 11 (lebih 1)."
    )
    assert balance_error({"pus": 11, "pil_swasta": 11}) is None


def test_it_rejects_a_report_for_a_unit_above_rt(db):
    make_unit("32.14.01.2001.001")
    report = MonthlyReport(rt_id="32.14.01.2001.001", period=NOV)
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert error.value.message_dict == {
        "rt": ["Laporan bulanan hanya untuk wilayah tingkat RT, bukan 32.14.01.2001.001."]
    }


def test_it_rejects_a_period_that_is_not_the_first_of_a_month(db):
    report = unsaved(period=datetime.date(2020, 11, 5))
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert error.value.message_dict == {"period": ["Periode harus hari pertama bulan."]}


def test_a_second_report_for_the_same_rt_and_month_is_invalid(db):
    make_report(RT, "2020-11", pus=3)
    with pytest.raises(ValidationError) as error:
        unsaved(pus=4).full_clean()
    assert list(error.value.message_dict) == ["__all__"]


def test_the_database_refuses_an_unbalanced_report_without_clean(db):
    for status in (ReportStatus.SUBMITTED, ReportStatus.VERIFIED):
        report = unsaved(pus=5, pil_pemerintah=5)
        report.status, report.pus = status, 6
        with pytest.raises(IntegrityError), transaction.atomic():
            report.save()
    assert MonthlyReport.objects.count() == 0


def test_a_draft_or_returned_report_may_not_balance_yet(db):
    for period, status in ((NOV, ReportStatus.DRAFT), (datetime.date(2020, 12, 1), ReportStatus.RETURNED)):
        report = unsaved(period=period, pus=5, pil_pemerintah=5)
        report.status, report.pus = status, 6
        report.full_clean()
        report.save()
    assert MonthlyReport.objects.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():  # but it cannot be sent like that
        MonthlyReport.objects.filter(period=NOV).update(status=ReportStatus.SUBMITTED)


def test_the_database_refuses_an_unbalanced_update(db):
    report = make_report(RT, "2020-11", pus=5, pil_pemerintah=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReport.objects.filter(pk=report.pk).update(pus=4)
    report.refresh_from_db()
    assert report.pus == 5


def test_the_database_refuses_a_negative_count(db):
    # Balanced (5 = 6 - 1) so that only the sign can be refused.
    report = unsaved(pus=5, pil_pemerintah=5)
    report.pil_pemerintah, report.hamil = 6, -1
    with pytest.raises(IntegrityError), transaction.atomic():
        report.save()
    assert MonthlyReport.objects.count() == 0


def test_the_database_refuses_two_reports_for_the_same_rt_and_month(db):
    make_report(RT, "2020-11", pus=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        unsaved(pus=4).save()
    assert MonthlyReport.objects.count() == 1


def test_the_database_refuses_a_report_for_a_unit_above_rt(db):
    make_unit("32.14.01.2001.001")
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReport.objects.create(rt_id="32.14.01.2001.001", period=NOV)


def test_counted_keeps_submitted_and_verified_reports(db):
    for n, status in enumerate(ReportStatus.values, start=1):
        make_report(f"32.14.01.2001.001.00{n}", "2020-11", status=status, pus=n)
    counted = MonthlyReport.objects.counted()
    assert sorted(counted.values_list("status", flat=True)) == ["submitted", "verified"]


def test_in_subtree_is_a_prefix_on_the_rt_code(db):
    for code in ["32.14.01.2001.001.001", "32.14.01.2001.002.001", "32.14.01.2002.001.001"]:
        make_report(code, "2020-11", pus=1)
    in_desa = MonthlyReport.objects.in_subtree("32.14.01.2001")
    assert sorted(in_desa.values_list("rt_id", flat=True)) == [
        "32.14.01.2001.001.001", "32.14.01.2001.002.001",
    ]
    assert MonthlyReport.objects.in_subtree("32.14.01.2001.002.001").count() == 1
    assert MonthlyReport.objects.in_subtree("32.14.01.200").count() == 0


def test_the_admin_lists_and_searches_reports(client, personas):
    make_report("32.14.01.2001.001.001", "2020-11", pus=7)
    make_report("32.14.02.2001.001.001", "2020-11", pus=8)
    client.force_login(personas["admin"].user)
    response = client.get("/admin/reports/monthlyreport/", {"q": "32.14.02"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "32.14.02.2001.001.001" in body and "32.14.01.2001.001.001" not in body
    assert client.get("/admin/reports/monthlyreport/", {"status__exact": "verified"}).status_code == 200
    assert client.get("/admin/reports/ppmtarget/").status_code == 200


def test_reports_can_be_added_or_replaced_in_one_bulk_upsert(db):
    """What import_reports needs: a row maps field for field onto a report, and one statement
    adds new reports and replaces existing ones, on both databases."""
    make_report(RT, "2020-11", status=ReportStatus.DRAFT, pus=3)
    make_unit("32.14.01.2001.001.002")
    rows = [
        {"rt_id": RT, "period": NOV, **balanced_counts(pus=5, pil_swasta=5)},
        {"rt_id": "32.14.01.2001.001.002", "period": NOV, **balanced_counts(pus=2)},
    ]
    MonthlyReport.objects.bulk_create(
        [MonthlyReport(status=ReportStatus.VERIFIED, **row) for row in rows],
        update_conflicts=True, unique_fields=["rt", "period"], update_fields=[*COUNT_FIELDS, "status"],
    )
    replaced = MonthlyReport.objects.get(rt_id=RT, period=NOV)
    assert (replaced.pus, replaced.pil_swasta, replaced.status) == (5, 5, "verified")
    assert MonthlyReport.objects.count() == 2
