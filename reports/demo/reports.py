"""The demo's monthly reports and PPM targets, made from the demo register.

The last twelve months are verified reports equal to the register's month; the current month
(the one being reported now) is partly submitted, partly draft and partly missing, so the
dashboards and the PKB's queue have something to show.
"""

import datetime
import random

from django.utils import timezone

from cadres.indicators import METHODS
from cadres.periods import add_months, current_period
from reports.demo.wilayah import DEMO_DESA, KABUPATEN
from reports.models import MonthlyReport, PpmTarget, ReportStatus
from reports.monthly.deadlines import deadline
from reports.numbers.register_month import rt_counts
from reports.numbers.summary import desa_months_refresh

REPORTED_MONTHS = 12
CURRENT_MONTH_STATUS = {ReportStatus.SUBMITTED: 60, ReportStatus.DRAFT: 15, None: 25}


def add_reports(rng: random.Random) -> str:
    now = current_period()
    reports = []
    for months_back in range(REPORTED_MONTHS, -1, -1):
        period = add_months(now, -months_back)
        for desa in DEMO_DESA:
            for rt, counts in rt_counts(desa, period).items():
                status = ReportStatus.VERIFIED
                if months_back == 0:
                    status = rng.choices(list(CURRENT_MONTH_STATUS), weights=list(CURRENT_MONTH_STATUS.values()))[0]
                if status is not None:
                    reports.append(MonthlyReport(rt_id=rt, period=period, status=status, **counts, **_sent(period, status)))
    MonthlyReport.objects.bulk_create(reports)
    desa_months_refresh((report.rt_id, report.period) for report in reports)
    return f"{len(reports)} laporan bulanan RT"


def _sent(period, status) -> dict:
    """A sending time like a real sending (before the deadline, never in the future), so that the
    queue's on-time line counts the demo's received reports; a draft was never sent."""
    if status == ReportStatus.DRAFT:
        return {}
    when = min(deadline(period) - datetime.timedelta(days=2), timezone.now())
    return {"submitted_at": when, "first_submitted_at": when}


def add_targets(rng: random.Random) -> str:
    """Yearly PB targets (PPM) for the kabupaten and the demo desa, this year and last."""
    targets = []
    for year in {current_period().year - 1, current_period().year}:
        targets.append(PpmTarget(unit_id=KABUPATEN, year=year, **_target(rng, 60)))
        targets.extend(PpmTarget(unit_id=desa, year=year, **_target(rng, 1)) for desa in DEMO_DESA)
    PpmTarget.objects.bulk_create(targets)
    return f"{len(targets)} target PPM"


def _target(rng: random.Random, scale: int) -> dict[str, int]:
    base = {"iud": 6, "implan": 10, "mow": 2, "mop": 1, "suntik": 25, "pil": 12, "kondom": 4}
    return {method: round(base[method] * scale * rng.uniform(0.8, 1.2)) for method in METHODS}
