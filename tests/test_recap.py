"""The recap rolled up from monthly reports: sums of parts, ratios of sums,
coverage, PPM, and a constant number of queries."""

import datetime
import json

import pytest

from cadres.indicators import COUNT_FIELDS, percent
from reports.models import ReportStatus
from reports.numbers.recap import recap_for, to_jsonable
from tests.factories import make_unit
from tests.report_factories import bulk_reports, bulk_rts, make_report, make_target

NOV = datetime.date(2020, 11, 1)
DESA = "32.14.01.2001"
BIG_RT = "32.14.01.2001.001.001"

# Karangan Putih, November 2020: 370 PUS spread over seven RTs of 300, 10, 12, 15, 11, 12, 10.
KARANGAN_PUTIH_RTS = {
    BIG_RT: dict(
        pus=300, iud_pemerintah=5, iud_swasta=2, implan_pemerintah=10, implan_swasta=2,
        mow_pemerintah=3, mop_pemerintah=1, suntik_pemerintah=110, suntik_swasta=40,
        pil_pemerintah=65, pil_swasta=8, kondom_pemerintah=6, kondom_swasta=3,
        hamil=8, ias=10, iat=15, tial=12, pb_iud=1, pb_implan=2, gc_implan=2, pb_pasca=1,
    ),
    "32.14.01.2001.001.002": dict(pus=10, suntik_pemerintah=5, suntik_swasta=2, pil_pemerintah=2, hamil=1),
    "32.14.01.2001.001.003": dict(
        pus=12, iud_pemerintah=1, suntik_pemerintah=5, pil_pemerintah=3, pil_swasta=1, kondom_pemerintah=1, ias=1,
        gc_iud=1,
    ),
    "32.14.01.2001.002.001": dict(
        pus=15, implan_pemerintah=2, suntik_pemerintah=6, suntik_swasta=3, pil_pemerintah=3, iat=1, pb_suntik=1,
    ),
    "32.14.01.2001.002.002": dict(
        pus=11, iud_swasta=1, suntik_pemerintah=5, suntik_swasta=2, pil_pemerintah=2, hamil=1,
    ),
    "32.14.01.2001.002.003": dict(
        pus=12, implan_swasta=1, suntik_pemerintah=5, suntik_swasta=2, pil_pemerintah=2, pil_swasta=1,
        kondom_swasta=1,
    ),
    "32.14.01.2001.002.004": dict(
        pus=10, suntik_pemerintah=4, suntik_swasta=1, pil_pemerintah=3, kondom_pemerintah=1, ias=1, pb_pil=1,
        gc_suntik=1,
    ),
}
KARANGAN_PUTIH_TARGET = dict(iud=12, implan=10, mow=2, mop=1, suntik=20, pil=12, kondom=3)  # 60


@pytest.fixture
def karangan_putih(db):
    make_unit(DESA, "Karangan Putih")
    for code, counts in KARANGAN_PUTIH_RTS.items():
        make_report(code, "2020-11", **counts)
    # PB earlier in the year count towards the PPM; December 2019 and 2020 do not.
    make_report(BIG_RT, "2020-06", pus=300, pb_iud=8, pb_implan=6, pb_mow=1, pb_suntik=18, pb_pil=10, pb_kondom=3)
    make_report(BIG_RT, "2019-12", pus=300, pb_iud=5)
    make_report(BIG_RT, "2020-12", pus=300, pb_iud=7)
    make_target(DESA, 2020, **KARANGAN_PUTIH_TARGET)
    make_target(DESA, 2021, iud=500)
    return DESA


def recap_of(code, period=NOV):
    from cadres.models import Unit

    return to_jsonable(recap_for(Unit.objects.get(code=code), period))


