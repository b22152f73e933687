"""Periods: a month written YYYY-MM (docs/interfaces.md), held as the date of its first day."""

import datetime
import re

from django.utils import timezone
from django.utils.dateformat import format as date_format

# ASCII digits, the whole text (`$` would let a trailing newline through).
_PERIOD_RE = re.compile(r"([0-9]{4})-([0-9]{2})")


def parse_period(text: str) -> datetime.date:
    """The first day of the month `YYYY-MM`; ValueError for anything else."""
    match = _PERIOD_RE.fullmatch(text or "")
    if not match:
        raise ValueError(f"periode {text!r} harus berbentuk YYYY-MM")
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 1900 <= year <= 2100):
        raise ValueError(f"periode {text!r} bukan bulan yang sah")
    return datetime.date(year, month, 1)


def period_str(period: datetime.date) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def period_label(period: datetime.date) -> str:
    """`November 2020`, in the active language."""
    return date_format(period, "F Y")


def month_end(period: datetime.date) -> datetime.date:
    return add_months(period, 1) - datetime.timedelta(days=1)


def add_months(period: datetime.date, months: int) -> datetime.date:
    index = period.year * 12 + period.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def current_period() -> datetime.date:
    """The month being reported now: the previous calendar month (reports are due on day 3)."""
    today = timezone.localdate()
    return add_months(datetime.date(today.year, today.month, 1), -1)


class PeriodConverter:
    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value):
        return parse_period(value)

    def to_url(self, value):
        return value if isinstance(value, str) else period_str(value)
