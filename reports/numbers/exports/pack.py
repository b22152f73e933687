"""The mini lokakarya pack: one A4 page for a desa and month with what a Kampung KB meeting puts
on its slides — PUS, % KB aktif, MKJP against non-MKJP with six months' trend, the RTs with the
lowest MKJP share, new MKJP users and switches into MKJP since January against the year's
target, the drives running that month, the prospect funnel with the reasons for not choosing MKJP,
and the follow-ups still open from earlier meetings.

The numbers come from the counted monthly reports, as on the dashboard and in `rekap.pdf`; the
funnel from the register. Nothing here names a couple.
"""

import datetime

from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from weasyprint import HTML

from cadres import codes
from cadres.indicators import MKJP, percent, summarize
from cadres.models import Unit
from cadres.periods import month_end, period_label
from cadres.register.outreach import funnel
from reports.numbers import rollup
from reports.numbers.dashboard import trend_for
from reports.numbers.exports import tables
from reports.numbers.recap import recap_for
from reports.monthly.events import activities_in, open_follow_ups
from reports.targets.campaigns import campaigns_in_month

TREND_MONTHS = 6
LOWEST_RTS = 5
TOP_REASONS = 4


def pack_pdf(desa: Unit, period: datetime.date) -> bytes:
    return HTML(string=pack_html(desa, period)).write_pdf()


def pack_html(desa: Unit, period: datetime.date) -> str:
    recap = recap_for(desa, period)
    last_day = min(month_end(period), timezone.localdate())
    counted = funnel(desa.code, period, last_day) if last_day >= period else None
    return render_to_string("reports/pack_pdf.html", {
        "recap": recap,
        "unit_title": tables.unit_title(desa.code, desa.name),
        "period_label": period_label(period),
        "trend": trend_for(desa.code, period, TREND_MONTHS),
        "lowest_rts": lowest_mkjp_rts(desa.code, period),
        "mkjp_target": mkjp_against_target(desa.code, period, recap),
        "campaigns": campaigns_in_month(desa.code, period),
        "funnel": counted,
        "reasons": counted.reasons_given(TOP_REASONS) if counted else [],
        "activities": list(activities_in(desa.code, period)),
        "follow_ups": list(open_follow_ups(desa.code, period)),
        "printed_at": date_format(timezone.localtime(), "j F Y H:i"),
    })


def lowest_mkjp_rts(desa_code: str, period: datetime.date, limit: int = LOWEST_RTS) -> list[dict]:
    """The RTs with a counted report and users, by their MKJP share of users, lowest first."""
    per_rt = rollup.ReportRows().per_child(desa_code, period, codes.CODE_LENGTHS["rt"])
    rows = []
    for code, sums in per_rt.items():
        figures = summarize(sums.counts)
        if sums.received and figures["pa"]:
            rows.append({"label": tables.rt_label(code), "pa": figures["pa"], "mkjp": figures["mkjp"],
                         "pct": figures["pct"]["mkjp"]})
    return sorted(rows, key=lambda row: (row["pct"], -row["pa"], row["label"]))[:limit]


def mkjp_against_target(desa_code: str, period: datetime.date, recap: dict) -> dict:
    """New MKJP users and switches into MKJP since January, against the year's MKJP target."""
    ppm = recap["ppm"]
    pb = sum(ppm["pb_ytd"][method] for method in MKJP)
    gc = (rollup.ReportRows().in_subtree(desa_code).filter(period__in=rollup.months_of_year_to(period))
          .aggregate(**{method: Sum(f"gc_{method}") for method in MKJP}))
    gc = sum(value or 0 for value in gc.values())
    target = sum(ppm["target"][method] for method in MKJP) if ppm["target"] else None
    return {"pb": pb, "gc": gc, "total": pb + gc, "target": target,
            "pct": percent(pb + gc, target) if target else None}