def test_karangan_putih_comes_out_exactly_at_desa_level(karangan_putih):
    recap = recap_of(DESA)
    children = recap.pop("children")
    assert recap == {
        "unit": {"code": DESA, "name": "Karangan Putih", "level": "desa"},
        "period": "2020-11",
        "source": "reports",
        "pus": 370, "pa": 320,
        "methods": {"iud": 9, "implan": 15, "mow": 3, "mop": 1, "suntik": 190, "pil": 90, "kondom": 12},
        "places": {"pemerintah": 250, "swasta": 70},
        "mkjp": 28, "non_mkjp": 292,
        "non_users": {"hamil": 10, "ias": 12, "iat": 16, "tial": 12},
        "unmet_need": 28,
        "pb": 5, "pb_methods": {"iud": 1, "implan": 2, "mow": 0, "mop": 0, "suntik": 1, "pil": 1, "kondom": 0},
        "pb_pasca": 1,
        "gc": 4, "gc_methods": {"iud": 1, "implan": 2, "mow": 0, "mop": 0, "suntik": 1, "pil": 0, "kondom": 0},
        "gc_mkjp": 3,
        "pct": {"cpr": 86.49, "mkjp": 8.75, "non_mkjp": 91.25, "unmet_need": 7.57},
        "reports": {"expected": 7, "received": 7},
        "ppm": {
            "year": 2020,
            "target": KARANGAN_PUTIH_TARGET,
            "pb_ytd": {"iud": 9, "implan": 8, "mow": 1, "mop": 0, "suntik": 19, "pil": 11, "kondom": 3},
            "target_total": 60, "pb_ytd_total": 51, "pct": 85.0,
        },
    }
    assert [child["unit"]["code"] for child in children] == [DESA + ".001", DESA + ".002"]


def test_the_json_keys_are_in_contract_order(karangan_putih):
    recap = recap_of(DESA)
    keys = ["pus", "pa", "methods", "places", "mkjp", "non_mkjp", "non_users", "unmet_need", "pb",
            "pb_methods", "pb_pasca", "gc", "gc_methods", "gc_mkjp", "pct", "reports", "ppm"]
    assert list(recap) == ["unit", "period", "source", *keys, "children"]
    assert list(recap["children"][0]) == ["unit", *keys]
    assert list(recap["ppm"]) == ["year", "target", "pb_ytd", "target_total", "pb_ytd_total", "pct"]
    assert '"cpr": 86.49, "mkjp": 8.75' in json.dumps(recap)


def test_each_rw_gets_the_ratio_of_its_own_sums(karangan_putih):
    rw1, rw2 = recap_of(DESA)["children"]
    assert (rw1["pus"], rw1["pa"], rw1["mkjp"], rw1["unmet_need"]) == (322, 275, 24, 27)
    assert rw1["pct"] == {"cpr": 85.40, "mkjp": 8.73, "non_mkjp": 91.27, "unmet_need": 8.39}
    assert rw1["reports"] == {"expected": 3, "received": 3}
    assert (rw2["pus"], rw2["pa"], rw2["mkjp"], rw2["unmet_need"]) == (48, 45, 4, 1)
    assert rw2["pct"] == {"cpr": 93.75, "mkjp": 8.89, "non_mkjp": 91.11, "unmet_need": 2.08}
    assert rw2["reports"] == {"expected": 4, "received": 4}
    # No RW has a target of its own, and the desa's is not split down.
    assert rw1["ppm"]["target"] is None and rw1["ppm"]["pct"] is None
    assert rw1["ppm"]["pb_ytd_total"] == 49 and rw2["ppm"]["pb_ytd_total"] == 2


def test_the_desa_is_not_the_average_of_its_rws(karangan_putih):
    recap = recap_of(DESA)
    average = sum(child["pct"]["cpr"] for child in recap["children"]) / 2
    assert round(average, 2) == 89.58
    assert recap["pct"]["cpr"] == 86.49


def sum_of(recaps, key):
    values = [recap[key] for recap in recaps]
    if isinstance(values[0], dict):
        return {name: sum(value[name] for value in values) for name in values[0]}
    return sum(values)


def assert_is_the_sum_of_its_parts(recap):
    parts = recap["children"]
    for key in ["pus", "pa", "methods", "places", "mkjp", "non_mkjp", "non_users", "unmet_need", "pb",
                "pb_methods", "pb_pasca", "gc", "gc_methods", "gc_mkjp", "reports"]:
        assert recap[key] == sum_of(parts, key), (recap["unit"]["code"], key)
    assert recap["ppm"]["pb_ytd"] == sum_of([part["ppm"] for part in parts], "pb_ytd")
    ratio = percent(recap["pa"], recap["pus"])
    assert recap["pct"]["cpr"] == (float(ratio) if ratio is not None else None)


