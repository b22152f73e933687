"""The indicator math, checked against figures computed by hand."""

from decimal import Decimal

import pytest

from cadres import indicators
from cadres.indicators import COUNT_FIELDS, METHODS, imbalance, percent, resolve_targets, summarize

# Karangan Putih, November 2020 (docs/domain.md), summed over the desa.
KARANGAN_PUTIH = {
    "pus": 370,
    "iud_pemerintah": 6, "iud_swasta": 3, "implan_pemerintah": 12, "implan_swasta": 3,
    "mow_pemerintah": 3, "mow_swasta": 0, "mop_pemerintah": 1, "mop_swasta": 0,
    "suntik_pemerintah": 140, "suntik_swasta": 50, "pil_pemerintah": 80, "pil_swasta": 10,
    "kondom_pemerintah": 8, "kondom_swasta": 4,
    "hamil": 10, "ias": 12, "iat": 16, "tial": 12,
    "pb_iud": 1, "pb_implan": 2, "pb_mow": 0, "pb_mop": 0, "pb_suntik": 1, "pb_pil": 1, "pb_kondom": 0,
    "gc_iud": 1, "gc_implan": 2, "gc_mow": 0, "gc_mop": 0, "gc_suntik": 1, "gc_pil": 0, "gc_kondom": 0,
    "pb_pasca": 1,
}


def test_the_key_lists_follow_the_contract():
    assert METHODS == ("iud", "implan", "mow", "mop", "suntik", "pil", "kondom")
    assert indicators.MKJP + indicators.NON_MKJP == METHODS
    assert indicators.PLACES == ("pemerintah", "swasta")
    assert indicators.NON_USERS == ("hamil", "ias", "iat", "tial")
    assert len(COUNT_FIELDS) == 1 + 14 + 4 + 7 + 7 + 1
    assert COUNT_FIELDS[:3] == ("pus", "iud_pemerintah", "iud_swasta")
    assert COUNT_FIELDS[-9:] == ("pb_kondom", "gc_iud", "gc_implan", "gc_mow", "gc_mop", "gc_suntik", "gc_pil",
                                 "gc_kondom", "pb_pasca")
    assert indicators.LATER_FIELDS == COUNT_FIELDS[-8:]  # optional in an import file


def test_karangan_putih_gives_the_published_figures():
    summary = summarize(KARANGAN_PUTIH)
    assert summary == {
        "pus": 370,
        "pa": 320,
        "methods": {"iud": 9, "implan": 15, "mow": 3, "mop": 1, "suntik": 190, "pil": 90, "kondom": 12},
        "places": {"pemerintah": 250, "swasta": 70},
        "mkjp": 28,
        "non_mkjp": 292,
        "non_users": {"hamil": 10, "ias": 12, "iat": 16, "tial": 12},
        "unmet_need": 28,
        "pb": 5,
        "pb_methods": {"iud": 1, "implan": 2, "mow": 0, "mop": 0, "suntik": 1, "pil": 1, "kondom": 0},
        "pb_pasca": 1,
        "gc": 4,
        "gc_methods": {"iud": 1, "implan": 2, "mow": 0, "mop": 0, "suntik": 1, "pil": 0, "kondom": 0},
        "gc_mkjp": 3,  # IUD and implan: the switches an MKJP drive chases
        "pct": {
            "cpr": Decimal("86.49"),  # 320/370 = 86.486...
            "mkjp": Decimal("8.75"),  # 28/320 exactly
            "non_mkjp": Decimal("91.25"),
            "unmet_need": Decimal("7.57"),  # 28/370 = 7.5675...
        },
    }
    assert imbalance(KARANGAN_PUTIH) == 0


def test_the_keys_of_the_summary_are_in_contract_order():
    assert list(summarize(KARANGAN_PUTIH)) == [
        "pus", "pa", "methods", "places", "mkjp", "non_mkjp", "non_users", "unmet_need",
        "pb", "pb_methods", "pb_pasca", "gc", "gc_methods", "gc_mkjp", "pct",
    ]
    assert list(summarize(KARANGAN_PUTIH)["pct"]) == ["cpr", "mkjp", "non_mkjp", "unmet_need"]


def test_nothing_reported_gives_zero_counts_and_null_percentages():
    summary = summarize({field: None for field in COUNT_FIELDS})
    assert summary["pus"] == 0 and summary["pa"] == 0 and summary["pb"] == 0
    assert summary["pct"] == {"cpr": None, "mkjp": None, "non_mkjp": None, "unmet_need": None}


