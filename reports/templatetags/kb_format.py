"""Numbers in Indonesian format for pages and PDFs: `1.234` and `8,75%`; "—" for no value.

Grouping is forced here rather than with USE_THOUSAND_SEPARATOR, which would also put dots in
years and unit codes.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()

NO_VALUE = "—"


@register.filter
def angka(value):
    """An integer with a thousands dot: 1234 → `1.234`; None → `—`."""
    if value is None or value == "":
        return NO_VALUE
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
    return number_format(rounded, decimal_pos=2, use_l10n=True, force_grouping=True) + "%"