@pytest.fixture
def kabupaten(karangan_putih):
    make_report("32.14.01.2002.001.001", "2020-11", pus=30, iud_pemerintah=20, iat=10, pb_iud=3)
    make_report("32.14.01.2002.002.001", "2020-11", pus=25, pil_swasta=5)
    make_report("32.14.02.2001.001.001", "2020-11", pus=1000, suntik_swasta=900, tial=100, pb_suntik=40)
    make_report("32.14.02.2001.001.001", "2020-03", pus=990, pb_mop=2)
    make_unit("32.14.02.2001.001.002")  # expected, never reports
    make_unit("32.14.03")  # a kecamatan without any RT
    make_report("32.15.01.2001.001.001", "2020-11", pus=77)  # another kabupaten
    return make_unit("32.14")


@pytest.mark.parametrize(
    "code", ["32.14", "32.14.01", "32.14.01.2001", "32.14.01.2001.002", "32.14.02"]
)
def test_every_total_is_the_sum_of_its_parts(kabupaten, code):
    assert_is_the_sum_of_its_parts(recap_of(code))


def test_the_kabupaten_totals(kabupaten):
    recap = recap_of("32.14")
    assert [child["unit"]["code"] for child in recap["children"]] == ["32.14.01", "32.14.02", "32.14.03"]
    assert (recap["pus"], recap["pa"], recap["mkjp"], recap["unmet_need"]) == (1425, 1245, 48, 138)
    assert recap["pct"] == {"cpr": 87.37, "mkjp": 3.86, "non_mkjp": 96.14, "unmet_need": 9.68}
    assert recap["reports"] == {"expected": 11, "received": 11 - 1}
    assert recap["ppm"]["target"] == KARANGAN_PUTIH_TARGET  # only the desa has a row: summed up
    assert recap["ppm"]["pb_ytd_total"] == 51 + 3 + 40 + 2
    empty = recap["children"][2]
    assert empty["pus"] == 0 and empty["pct"] == {"cpr": None, "mkjp": None, "non_mkjp": None, "unmet_need": None}
    assert empty["reports"] == {"expected": 0, "received": 0}


def test_the_kabupaten_cpr_differs_from_the_average_of_its_kecamatan(kabupaten):
    recap = recap_of("32.14")
    kecamatan = [child for child in recap["children"] if child["pus"]]
    assert [child["pct"]["cpr"] for child in kecamatan] == [81.18, 90.0]  # 345/425 and 900/1000
    assert recap["pct"]["cpr"] == 87.37  # 1245/1425, not (81.18 + 90.0) / 2 = 85.59


def test_an_rt_recap_has_no_children(karangan_putih):
    recap = recap_of(BIG_RT)
    assert recap["children"] == []
    assert recap["pus"] == 300 and recap["reports"] == {"expected": 1, "received": 1}
    assert recap["ppm"]["pb_ytd_total"] == 3 + 46


def test_drafts_and_returned_reports_are_not_counted(db):
    statuses = [ReportStatus.VERIFIED, ReportStatus.SUBMITTED, ReportStatus.DRAFT, ReportStatus.RETURNED]
    for n, status in enumerate(statuses, start=1):
        make_report(f"{DESA}.001.00{n}", "2020-11", status=status, pus=10 * n, pil_pemerintah=n, pb_pil=n)
    make_unit(f"{DESA}.001.005")
    recap = recap_of(DESA)
    assert recap["pus"] == 10 + 20
    assert recap["pa"] == 1 + 2
    assert recap["pb"] == 1 + 2 and recap["ppm"]["pb_ytd_total"] == 1 + 2
    assert recap["reports"] == {"expected": 5, "received": 2}


