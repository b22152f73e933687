"""The tables of `reports`: monthly reports and their sums (`reports.py`), PPM targets and campaigns
(`targets.py`), the PPKBD's desa activities (`activities.py`)."""

from .activities import POKTAN_FIELDS, DesaActivityReport, PoktanActivity, PoktanKind
from .reports import (COUNTED_STATUSES, WORK_IN_PROGRESS, ClosedPeriod, DesaMonthSums, MonthlyReport, ReportStatus,
                      balance_error, count_errors, count_field, pb_pasca_error, rt_subtree_q)
from .targets import Campaign, MethodTargets, PpmTarget

__all__ = [
    "COUNTED_STATUSES", "POKTAN_FIELDS", "WORK_IN_PROGRESS", "Campaign", "ClosedPeriod", "DesaActivityReport",
    "DesaMonthSums", "MethodTargets", "MonthlyReport", "PoktanActivity", "PoktanKind", "PpmTarget", "ReportStatus",
    "balance_error", "count_errors", "count_field", "pb_pasca_error", "rt_subtree_q",
]
