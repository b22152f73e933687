"""The cadre's monthly report of an RT (and, above an RT, the list of its RTs' reports).

A draft always saves, whatever its state; "Samakan dengan register" fills the register's numbers
into the form; "Kirim" saves the draft and shows its totals on a confirmation page, whose button
sends it. Reads are for everyone in scope (outsiders get a 404); writes are refused with a 403
to those who may not make them. The rules live in `reports.monthly.workflow`; these views get the unit,
call, and render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import access
from cadres.idempotency import idempotent, not_done
from cadres.indicators import BALANCE_FIELDS, COUNT_FIELDS, summarize
from cadres.periods import add_months, period_str
from reports.models import MonthlyReport
from reports.monthly import queue, workflow
from reports.monthly.deadlines import is_on_time
from reports.monthly.forms import MonthlyReportForm, VersionForm, reason_name
from reports.monthly.locking import StaleReport
from reports.monthly.report_page import (BALANCE_WORDS, COMPARED_PARTS, balance_state, due_state, history_lines,
                                         months_around, report_table)
from reports.monthly.view_helpers import QUEUE_LEVELS, page_context, queue_url, rt_for_reading, stale_form
from reports.numbers.exports.tables import drop_out_line
from reports.numbers.register_month import rt_sums


def _register(unit, period) -> dict:
    """The register's month of the RT: its counts (None when it has no couples then), and the
    month's drop-outs, which the report has no field for but the cadre should see."""
    sums = rt_sums(unit.code, period).get(unit.code)
    return {"register": sums and sums.counts, "drop_outs": sums and drop_out_line(sums.drop_outs)}


def _initial(report, register) -> dict:
    if report is None:
        return {**(register or {}), "version": 0}
    reasons = {reason_name(field): note.get("reason", "") for field, note in report.corrections.items()}
    return {**report.counts(), **reasons, "version": report.version}


def _editable(user, unit, period, report, closed) -> bool:
    started = period <= timezone.localdate().replace(day=1)
    return (access.can_write(user, unit.code) and closed is None and started
            and (report is None or report.status in workflow.EDITABLE))


# Who sent the report and who returned it: the page names them (not who verified it).
PAGE_USERS = ("submitted_by", "returned_by")


def _reports(unit, *periods, related=PAGE_USERS) -> dict:
    """The RT's reports of these months, by month (one each at most). Not in the model's order
    (`-period`): to order, Django first hashes each of the 80 columns selected, 0.4 ms of a
    report page (docs/cpu.md)."""
    reports = MonthlyReport.objects.filter(rt=unit, period__in=periods).order_by()
    if related:  # (`select_related()` without names would follow every foreign key)
        reports = reports.select_related(*related)
    return {report.period: report for report in reports}


def _existing(unit, period):
    return _reports(unit, period).get(period)


def _with_previous(unit, period) -> tuple[MonthlyReport | None, MonthlyReport | None]:
    """The month's report and the month before's, which the verifier's flags compare it with: in
    one query, not two."""
    previous = add_months(period, -1)
    found = _reports(unit, period, previous)
    return found.get(period), found.get(previous)


def _report_context(request, unit, period, register_month: dict) -> dict:
    """The page's context but for the form: read only when the page is shown, not for a draft
    that saves and redirects (docs/cpu.md)."""
    existing, previous = (_with_previous(unit, period) if access.may_verify(request.user)
                          else (_existing(unit, period), None))
    return page_context(request, unit, period, report=existing, previous_report=previous, **register_month,
                        due=due_state(period, existing), months=months_around(period))


@login_required
@idempotent
def report(request, code, period):
    unit = access.unit_for_reading(request.user, code)
    if not unit.is_rt:
        return _report_list(request, unit, period)
    if request.method == "POST" and not access.can_write(request.user, code):
        raise PermissionDenied
    register_month = _register(unit, period)
    if request.method == "POST":
        return _report_post(request, unit, period, register_month)
    context = _report_context(request, unit, period, register_month)
    existing = context["report"]
    if _editable(request.user, unit, period, existing, context["closed"]):
        context["form"] = MonthlyReportForm(initial=_initial(existing, context["register"]),
                                            register=context["register"])
    return _render_report(request, context)


