"""The tables of `reports`: monthly reports (`reports.py`), their sums per desa and kabupaten
(`sums.py`), PPM targets and campaigns (`targets.py`), the PPKBD's desa activities (`activities.py`) and the activities as events with their
follow-ups (`events.py`), an IMP's monthly self-reliance entry (`scorecard.py`)."""

from .activities import POKTAN_FIELDS, DesaActivityReport, PoktanActivity, PoktanKind
from .events import KIE_KINDS, MEETING_KINDS, Activity, ActivityKind, FollowUp, Topic
from .scorecard import SelfReliance
from .reports import (COUNTED_STATUSES, WORK_IN_PROGRESS, ClosedPeriod, MonthlyReport, ReportStatus,
                      balance_error, count_errors, count_field, pb_pasca_error, rt_subtree_q)
from .sums import DesaMonthSums, KabupatenMonthSums
from .targets import Campaign, MethodTargets, PpmTarget

__all__ = [
    "KIE_KINDS", "MEETING_KINDS", "Activity", "ActivityKind", "FollowUp", "SelfReliance", "Topic",
    "COUNTED_STATUSES", "POKTAN_FIELDS", "WORK_IN_PROGRESS", "Campaign", "ClosedPeriod", "DesaActivityReport",
    "DesaMonthSums", "KabupatenMonthSums", "MethodTargets", "MonthlyReport", "PoktanActivity", "PoktanKind", "PpmTarget", "ReportStatus",
    "balance_error", "count_errors", "count_field", "pb_pasca_error", "rt_subtree_q",
]
