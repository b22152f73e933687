"""Numbers in Indonesian format for pages and PDFs: `1.234` and `8,75%`; "—" for no value.

Grouping is forced here rather than with USE_THOUSAND_SEPARATOR, which would also put dots in
years and unit codes. A dashboard shows some 200 numbers: where the language groups digits by
threes (Indonesian does), Python's own grouping gives Django's result at a fraction of its cost
(tests/test_kb_format.py compares both); other languages go through Django's `number_format`.

`peta_houses` writes the Peta PUS's houses, the same markup the template's loop wrote: an RT's
30–50 houses were a third of its dashboard's template time.
"""

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from html import escape

from django import template
from django.utils import translation
from django.utils.formats import get_format, number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

NO_VALUE = "—"
ZERO = Decimal("0.00")


@register.filter
def angka(value):
    """An integer with a thousands dot: 1234 → `1.234`; None → `—`."""
    if value is None or value == "":
        return NO_VALUE
    separators = _separators() if type(value) is int else None
    if separators:
        return f"{value:,}".translate(separators)
    try:
        return number_format(value, use_l10n=True, force_grouping=True)
    except (TypeError, ValueError, InvalidOperation):
        return value


@register.filter
def persen(value):
    """A percentage with 2 decimals and a decimal comma: 8.75 → `8,75%`; None → `—`.

    Rounded half-up first: Django's number_format cuts the extra decimals off.
    """
    if value is None or value == "":
        return NO_VALUE
    try:
        rounded = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (TypeError, ValueError, InvalidOperation):
        return value
    separators = _separators()
    if separators and rounded.is_finite():
        rounded = rounded if rounded else ZERO  # no "-0,00", as Django
        return f"{rounded:,.2f}".translate(separators) + "%"
    return number_format(rounded, decimal_pos=2, use_l10n=True, force_grouping=True) + "%"


def _separators() -> dict | None:
    """A translation table from Python's separators (`1,234.5`) to the active language's, when it
    groups digits by threes; None otherwise."""
    return separators_of(get_language())


@functools.cache
def separators_of(language: str) -> dict | None:
    """`_separators` of a language, looked up once per process (formats are part of the code)."""
    with translation.override(language):
        if get_format("NUMBER_GROUPING") != 3:
            return None
        return str.maketrans({",": get_format("THOUSAND_SEPARATOR"), ".": get_format("DECIMAL_SEPARATOR")})


@register.filter
def peta_houses(houses) -> str:
    """The `<li>` of each house of a Peta PUS (`cadres.register.peta.House`), in its order:
    number ("–" without one), the wife's first name, the status's short name and the marks."""
    return mark_safe("".join(_house_item(house) for house in houses))


def _house_item(house) -> str:
    status = escape(house.status)
    marks = "".join(mark for flag, mark in ((house.risk, "<b>4T</b> "), (house.prospect, "<b>P</b> "),
                                            (house.visit_due, "<b>K</b> ")) if flag)
    if house.new:
        marks += f"<b>{escape(house.new)}</b>"
    return (f'\n  <li class="peta-house peta-{status}" data-status="{status}">\n'
            f'    <span class="peta-number">{escape(house.number or "–")}</span>\n'
            f'    <span class="peta-name">{escape(house.first_name)}</span>\n'
            f'    <span class="peta-status">{escape(house.short)}</span>\n'
            f'    <span class="peta-marks">{marks}</span>\n  </li>\n  ')
