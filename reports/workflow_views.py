"""The pages of the monthly report workflow: the cadre's report form, the PKB's queue and actions.

Reads are for everyone in scope (outsiders get a 404); writes are refused with a 403 to those who
may not make them: the OPD reads reports, only PKB and admin verify, return and reopen. The
rules themselves live in `reports.workflow`; these views get the unit, call, and render.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _, gettext_lazy as _lazy

from cadres import codes, scope
from reports import queue, workflow
from reports.activities import desa_activity_sums, poktan_rows
from reports.deadlines import closed_period_for, deadline, is_on_time, on_time_counts
from reports.forms import METHOD_LABELS, MonthlyReportForm, NoteForm, VersionForm, count_label, reason_name
from reports.indicators import BALANCE_FIELDS, METHODS, NON_USERS, PB_FIELDS, PLACES
from reports.models import MonthlyReport, ReportStatus
from reports.periods import add_months, period_label, period_str
from reports.register_month import rt_counts

QUEUE_LEVELS = ("desa", "rw", "rt")  # above a desa the queue is a summary per desa


def _context(request, unit, period, **extra) -> dict:
    return {
        "unit": unit, "period": period_str(period), "period_date": period, "period_label": period_label(period),
        "ancestors": [a for a in unit.ancestors() if scope.can_see(request.user, a.code)],
        "closed": closed_period_for(unit.code, period),
        "can_verify": request.user.role in workflow.VERIFIERS, **extra,
    }


def _rt(request, code, *, verifier=False):
    unit = scope.unit_for_reading(request.user, code)
    if verifier and request.user.role not in workflow.VERIFIERS:
        raise PermissionDenied
    if not unit.is_rt:
        raise Http404
    return unit


def _queue_url(request, code, period) -> str:
    desa = next((c for c in codes.ancestors(code) + [code] if codes.level_of(c) == "desa"), code)
    return reverse("verification_queue", args=[desa if scope.can_see(request.user, desa) else code, period_str(period)])


def _back(request, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next")
    # A path of ours only: `redirect` would take any other word for the name of a URL pattern.
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(
            url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return default


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
    context = _context(request, unit, period, report=existing, register=register, due=due.date())
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
    context["queue_url"] = _queue_url(request, context["unit"].code, context["period_date"])
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
    context = _context(request, unit, period)
    if unit.level in QUEUE_LEVELS:
        context["rows"] = queue.rt_rows(unit.code, period)
    else:
        context["children"] = unit.children.all()
    return render(request, "reports/workflow/report_list.html", context)


@login_required
def verification_queue(request, code, period):
    unit = scope.unit_for_reading(request.user, code)
    sums = desa_activity_sums(code, period)
    context = _context(request, unit, period, timeliness=on_time_counts(code, period), sums=sums,
                       poktan_rows=poktan_rows(sums), statuses=queue.STATUSES, by_rt=unit.level in QUEUE_LEVELS)
    if context["by_rt"]:
        context["rows"] = queue.rt_rows(code, period)
        context["counts"] = queue.status_counts(context["rows"])
    else:
        context["summaries"] = queue.desa_summaries(code, period)
    return render(request, "reports/workflow/queue.html", context)


def _existing(unit, period):
    return MonthlyReport.objects.filter(rt=unit, period=period).select_related("submitted_by").first()


@login_required
def report_verify(request, code, period):
    unit = _rt(request, code, verifier=True)
    existing = _existing(unit, period)
    if request.method == "POST" and existing is not None:
        form = VersionForm(request.POST)
        try:
            if not form.is_valid():
                raise workflow.WorkflowError(_("Versi laporan tidak sah: muat ulang halaman."))
            workflow.report_verify(report=existing, by=request.user, version=form.cleaned_data["version"])
        except workflow.WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Laporan %(rt)s diverifikasi.") % {"rt": unit.name})
        return redirect(_back(request, _queue_url(request, code, period)))
    context = _context(request, unit, period, report=existing, next=_back(request, ""))
    return render(request, "reports/workflow/verify.html", context)


def _note_view(request, code, period, *, write, template, label, allowed, done):
    """A page with one note (a return's comment, a reopening's reason) that changes the status."""
    unit = _rt(request, code, verifier=True)
    existing = _existing(unit, period)
    form = NoteForm(request.POST or None, initial={"version": existing.version if existing else 0}, label=label)
    if request.method == "POST" and existing is not None and form.is_valid():
        try:
            write(report=existing, note=form.cleaned_data["note"], by=request.user,
                  version=form.cleaned_data["version"])
        except workflow.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done % {"rt": unit.name})
            return redirect(_back(request, _queue_url(request, code, period)))
    context = _context(request, unit, period, report=existing, form=form, allowed=allowed, next=_back(request, ""))
    return render(request, template, context)


def _return(*, report, note, by, version):
    return workflow.report_return(report=report, comment=note, by=by, version=version)


def _reopen(*, report, note, by, version):
    return workflow.report_reopen(report=report, reason=note, by=by, version=version)


@login_required
def report_return(request, code, period):
    return _note_view(request, code, period, write=_return, template="reports/workflow/return.html",
                      label=_("Catatan untuk kader"), allowed=ReportStatus.SUBMITTED,
                      done=_("Laporan %(rt)s dikembalikan ke kader."))


@login_required
def report_reopen(request, code, period):
    return _note_view(request, code, period, write=_reopen, template="reports/workflow/reopen.html",
                      label=_("Alasan membuka kembali"), allowed=ReportStatus.VERIFIED,
                      done=_("Laporan %(rt)s dibuka kembali dan dikembalikan ke kader."))


@login_required
def report_verify_all(request, code, period):
    unit = scope.unit_for_reading(request.user, code)
    if request.user.role not in workflow.VERIFIERS:
        raise PermissionDenied
    queue_url = reverse("verification_queue", args=[code, period_str(period)])
    if request.method == "POST":
        try:
            verified = workflow.report_verify_all(unit=unit, period=period, by=request.user)
        except workflow.WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(n)s laporan diverifikasi.") % {"n": verified})
        return redirect(queue_url)
    submitted = MonthlyReport.objects.in_subtree(code).filter(period=period, status=ReportStatus.SUBMITTED).count()
    context = _context(request, unit, period, submitted=submitted, queue_url=queue_url)
    return render(request, "reports/workflow/verify_all.html", context)