def test_pus_without_users_gives_zero_percent_of_pus_and_null_percent_of_pa():
    summary = summarize({"pus": 4, "hamil": 1, "ias": 1, "iat": 1, "tial": 1})
    assert summary["pct"] == {
        "cpr": Decimal("0.00"), "mkjp": None, "non_mkjp": None, "unmet_need": Decimal("50.00"),
    }


@pytest.mark.parametrize(
    "numerator, denominator, expected",
    [
        (1, 8, "12.50"),
        (1, 3, "33.33"),
        (2, 3, "66.67"),
        (1, 800, "0.13"),  # 0.125: a float would round this to 0.12
        (1, 1600, "0.06"),  # 0.0625
        (3, 800, "0.38"),  # 0.375
        (1, 200000, "0.00"),  # 0.0005
        (1, 20000, "0.01"),  # 0.005
        (5, 5, "100.00"),
        (51, 60, "85.00"),
        (0, 7, "0.00"),
    ],
)
def test_percent_rounds_half_up_to_two_decimals(numerator, denominator, expected):
    assert percent(numerator, denominator) == Decimal(expected)
    assert str(percent(numerator, denominator)) == expected


def test_percent_of_a_zero_denominator_is_none():
    assert percent(0, 0) is None
    assert percent(5, 0) is None


def test_imbalance_says_by_how_much_and_which_way():
    short = {"pus": 370, "suntik_pemerintah": 300, "hamil": 68}
    assert imbalance(short) == -2
    assert imbalance({"pus": 10, "pil_swasta": 11}) == 1


def test_ppm_summary_without_a_target_has_null_total_and_pct():
    assert indicators.ppm_summary(None, {"iud": 3}) == {
        "target": None,
        "pb_ytd": {"iud": 3, "implan": 0, "mow": 0, "mop": 0, "suntik": 0, "pil": 0, "kondom": 0},
        "target_total": None,
        "pb_ytd_total": 3,
        "pct": None,
    }


def test_ppm_summary_with_a_target():
    target = dict.fromkeys(METHODS, 0) | {"iud": 12, "implan": 10, "suntik": 38}
    summary = indicators.ppm_summary(target, {"iud": 9, "implan": 8, "suntik": 34})
    assert summary["target_total"] == 60
    assert summary["pb_ytd_total"] == 51
    assert summary["pct"] == Decimal("85.00")


def test_a_zero_target_gives_a_null_ppm_pct():
    assert indicators.ppm_percent(4, 0) is None
    assert indicators.ppm_percent(4, None) is None


def target(**counts):
    return dict.fromkeys(METHODS, 0) | counts


def test_a_units_own_target_wins_over_its_childrens():
    targets = {"32.14": target(iud=100), "32.14.01": target(iud=7), "32.14.02": target(iud=5)}
    assert resolve_targets(targets, ["32.14"]) == {"32.14": target(iud=100)}


def test_without_an_own_target_the_children_are_summed_recursively():
    targets = {
        # 32.14.01 has no row: its desa rows add up; 32.14.02 has its own row.
        "32.14.01.2001": target(iud=2, pil=1),
        "32.14.01.2002": target(iud=3),
        "32.14.01.2003.001": target(kondom=4),  # a RW row under a desa without a row
        "32.14.02": target(iud=10),
        "32.14.02.2001": target(iud=99),  # ignored: its kecamatan has a row
        "32.15.01": target(iud=1000),  # another kabupaten
    }
    resolved = resolve_targets(targets, ["32.14", "32.14.01", "32.14.01.2003", "32.14.03"])
    assert resolved == {
        "32.14": target(iud=15, pil=1, kondom=4),
        "32.14.01": target(iud=5, pil=1, kondom=4),
        "32.14.01.2003": target(kondom=4),
        "32.14.03": None,
    }


def test_no_target_anywhere_is_none():
    assert resolve_targets({}, ["32.14"]) == {"32.14": None}


@pytest.mark.parametrize(("pb", "pasca", "excess"), [(0, 0, 0), (3, 3, 0), (3, 1, 0), (3, 4, 1), (0, 2, 2)])
def test_pb_pasca_is_a_part_of_the_pb(pb, pasca, excess):
    assert indicators.pb_pasca_excess({"pb_iud": pb, "pb_pasca": pasca}) == excess
