"""What the monthly report page shows beside the form: the balance line (and where it is off),
the report's numbers read-only, the deadline, and the months around this one. No HTTP here."""

import datetime
from dataclasses import dataclass

from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _lazy

from cadres.indicators import (GC_FIELDS, METHOD_LABELS, METHODS, NON_USERS, PA_FIELDS, PB_FIELDS, PB_PASCA, PLACES,
                               balance_total, imbalance)
from cadres.periods import add_months
from reports.models import MonthlyReport, ReportStatus
from reports.monthly.deadlines import deadline
from reports.monthly.forms import count_label

BALANCE_WORDS = {"balanced": _lazy("seimbang"), "short": _lazy("kurang"), "over": _lazy("lebih"),
                 "no_pus": _lazy("isi PUS dulu"), "sum": _lazy("PA + hamil + IAS + IAT + TIAL"),
                 "register": _lazy("register"), "differs": _lazy("Beda dari register:")}
# The parts of the balance, as the balance line names them: PA as one sum, then each non-user.
BALANCE_PARTS = (("PA", PA_FIELDS),) + tuple((field.upper() if field != "hamil" else "Hamil", (field,))
                                            for field in NON_USERS)


def balance_state(entered: dict, register: dict | None = None) -> dict:
    """What the balance line says before any script runs: `seimbang`, `kurang 2`, `lebih 3`,
    and, when it is off, which parts differ from the register (where to look)."""
    pus = entered.get("pus")
    state = {"ok": False, "pus": pus, "total": balance_total(entered), "where": []}
    if pus is None:
        return {**state, "text": str(BALANCE_WORDS["no_pus"])}
    diff = imbalance(entered)
    if diff == 0:
        return {**state, "ok": True, "text": str(BALANCE_WORDS["balanced"])}
    state["text"] = "%s %s" % (BALANCE_WORDS["short" if diff < 0 else "over"], abs(diff))
    if register is not None:
        state["where"] = _differing_parts(entered, register)
    return state


# What the line compares with the register, in this order.
COMPARED_PARTS = (("PUS", ("pus",)),) + BALANCE_PARTS


def _differing_parts(entered: dict, register: dict) -> list[str]:
    where = []
    for name, fields in COMPARED_PARTS:
        mine = sum(entered.get(field) or 0 for field in fields)
        theirs = sum(register.get(field) or 0 for field in fields)
        if mine != theirs:
            where.append(f"{name} {mine} ({BALANCE_WORDS['register']} {theirs})")
    return where


def report_table(report: MonthlyReport) -> dict:
    """The report's numbers as the read-only page shows them, with the corrections' reasons."""
    values = report.counts()
    return {
        "pus": [(count_label(field), values[field]) for field in ("pus",) + NON_USERS],
        "pa": [(METHOD_LABELS[method], [values[f"{method}_{place}"] for place in PLACES]) for method in METHODS],
        "pb": [(count_label(field), values[field]) for field in PB_FIELDS + (PB_PASCA,)],
        "gc": [(count_label(field), values[field]) for field in GC_FIELDS],
        "corrections": [
            (count_label(field), note.get("register"), values.get(field), note.get("reason"))
            for field, note in report.corrections.items() if field in values
        ],
    }


def due_state(period: datetime.date, report: MonthlyReport | None, today: datetime.date | None = None) -> dict:
    """The last day to send the month's report, and how many days are left or late (while it is
    not sent yet: a sent report's timeliness is its sending time's)."""
    today = today or timezone.localdate()
    due = (deadline(period) - datetime.timedelta(days=1)).date()
    sent = report is not None and report.status in ("submitted", "verified")
    days = (due - today).days
    return {"due": due, "sent": sent, "days_left": days if not sent and days >= 0 else None,
            "days_late": -days if not sent and days < 0 else None}


def months_around(period: datetime.date, today: datetime.date | None = None) -> dict:
    """The previous month, and the next one once it has started (a report can be drafted then)."""
    today = today or timezone.localdate()
    following = add_months(period, 1)
    return {"previous": add_months(period, -1),
            "next": following if following <= today.replace(day=1) else None}


HISTORY_SHOWN = 30  # the latest versions listed under the report
HISTORY_FIELDS = ("history_id", "version", "status", "history_date", "history_change_reason",
                  "history_user__username", "history_user__first_name", "history_user__last_name")


@dataclass
class HistoryLine:
    """One saved version as the page lists it: number, status, who, when, and why."""

    version: int
    status: str
    who: str
    when: str
    reason: str | None


def history_lines(report: MonthlyReport) -> list[HistoryLine]:
    """The latest versions of the report, newest first (one query, only the columns shown). The
    labels, names and dates are written here, once per row: through the template's `date` filter
    and `get_status_display` they were most of the report page's time (docs/cpu.md)."""
    rows = (report.history.select_related("history_user").only(*HISTORY_FIELDS)
            .order_by("-history_date", "-history_id")[:HISTORY_SHOWN])
    statuses = {value: str(label) for value, label in ReportStatus.choices}
    lines = []
    for row in rows:
        user = row.history_user
        who = (user.get_full_name() or user.username) if user else "—"
        when = dateformat.format(timezone.localtime(row.history_date), "j M Y H:i")
        lines.append(HistoryLine(row.version, statuses.get(row.status, row.status), who, when,
                                 row.history_change_reason))
    return lines
