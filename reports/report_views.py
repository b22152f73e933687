"""The cadre's monthly report form of an RT (and, above an RT, the list of its RTs' reports).

Reads are for everyone in scope (outsiders get a 404); writes are refused with a 403 to those who
may not make them. The rules themselves live in `reports.workflow`; these views get the unit,
call, and render.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy as _lazy

from cadres import scope
from reports import queue, workflow
from reports.deadlines import deadline, is_on_time
from reports.forms import METHOD_LABELS, MonthlyReportForm, count_label, reason_name
from reports.indicators import BALANCE_FIELDS, METHODS, NON_USERS, PB_FIELDS, PLACES
from reports.models import MonthlyReport
from reports.periods import add_months, period_str
from reports.register_month import rt_counts
from reports.view_helpers import QUEUE_LEVELS, page_context, queue_url


def _register(unit, period) -> dict | None:
    return rt_counts(unit.code, period).get(unit.code)


def _initial(report, register) -> dict:
    if report is None:
        return {**(register or {}), "version": 0}
    reasons = {reason_name(field): note.get("reason", "") for field, note in report.corrections.items()}
    return {**report.counts(), **reasons, "version": report.version}


def _editable(user, unit, period, report, closed) -> bool:
    started = period <= timezone.localdate().replace(day=1)
    return (scope.can_write(user, unit.code) and closed is None and started
            and (report is None or report.status in workflow.EDITABLE))


@login_required
def report(request, code, period):
    unit = scope.unit_for_reading(request.user, code)
    if not unit.is_rt:
        return _report_list(request, unit, period)
    if request.method == "POST" and not scope.can_write(request.user, code):
        raise PermissionDenied
    existing = MonthlyReport.objects.filter(rt=unit, period=period).select_related(
        "submitted_by", "verified_by", "returned_by").first()
    register = _register(unit, period)
    due = deadline(period) - datetime.timedelta(days=1)
    context = page_context(request, unit, period, report=existing, register=register, due=due.date())
    if request.method == "POST":
        return _report_post(request, context)
    if _editable(request.user, unit, period, existing, context["closed"]):
        context["form"] = MonthlyReportForm(initial=_initial(existing, register), register=register)
    return _render_report(request, context)


def _report_post(request, context):
    unit, period, register = context["unit"], context["period_date"], context["register"]
    form = MonthlyReportForm(request.POST, register=register)
    status = 200
    if form.is_valid():
        submit = request.POST.get("action") == "submit"
        write = workflow.report_submit if submit else workflow.report_save_draft
        try:
            saved = write(rt=unit, period=period, counts=form.counts(), corrections=form.corrections(),
                          version=form.cleaned_data["version"], by=request.user)
        except workflow.StaleReport as stale:
            # Their input stays; the version becomes the one saved now, so that saving again
            # after reading the message is a deliberate overwrite, not another refusal.
            data = request.POST.copy()
            data["version"] = str(stale.version)
            form = MonthlyReportForm(data, register=register)
            form.is_valid()
            form.add_error(None, stale.message)
            status = 409
        except workflow.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Laporan dikirim ke PKB/PLKB.") if submit
                             else _("Draf disimpan (versi %(version)s).") % {"version": saved.version})
            return redirect("report", code=unit.code, period=period_str(period))
    context["form"] = form
    return _render_report(request, context, status=status)


def _render_report(request, context, status=200):
    report, form = context["report"], context.get("form")
    if report is not None:
        context["table"] = report_table(report)
        if context["can_verify"]:
            previous = MonthlyReport.objects.filter(rt_id=report.rt_id, period=add_months(report.period, -1)).first()
            context["flags"] = queue.flags_for(report, previous)
        context["history"] = report.history.select_related("history_user").order_by("-history_date", "-history_id")[:30]
        context["on_time"] = is_on_time(report)
    if form is not None:
        context["balance"] = balance_state(form.entered())
        context["sections"] = form.sections()
        context["form_data"] = {"pus": "pus", "balance": list(BALANCE_FIELDS), "register": context["register"],
                                "words": BALANCE_WORDS}
    context["queue_url"] = queue_url(request, context["unit"].code, context["period_date"])
    return render(request, "reports/workflow/report.html", context, status=status)


BALANCE_WORDS = {"balanced": _lazy("seimbang"), "short": _lazy("kurang"), "over": _lazy("lebih"),
                 "no_pus": _lazy("isi PUS dulu"), "sum": _lazy("PA + hamil + IAS + IAT + TIAL")}


def balance_state(entered: dict) -> dict:
    """What the balance line says before any script runs: `seimbang`, `kurang 2`, `lebih 3`."""
    pus = entered.get("pus")
    total = sum(entered.get(field) or 0 for field in BALANCE_FIELDS)
    if pus is None:
        return {"ok": False, "text": str(BALANCE_WORDS["no_pus"]), "pus": None, "total": total}
    diff = total - pus
    if diff == 0:
        text = str(BALANCE_WORDS["balanced"])
    else:
        text = "%s %s" % (BALANCE_WORDS["short" if diff < 0 else "over"], abs(diff))
    return {"ok": diff == 0, "text": text, "pus": pus, "total": total}


def report_table(report: MonthlyReport) -> dict:
    """The report's numbers as the read-only page shows them, with the corrections' reasons."""
    values = report.counts()
    return {
        "pus": [(count_label(field), values[field]) for field in ("pus",) + NON_USERS],
        "pa": [(METHOD_LABELS[method], [values[f"{method}_{place}"] for place in PLACES]) for method in METHODS],
        "pb": [(count_label(field), values[field]) for field in PB_FIELDS],
        "corrections": [
            (count_label(field), note.get("register"), values.get(field), note.get("reason"))
            for field, note in report.corrections.items() if field in values
        ],
    }


def _report_list(request, unit, period):
    context = page_context(request, unit, period)
    if unit.level in QUEUE_LEVELS:
        context["rows"] = queue.rt_rows(unit.code, period)
    else:
        context["children"] = unit.children.all()
    return render(request, "reports/workflow/report_list.html", context)