def _report_post(request, unit, period, register_month):
    register = register_month["register"]
    if request.POST.get("action") == "register" and register is not None:
        return _with_register_numbers(request, _report_context(request, unit, period, register_month))
    form = MonthlyReportForm(request.POST, register=register)
    status = 200
    if form.is_valid():
        try:
            saved = workflow.report_save_draft(rt=unit, period=period, counts=form.counts(),
                                               corrections=form.corrections(),
                                               version=form.cleaned_data["version"], by=request.user)
        except StaleReport as stale:
            form, status = stale_form(MonthlyReportForm, request, stale, register=register), 409
        except workflow.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            if form.sending:
                return redirect("report_send", code=unit.code, period=period_str(period))
            messages.success(request, _("Draf disimpan (versi %(version)s).") % {"version": saved.version})
            return redirect("report", code=unit.code, period=period_str(period))
    context = _report_context(request, unit, period, register_month)
    context["form"] = form
    return _render_report(request, context, status=status)


def _with_register_numbers(request, context):
    """The form again with the register's numbers in every count (the version as posted): nothing
    is saved until the cadre saves or sends."""
    register = context["register"]
    version = request.POST.get("version") or "0"
    data = {field: register.get(field, 0) for field in COUNT_FIELDS}
    context["form"] = MonthlyReportForm(initial={**data, "version": version}, register=register)
    context["synced"] = True
    return _render_report(request, context)


def _render_report(request, context, status=200):
    report, form = context["report"], context.get("form")
    if report is not None:
        context["table"] = report_table(report)
        if context["can_verify"]:
            context["flags"] = queue.flags_for(report, context["previous_report"])
        context["history"] = history_lines(report)
        context["on_time"] = is_on_time(report)
    if form is not None:
        context["balance"] = balance_state(form.entered(), context["register"])
        context["sections"] = form.sections()
        context["form_data"] = {"pus": "pus", "balance": list(BALANCE_FIELDS), "register": context["register"],
                                "words": BALANCE_WORDS, "parts": COMPARED_PARTS}
    context["queue_url"] = queue_url(request, context["unit"].code, context["period_date"])
    return render(request, "reports/workflow/report.html", context, status=status)


@login_required
@idempotent
def report_send(request, code, period):
    """The saved draft's totals, and the button that sends it."""
    unit = rt_for_reading(request, code)
    if not access.can_write(request.user, code):
        raise PermissionDenied
    report = _reports(unit, period, related=()).get(period)  # its page names no user
    if request.method == "POST":
        form = VersionForm(request.POST)
        try:
            if report is None or not form.is_valid() or form.cleaned_data["version"] is None:
                raise workflow.WorkflowError(_("Versi laporan tidak sah: muat ulang halaman."))
            workflow.report_send(rt=unit, period=period, version=form.cleaned_data["version"], by=request.user)
        except workflow.WorkflowError as error:
            not_done(request)
            messages.error(request, error.message)
            return redirect("report", code=code, period=period_str(period))
        messages.success(request, _("Laporan dikirim ke PKB/PLKB."))
        return redirect("report", code=code, period=period_str(period))
    context = page_context(request, unit, period, report=report)
    if report is not None:
        context["sendable"] = report.status in workflow.EDITABLE
        context["problems"] = workflow.send_problems(report)
        context["figures"] = summarize(report.counts())
    return render(request, "reports/workflow/send.html", context)


def _report_list(request, unit, period):
    context = page_context(request, unit, period)
    if unit.level in QUEUE_LEVELS:
        context["rows"] = queue.rt_rows(unit.code, period)
    else:
        context["children"] = unit.children.all()
    return render(request, "reports/workflow/report_list.html", context)
