"""The synthetic kabupaten of `manage.py synth` (reports.demo.synth), at a small size."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from cadres.models import Couple, CoupleStatus, Unit
from cadres.register.rules import link_statuses, statuses_off_their_rt
from reports.demo.synth import Size, SynthRefused, synth_fingerprint, synth_kabupaten
from reports.models import MonthlyReport, PpmTarget, ReportStatus, balance_error, rt_subtree_q
from tests.register_factories import make_couple

SMALL = Size(desa=3, rw_per_desa=2, rt_per_rw=2, couples_per_rt=5, months=3)
UNTIL = datetime.date(2026, 10, 1)


def synth(**options):
    return synth_kabupaten(**{"size": SMALL, "until": UNTIL} | options)


@pytest.mark.django_db
def test_two_runs_make_the_same_rows_and_another_seed_does_not():
    synth()
    first = synth_fingerprint("32.99")
    synth(replace=True)
    assert synth_fingerprint("32.99") == first
    synth(replace=True, seed=2)
    assert synth_fingerprint("32.99") != first


@pytest.mark.django_db
def test_it_makes_the_tree_register_reports_and_targets_asked_for():
    result = synth()
    assert (result.units, result.couples, result.reports, result.targets) == (23, 60, 36, 3)
    assert Unit.objects.get(code="32").name == "Provinsi 32"
    assert Unit.objects.subtree("32.99").at_level("kecamatan").count() == 1
    assert list(Unit.objects.subtree("32.99").at_level("desa").values_list("code", flat=True)) == [
        "32.99.01.2001", "32.99.01.2002", "32.99.01.2003",
    ]
    assert Unit.objects.get(code="32.99.01.2001.002.001").parent_id == "32.99.01.2001.002"
    assert Couple.objects.in_subtree("32.99").count() == 60
    assert CoupleStatus.objects.filter(rt_subtree_q("32.99", "couple__rt__code")).count() == result.statuses
    assert sorted(MonthlyReport.objects.order_by().values_list("period", flat=True).distinct()) == [
        datetime.date(2026, 8, 1), datetime.date(2026, 9, 1), datetime.date(2026, 10, 1),
    ]
    assert sorted(PpmTarget.objects.values_list("unit_id", "year")) == [
        ("32.99.01.2001", 2026), ("32.99.01.2002", 2026), ("32.99.01.2003", 2026),
    ]


@pytest.mark.django_db
def test_every_report_balances_and_only_the_last_month_is_still_coming_in():
    synth()
    for report in MonthlyReport.objects.all():
        assert balance_error(report.counts()) is None
        assert report.pus > 0
    earlier = MonthlyReport.objects.exclude(period=UNTIL)
    assert set(earlier.values_list("status", flat=True)) == {ReportStatus.VERIFIED}
    assert not earlier.filter(submitted_at=None).exists()


@pytest.mark.django_db
def test_statuses_are_linked_by_the_register_rule():
    synth()
    couples = Couple.objects.in_subtree("32.99").prefetch_related("statuses")
    for couple in couples:
        rows = list(couple.statuses.all())
        assert rows[0].since == couple.registered_on
        # kind, is_pb and until already as the register sets them
        assert link_statuses(rows, first_use=couple.first_use, ever_used=couple.ever_used) == []
    assert CoupleStatus.objects.filter(is_pb=True).exists()
    assert statuses_off_their_rt() == []  # each row carries its couple's RT


@pytest.mark.django_db
def test_a_bigger_kabupaten_keeps_the_smaller_ones_desa():
    synth()
    small = list(MonthlyReport.objects.in_subtree("32.99.01.2001").order_by("rt_id", "period").values())
    synth(size=SMALL.scaled(2), replace=True)
    assert Unit.objects.subtree("32.99").at_level("desa").count() == 6
    big = list(MonthlyReport.objects.in_subtree("32.99.01.2001").order_by("rt_id", "period").values())
    assert [{k: v for k, v in row.items() if k not in ("id", "updated_at")} for row in big] == [
        {k: v for k, v in row.items() if k not in ("id", "updated_at")} for row in small
    ]


@pytest.mark.django_db
def test_it_refuses_a_kabupaten_with_data_unless_replace():
    synth()
    with pytest.raises(SynthRefused, match="sudah berisi data; pakai --replace"):
        synth()
    with pytest.raises(SynthRefused, match="bukan kode kabupaten"):
        synth(code="32.99.01")


def test_replace_leaves_other_kabupaten_alone_and_new_couples_get_fresh_ids(tree):
    make_couple("32.14.01.2001.001.001")
    units = Unit.objects.subtree("32.14").count()
    synth()
    synth(replace=True)
    assert Unit.objects.subtree("32.14").count() == units == 13
    assert Couple.objects.in_subtree("32.14").count() == 1
    # The sequence was moved past the ids synth gave, so the ORM can add couples after it.
    couple = make_couple("32.99.01.2001.001.001")
    assert couple.pk > max(Couple.objects.exclude(pk=couple.pk).values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_command_builds_and_refuses(capsys):
    call_command("synth", "--desa", "1", "--months", "2")
    out = capsys.readouterr().out
    assert out.startswith("synth 32.99: 28 wilayah, 27 institusi IMP, 500 pasangan, ")
    assert " 40 laporan bulanan, 1 target PPM dalam " in out
    with pytest.raises(CommandError, match="kabupaten 32.99 sudah berisi data"):
        call_command("synth", "--desa", "1")


@pytest.mark.django_db
def test_a_province_is_kabupaten_made_alike_with_their_sums_and_counts_of_rts():
    from cadres.models import rts_differences
    from reports.demo.synth import synth_province
    from reports.models import KabupatenMonthSums
    from reports.numbers import summary

    result = synth_province(code="99", kabupaten=3, size=SMALL, until=UNTIL)
    assert (result.units, result.couples, result.reports) == (3 * 23, 3 * 60, 3 * 36)
    assert list(Unit.objects.filter(parent_id="99").values_list("code", "rts")) == [
        ("99.01", 12), ("99.02", 12), ("99.03", 12)]
    assert Unit.objects.get(code="99").rts == 36
    assert KabupatenMonthSums.objects.filter(period=UNTIL).count() == 3
    assert summary.desa_months_differences() == [] and rts_differences() == []
    synth_province(code="99", kabupaten=3, size=SMALL, until=UNTIL, replace=True)  # made again, the same
    assert Unit.objects.get(code="99").rts == 36 and rts_differences() == []
    assert summary.desa_months_differences() == []
    with pytest.raises(SynthRefused):
        synth_province(code="32.14", kabupaten=3, size=SMALL)
    call_command("synth", "--provinsi", "98", "--kabupaten-count", "2", "--desa", "1", "--months", "2")
    assert Unit.objects.get(code="98").rts == 2 * 20
