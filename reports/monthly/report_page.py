"""What the monthly report page shows beside the form: the balance line (and where it is off),
the report's numbers read-only, the deadline, and the months around this one. No HTTP here."""

import datetime
import functools
from html import escape

from django.apps import apps
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
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
HISTORY_COLUMNS = ("version", "status", "history_date", "history_change_reason",
                   "history_user__username", "history_user__first_name", "history_user__last_name")


@functools.cache
def _history_words(language: str) -> dict:
    """The words of the history's lines in a language (looked up once per process): the
    statuses' labels, "Versi n" and the months' abbreviations of `|date:"j M Y H:i"`."""
    return {"statuses": {value: str(label) for value, label in ReportStatus.choices},
            "version": gettext("Versi %(n)s"),
            "months": {number: str(name).title() for number, name in MONTHS_3.items()}}


def history_lines(report: MonthlyReport) -> list[str]:
    """The latest versions of the report, newest first, each the `<li>` that lists it: number,
    status, who, when, and why (one query, only the columns shown, as tuples). Written here, once
    per row, escaped with `html.escape` as kb_fields.py does: through model instances and the
    template (`blocktranslate`, `date`, `get_status_display`) they were 4.7 ms of the report page
    with 30 versions; `format_html` would add 0.5 ms (docs/cpu.md)."""
    # The historical model's manager, the same query as `report.history`'s: that one is a manager
    # class that django-simple-history builds at each access (0.2 ms).
    historical = apps.get_model("reports", "HistoricalMonthlyReport")
    rows = (historical.objects.filter(id=report.pk).order_by("-history_date", "-history_id")
            .values_list(*HISTORY_COLUMNS)[:HISTORY_SHOWN])
    words = _history_words(get_language())
    statuses, months = words["statuses"], words["months"]
    lines = []
    for version, status, date, reason, username, first_name, last_name in rows:
        who = "—"  # a change without a user
        if username is not None:  # as `user.get_full_name() or user.username`
            who = f"{first_name} {last_name}".strip() or username
        title, label = escape(words["version"] % {"n": version}), escape(statuses.get(status, status))
        when = _date_minute(timezone.localtime(date), months)
        why = f'<span class="d-block text-muted text-break">{escape(reason)}</span>' if reason else ""
        lines.append(mark_safe(f'<li class="list-group-item px-0"><strong>{title}</strong> · {label} · '
                               f"{escape(who)} · {when} {why}</li>"))
    return lines


def _date_minute(moment: datetime.datetime, months: dict) -> str:
    """`dateformat.format(moment, "j M Y H:i")`, which costs 36 µs a date, 1.1 ms for the 30
    lines of the history (docs/cpu.md)."""
    return f"{moment.day} {months[moment.month]} {moment.year:04d} {moment.hour:02d}:{moment.minute:02d}"
