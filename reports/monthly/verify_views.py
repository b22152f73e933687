"""The PKB's pages of the report workflow: the verification queue, and verifying, returning and
reopening reports (one by one, or every sent report of a unit at once).

Reads are for everyone in scope (outsiders get a 404); the OPD reads, only PKB and admin verify,
return and reopen (others get a 403). The rules themselves live in `reports.monthly.workflow`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cadres import access
from cadres.navigation import back
from cadres.periods import add_months, period_str
from reports.models import MonthlyReport, ReportStatus
from reports.monthly import queue, workflow
from reports.monthly.activities import desa_activity_sums, poktan_rows
from reports.monthly.events import LIST_LIMIT, activities_in
from reports.monthly.deadlines import on_time_counts
from reports.monthly.forms import NoteForm, VersionForm
from reports.monthly.report_page import report_table
from reports.monthly.view_helpers import QUEUE_LEVELS, page_context, queue_url, rt_for_reading


@login_required
def verification_queue(request, code, period):
    unit = access.unit_for_reading(request.user, code)
    sums = desa_activity_sums(code, period)
    context = page_context(request, unit, period, timeliness=on_time_counts(code, period), sums=sums,
                       poktan_rows=poktan_rows(sums), statuses=queue.STATUSES, by_rt=unit.level in QUEUE_LEVELS,
                       activities=activities_in(code, period)[:LIST_LIMIT], list_limit=LIST_LIMIT)
    if context["by_rt"]:
        rows = queue.rt_rows(code, period)
        context["rows"], context["groups"] = rows, queue.group_by_rw(code, rows)
        context["counts"], context["waiting"] = queue.status_counts(rows), queue.waiting_with_rw(context["groups"])
    else:
        groups = queue.desa_by_kecamatan(code, period)
        context["kecamatan_groups"] = groups
        context["kecamatan_without_rts"] = [g.kecamatan.name for g in groups if g.kecamatan and not g.expected]
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
            messages.success(request, _("Laporan %(rt)s diverifikasi.") % {"rt": unit.label})
        return redirect(_after_check(request, code, period))
    context = page_context(request, unit, period, report=existing, next=back(request, ""))
    return render(request, "reports/workflow/verify.html", context)


def _after_check(request, code, period) -> str:
    """Where a PKB goes after verifying or returning a report from its page: the next sent report
    waiting in the desa, or the queue when none is left (from the queue: back to it)."""
    if (request.POST.get("then") or request.GET.get("then")) != "next":
        return back(request, queue_url(request, code, period))
    following = queue.next_waiting(code, period, after=code)
    if following is None:
        messages.info(request, _("Semua laporan yang dikirim sudah diperiksa."))
        return queue_url(request, code, period)
    return reverse("report", args=[following, period_str(period)])


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
            messages.success(request, done % {"rt": unit.label})
            return redirect(_after_check(request, code, period))
    context = page_context(request, unit, period, report=existing, form=form, allowed=allowed, next=back(request, ""),
                           then=request.POST.get("then") or request.GET.get("then", ""))
    if existing is not None:
        context["table"] = report_table(existing)
        previous = MonthlyReport.objects.filter(rt_id=existing.rt_id, period=add_months(period, -1)).first()
        context["flags"] = queue.flags_for(existing, previous)
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
    unit = access.unit_for_reading(request.user, code)
    if not access.may_verify(request.user):
        raise PermissionDenied
    here = reverse("verification_queue", args=[code, period_str(period)])
    if request.method == "POST":
        include_flagged = request.POST.get("include_flagged") == "1"
        try:
            done = workflow.report_verify_all(unit=unit, period=period, by=request.user,
                                              include_flagged=include_flagged)
        except workflow.WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(n)s laporan diverifikasi.") % {"n": done.verified})
            if done.skipped_flagged:
                messages.info(request, _("%(n)s laporan yang ditandai perlu dicek dilewati: periksa satu per satu.")
                              % {"n": len(done.skipped_flagged)})
        return redirect(here)
    submitted = list(MonthlyReport.objects.in_subtree(code).filter(period=period, status=ReportStatus.SUBMITTED)
                     .select_related("rt").order_by("rt_id"))
    flagged = workflow.flagged_rts(submitted)
    context = page_context(request, unit, period, queue_url=here, submitted=len(submitted),
                           clean=[r for r in submitted if r.rt_id not in flagged],
                           flagged=[r for r in submitted if r.rt_id in flagged])
    return render(request, "reports/workflow/verify_all.html", context)
