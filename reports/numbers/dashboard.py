"""The numbers of a unit's dashboard for a month, in a constant number of queries whatever the
size of the subtree: the recap, a twelve-month trend (one grouped query), the RTs whose report
for the month is not in (one query), and from a desa up the PPKBD's desa report summed (two).
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.utils.dateformat import format as date_format

from cadres import codes
from cadres.indicators import DROP_OUT_TO, METHODS, summarize
from cadres.models import Unit
from cadres.periods import add_months, period_str
from reports.models import MonthlyReport, rt_subtree_q
from reports.numbers import rollup
from reports.numbers.exports import tables
from reports.numbers.imp_report import imp_context
from reports.numbers.recap import recap_for, to_jsonable
from reports.numbers.register_month import month_states_sql, register_counts_at

TREND_MONTHS = 12
VERIFIED = "verified"  # the verified reports' row among the drop-outs' (no status is named so)
MISSING_LIMIT = 50


@dataclass
class MissingReports:
    """RTs without a counted report for the month: the first `MISSING_LIMIT`, grouped by desa
    when the unit is above desa, and how many there are in all."""

    total: int
    groups: list[tuple[str, list[str]]] = field(default_factory=list)
    shown: int = 0
    listed: bool = True  # above kabupaten the RTs are not listed: the children's table counts them


def dashboard_for(unit: Unit, period: datetime.date, sort: str = "") -> dict:
    """Everything the dashboard shows: the recap's four queries, the trend, the RTs missing and
    "Kegiatan PPKBD" (from a desa up)."""
    recap = recap_for(unit, period)
    trend = trend_for(unit.code, period)
    # The trend's last month sums the same counted reports of the same subtree as the recap, so
    # method × place comes from it at no extra query.
    counts = trend[-1]["counts"]
    return {
        "recap": recap,
        "totals": tables.figures_row(recap),
        "rows": tables.child_rows(recap, sort),
        "methods": tables.method_rows(counts, recap),
        "methods_total": tables.method_total_row(recap),
        "new_users": tables.new_user_rows(recap),
        "new_mkjp": tables.new_mkjp(recap),
        "trend": trend,
        "has_trend": any(month["received"] for month in trend),
        **report_states(recap, unit.code, period),
        "missing": missing_reports(unit, period, recap["reports"]),
        "chart_data": chart_data(recap, trend, counts),
        **imp_context(unit, period),
    }


def month_states(code: str, period: datetime.date) -> dict:
    """Of the month in the subtree: the verified reports (of the received, how many the PKB
    checked) and the register's drop-outs by the status they went to (none above kabupaten:
    `register_counts_at`). One query: the drop-outs grouped by status, and the verified reports'
    count as one more row (UNION ALL)."""
    if not register_counts_at(code):
        # Above kabupaten the verified are counted in the per-kabupaten sums, not over 120,000 reports.
        return {"verified": rollup.counted_reports(code).verified(code, period), "drop_outs": {}}
    counts = month_states_sql(code, period, VERIFIED)
    return {"verified": counts.get(VERIFIED, 0), "drop_outs": {s: counts.get(s, 0) for s in DROP_OUT_TO}}


def report_states(recap: dict, code: str, period: datetime.date) -> dict:
    """Received reports split into verified and only sent, and the month's drop-outs from the
    register (one query)."""
    states = month_states(code, period)
    return {"verified_count": states["verified"], "sent_only": recap["reports"]["received"] - states["verified"],
            "drop_outs": tables.drop_out_line(states["drop_outs"]) if states["drop_outs"] else {}}


def trend_for(code: str, period: datetime.date, months: int = TREND_MONTHS) -> list[dict]:
    """The counted reports' sums and indicators for each of the `months` months ending at
    `period`, oldest first; a month without reports has zeros and "—" (one grouped query)."""
    first = add_months(period, 1 - months)
    in_trend = [add_months(first, n) for n in range(months)]
    grouped = rollup.counted_reports(code).per_month(code, in_trend)
    by_period = {row.pop("period"): row for row in grouped}
    trend = []
    for month in in_trend:
        counts = by_period.get(month, {})
        figures = summarize(counts)
        trend.append({
            "period": period_str(month),
            "label": date_format(month, "M Y"),
            "counts": counts,
            "received": counts.get("received", 0),
            "pus": figures["pus"],
            "pa": figures["pa"],
            "cpr": figures["pct"]["cpr"],
            "mkjp_pct": figures["pct"]["mkjp"],
        })
    return trend


def missing_reports(unit: Unit, period: datetime.date, reports: dict, limit: int = MISSING_LIMIT):
    """The RTs under the unit without a counted report for the month (one query; the total is
    the recap's expected − received). Above kabupaten, the total only: a list of a province's
    RTs would read its 120,000 and help no one; its kabupaten's rows count them."""
    total = reports["expected"] - reports["received"]
    if not total:
        return MissingReports(total=0)
    if codes.LEVELS.index(unit.level) < codes.LEVELS.index("kabupaten"):
        return MissingReports(total=total, listed=False)
    reported = MonthlyReport.objects.counted().filter(rt_subtree_q(unit.code), period=period).values("rt_id")
    rts = list(
        Unit.objects.subtree(unit.code).at_level("rt").exclude(code__in=reported)
        .select_related("parent__parent").order_by("code")[:limit]
    )
    above_desa = codes.LEVELS.index(unit.level) < codes.LEVELS.index("desa")
    groups = []
    for desa, members in groupby(rts, key=lambda rt: rt.parent.parent):
        heading = tables.unit_title(desa.code, desa.name) if above_desa else ""
        groups.append((heading, [_rt_label(rt) for rt in members]))
    return MissingReports(total=total, groups=groups, shown=len(rts))


def _rt_label(rt: Unit) -> str:
    return f"{tables.unit_title(rt.parent.code, rt.parent.name)} · {tables.unit_title(rt.code, rt.name)}"


def chart_data(recap: dict, trend: list[dict], counts: dict) -> dict:
    """What dashboard.js draws, as plain JSON (numbers, not Decimal strings)."""
    return to_jsonable({
        "trend": {
            "labels": [month["label"] for month in trend],
            "cpr": [month["cpr"] for month in trend],
            "mkjp": [month["mkjp_pct"] for month in trend],
        },
        "methods": {
            "labels": [tables.METHOD_LABELS[method] for method in METHODS],
            "pemerintah": [counts.get(f"{method}_pemerintah") or 0 for method in METHODS],
            "swasta": [counts.get(f"{method}_swasta") or 0 for method in METHODS],
        },
    })