def test_a_month_without_reports_has_zeros_and_nulls(karangan_putih):
    recap = recap_of(DESA, datetime.date(2020, 10, 1))
    assert recap["pus"] == 0 and recap["pa"] == 0
    assert recap["pct"] == {"cpr": None, "mkjp": None, "non_mkjp": None, "unmet_need": None}
    assert recap["reports"] == {"expected": 7, "received": 0}
    assert recap["ppm"]["pb_ytd_total"] == 46
    assert recap["ppm"]["pct"] == 76.67  # 46/60


def test_an_own_target_wins_over_the_childrens(karangan_putih):
    make_target("32.14.01", 2020, iud=1)
    make_target("32.14.01.2002", 2020, iud=1000)
    kecamatan = recap_of("32.14.01")
    assert kecamatan["ppm"]["target_total"] == 1
    assert [child["ppm"]["target_total"] for child in kecamatan["children"]] == [60, 1000]


def test_targets_are_summed_from_the_children_when_there_is_no_own_row(karangan_putih):
    make_target("32.14.01.2002", 2020, iud=40)
    make_target("32.14.02.2001.001", 2020, pil=5)  # a RW's row counts for its kabupaten
    recap = recap_of("32.14")
    assert recap["ppm"]["target"] == KARANGAN_PUTIH_TARGET | {"iud": 52, "pil": 17}
    assert recap["ppm"]["target_total"] == 105
    assert recap["ppm"]["pct"] == 48.57  # 51/105


def test_without_any_target_the_ppm_target_and_pct_are_null(db):
    make_report(BIG_RT, "2020-11", pus=5, pb_pil=2)
    make_target(DESA, 2019, pil=10)
    assert recap_of(DESA)["ppm"] == {
        "year": 2020, "target": None,
        "pb_ytd": {"iud": 0, "implan": 0, "mow": 0, "mop": 0, "suntik": 0, "pil": 2, "kondom": 0},
        "target_total": None, "pb_ytd_total": 2, "pct": None,
    }


@pytest.mark.parametrize("fanout, rts", [((1, 1, 2, 5), 10), ((4, 25, 2, 5), 1000)])
def test_the_kabupaten_recap_takes_the_same_number_of_queries_for_10_and_1000_rts(
    db, django_assert_num_queries, fanout, rts
):
    kabupaten = make_unit("32.14")
    codes = bulk_rts("32.14", *fanout)
    assert len(codes) == rts
    bulk_reports(codes, "2020-11", pus=20, pil_pemerintah=15, iat=2, pb_pil=1)
    bulk_reports(codes[::2], "2020-10", pus=20, pb_iud=1)
    make_target("32.14.01.2001", 2020, iud=10)
    # The children with the RTs expected, the children's sums per month since January, the targets.
    with django_assert_num_queries(3):
        recap = recap_for(kabupaten, NOV)
    assert recap["pus"] == 20 * rts and recap["pa"] == 15 * rts
    assert recap["reports"] == {"expected": rts, "received": rts}
    assert recap["ppm"]["pb_ytd_total"] == rts + len(codes[::2])
    assert len(recap["children"]) == fanout[0]
    assert_is_the_sum_of_its_parts(to_jsonable(recap))


def test_the_counts_are_plain_integers(karangan_putih):
    recap = recap_for(make_unit(DESA), NOV)
    assert all(type(recap[key]) is int for key in ["pus", "pa", "mkjp", "non_mkjp", "unmet_need", "pb"])
    assert set(COUNT_FIELDS) >= {f"pb_{method}" for method in recap["pb_methods"]}


def test_another_source_plugs_in_as_a_rollup_function(karangan_putih, monkeypatch):
    from reports.numbers import recap as recap_module
    from reports.numbers.rollup import Sums

    def one_couple_per_rt(code, period):
        return Sums(counts={"pus": 1, "pil_swasta": 1}, received=1, expected=1), {}

    monkeypatch.setitem(recap_module.SOURCES, "register", one_couple_per_rt)
    recap = to_jsonable(recap_for(make_unit(BIG_RT), NOV, source="register"))
    assert (recap["source"], recap["pus"], recap["pa"], recap["pct"]["cpr"]) == ("register", 1, 1, 100.0)
