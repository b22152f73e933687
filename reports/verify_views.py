"""The PKB's pages of the report workflow: the verification queue, and verifying, returning and
reopening reports (one by one, or every sent report of a unit at once).

Reads are for everyone in scope (outsiders get a 404); the OPD reads, only PKB and admin verify,
return and reopen (others get a 403). The rules themselves live in `reports.workflow`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cadres import scope
from reports import queue, workflow
from reports.activities import desa_activity_sums, poktan_rows
from reports.deadlines import on_time_counts
from reports.forms import NoteForm, VersionForm
from reports.models import MonthlyReport, ReportStatus
from reports.periods import period_str
from reports.view_helpers import QUEUE_LEVELS, back, page_context, queue_url, rt_for_reading


@login_required
def verification_queue(request, code, period):
    unit = scope.unit_for_reading(request.user, code)
    sums = desa_activity_sums(code, period)
    context = page_context(request, unit, period, timeliness=on_time_counts(code, period), sums=sums,
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
    unit = rt_for_reading(request, code, verifier=True)
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
        return redirect(back(request, queue_url(request, code, period)))
    context = page_context(request, unit, period, report=existing, next=back(request, ""))
    return render(request, "reports/workflow/verify.html", context)


def _note_view(request, code, period, *, write, template, label, allowed, done):
    """A page with one note (a return's comment, a reopening's reason) that changes the status."""
    unit = rt_for_reading(request, code, verifier=True)
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
            return redirect(back(request, queue_url(request, code, period)))
    context = page_context(request, unit, period, report=existing, form=form, allowed=allowed, next=back(request, ""))
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
    here = reverse("verification_queue", args=[code, period_str(period)])
    if request.method == "POST":
        try:
            verified = workflow.report_verify_all(unit=unit, period=period, by=request.user)
        except workflow.WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(n)s laporan diverifikasi.") % {"n": verified})
        return redirect(here)
    submitted = MonthlyReport.objects.in_subtree(code).filter(period=period, status=ReportStatus.SUBMITTED).count()
    context = page_context(request, unit, period, submitted=submitted, queue_url=here)
    return render(request, "reports/workflow/verify_all.html", context)

