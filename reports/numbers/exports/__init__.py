"""The recap as files people take away: `rekap.pdf` (pdf.py) and `rekap.xlsx` (xlsx.py), and the
tables they share with the dashboard (tables.py)."""

import datetime

from cadres.models import Unit
from reports.numbers.recap import SOURCES, recap_for


def recap_and_counts(unit: Unit, period: datetime.date, source: str = "reports") -> tuple[dict, dict]:
    """The recap and the unit's summed counts, which the method × place tables need and the recap
    (docs/interfaces.md) does not carry. The roll-up runs twice: a file is not a page, a few more
    queries do not matter."""
    recap = recap_for(unit, period, source)
    total, _ = SOURCES[source](unit.code, period)
    return recap, total.counts
