"""The `angka` and `persen` template filters: Indonesian numbers on pages and PDFs."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import number_format, reset_format_cache
from hypothesis import given
from hypothesis import strategies as st

from reports.templatetags.kb_format import angka, persen, separators_of


@pytest.mark.parametrize(
    "value, shown",
    [(0, "0"), (7, "7"), (370, "370"), (1234, "1.234"), (38_000_000, "38.000.000"), (-1234, "-1.234"),
     (None, "—")],
)
def test_angka_groups_thousands_with_a_dot(value, shown):
    assert angka(value) == shown


@pytest.mark.parametrize(
    "value, shown",
    [
        (Decimal("86.49"), "86,49%"),
        (Decimal("8.75"), "8,75%"),
        (Decimal("85.00"), "85,00%"),
        (85.0, "85,00%"),
        (86.49, "86,49%"),
        (0, "0,00%"),
        (Decimal("0.125"), "0,13%"),  # half-up, where cutting off would give 0,12
        (Decimal("7.5675"), "7,57%"),
        (Decimal("1234.5"), "1.234,50%"),
        (None, "—"),
    ],
)
def test_persen_has_two_decimals_and_a_decimal_comma(value, shown):
    assert persen(value) == shown


def test_text_that_is_not_a_number_is_left_alone():
    assert angka("abc") == "abc"
    assert persen("abc") == "abc"


def test_the_filters_work_in_a_template_without_dots_in_years():
    template = Template("{% load kb_format %}{{ year }} {{ pus|angka }} {{ cpr|persen }} {{ none|persen }}")
    context = Context({"year": 2020, "pus": 1234, "cpr": Decimal("86.49"), "none": None})
    assert template.render(context) == "2020 1.234 86,49% —"


def test_the_format_is_the_indonesian_locales():
    with translation.override("id"):
        assert persen(Decimal("8.75")) == "8,75%"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_angka_is_django_s_number_format_with_grouping(value):
    assert angka(value) == number_format(value, use_l10n=True, force_grouping=True)


@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=4))
def test_persen_is_django_s_number_format_of_the_rounded_value(value):
    rounded = Decimal(str(value)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert persen(value) == number_format(rounded, decimal_pos=2, use_l10n=True, force_grouping=True) + "%"


@pytest.fixture
def grouped_3_and_2(settings):
    settings.FORMAT_MODULE_PATH = ["tests.formats"]
    reset_format_cache()
    separators_of.cache_clear()
    yield
    reset_format_cache()
    separators_of.cache_clear()


def test_a_language_that_does_not_group_by_threes_gets_django_s_format(grouped_3_and_2):
    with translation.override("id"):
        assert angka(1234567) == number_format(1234567, use_l10n=True, force_grouping=True) == "12,34,567"
        assert persen(Decimal("123456.5")) == "1,23,456.50%"
