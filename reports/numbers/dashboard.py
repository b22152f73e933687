"""The numbers of a unit's dashboard for a month, in a constant number of queries whatever the
size of the subtree: the recap, a twelve-month trend (one grouped query), the RTs whose report
for the month is not in (one query), and from a desa up the PPKBD's desa report summed (two).
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db import connections, router
from django.utils.dateformat import format as date_format

from cadres import access, codes
from cadres.indicators import DROP_OUT_TO, METHODS, summarize
from cadres.models import Unit, subtree_sql
from cadres.periods import add_months, period_str
from reports.models import COUNTED_STATUSES, MonthlyReport
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
    if unit.is_rt:
        # Its own report is the one missing: the RT and its RW, read with it, need no query.
        rw = next(above for above in access.unit_ancestors(unit) if above.code == unit.parent_id)
        label = _rt_label(unit.code, unit.name, rw.code, rw.name)
        return MissingReports(total=total, groups=[("", [label])], shown=1)
    rts = _missing_rts(unit.code, period, limit)
    above_desa = codes.LEVELS.index(unit.level) < codes.LEVELS.index("desa")
    groups = []
    for (desa, name), members in groupby(rts, key=lambda row: row[4:]):
        heading = tables.unit_title(desa, name) if above_desa else ""
        groups.append((heading, [_rt_label(*row[:4]) for row in members]))
    return MissingReports(total=total, groups=groups, shown=len(rts))


def _missing_rts(code: str, period: datetime.date, limit: int) -> list[tuple]:
    """The first `limit` RTs (by code) below `code` without a counted report for the month: (RT
    code, name, its RW's code, name, its desa's code, name). Plain SQL, the statement the ORM
    made (the RTs with their parents, a NOT IN of the month's reports), without its 1.5 ms of
    building and compiling it on every dashboard of a desa (tests/test_dashboard.py compares both)."""
    connection = connections[router.db_for_read(Unit)]
    quote = connection.ops.quote_name
    unit, reports = quote(Unit._meta.db_table), quote(MonthlyReport._meta.db_table)
    rt, rw, desa = (lambda name, alias=alias: f"{quote(alias)}.{quote(name)}" for alias in ("rt", "rw", "desa"))
    subtree, in_subtree = subtree_sql(connection, rt("code"), code)
    reported, in_reported = subtree_sql(connection, f"{reports}.{quote('rt_id')}", code)
    sql = (f"SELECT {rt('code')}, {rt('name')}, {rw('code')}, {rw('name')}, {desa('code')}, {desa('name')}"
           f" FROM {unit} {quote('rt')} LEFT OUTER JOIN {unit} {quote('rw')} ON ({rt('parent_id')} = {rw('code')})"
           f" LEFT OUTER JOIN {unit} {quote('desa')} ON ({rw('parent_id')} = {desa('code')})"
           f" WHERE {subtree} AND LENGTH({rt('code')}) = %s AND NOT ({rt('code')} IN (SELECT {reports}.{quote('rt_id')}"
           f" FROM {reports} WHERE {reports}.{quote('status')} IN ({', '.join(['%s'] * len(COUNTED_STATUSES))})"
           f" AND {reported} AND {reports}.{quote('period')} = %s)) ORDER BY {rt('code')} LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*in_subtree, codes.CODE_LENGTHS["rt"], *COUNTED_STATUSES, *in_reported,
                             connection.ops.adapt_datefield_value(period), limit])
        return cursor.fetchall()


def _rt_label(rt: str, rt_name: str, rw: str, rw_name: str) -> str:
    return f"{tables.unit_title(rw, rw_name)} · {tables.unit_title(rt, rt_name)}"


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
