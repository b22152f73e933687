"""Pages of the desa's monthly activities (the PPKBD's form, sums above the desa) and of closing a
month (the OPD of the kabupaten, or an admin)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import access
from cadres.models import Unit
from cadres.periods import month_end, period_label, period_str
from reports.models import DesaActivityReport
from reports.monthly import workflow
from reports.monthly.activities import activity_values, desa_activity_save, desa_activity_sums, poktan_rows
from reports.monthly.closing import closing_summary
from reports.monthly.events import (ACTIVITY_LEVELS, KIND_GROUPS, LIST_LIMIT, activities_in, child_rows, counts_by_child,
                                    open_follow_ups)
from reports.monthly.deadlines import kabupaten_code, period_close, period_reopen
from reports.monthly.forms import DesaActivityForm
from reports.monthly.locking import StaleReport
from reports.monthly.view_helpers import page_context, stale_form

@login_required
def desa_activities(request, code, period):
    """The month's activities of a unit: for a desa its events, open follow-ups and the poktan
    form; for an RW or RT its events; above a desa the sums, counts per unit and the latest events."""
    unit = access.unit_for_reading(request.user, code)
    sums = desa_activity_sums(code, period)
    context = page_context(request, unit, period, sums=sums, poktan_rows=poktan_rows(sums))
    context |= _events_context(request, unit, period, closed=context["closed"])
    if unit.level != "desa":
        return render(request, "reports/workflow/activities_sum.html", context)
    if request.method == "POST" and not access.can_write(request.user, code):
        raise PermissionDenied
    report = DesaActivityReport.objects.filter(desa=unit, period=period).prefetch_related("poktan").first()
    context["report"] = report
    status = 200
    if request.method == "POST":
        form = DesaActivityForm(request.POST)
        if form.is_valid():
            try:
                desa_activity_save(desa=unit, period=period, values=form.values(),
                                   version=form.cleaned_data["version"], by=request.user)
            except StaleReport as stale:
                form, status = stale_form(DesaActivityForm, request, stale), 409
            except workflow.WorkflowError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Angka poktan disimpan."))
                return redirect("desa_activities", code=code, period=period_str(period))
        context["form"] = form
    elif access.can_write(request.user, code) and context["closed"] is None:
        context["form"] = DesaActivityForm(initial={**activity_values(report), "version": report.version if report else 0})
    return render(request, "reports/workflow/activities.html", context, status=status)


def _events_context(request, unit, period, *, closed) -> dict:
    context = {"activities": activities_in(unit.code, period)[:LIST_LIMIT], "list_limit": LIST_LIMIT}
    if unit.level in ACTIVITY_LEVELS:
        context["open_follow_ups"] = open_follow_ups(unit.code, period)
        context["month_is_over"] = month_end(period) < timezone.localdate()  # some may be closed since
        context["can_record"] = access.can_write(request.user, unit.code) and closed is None
    else:
        children = unit.children.all()
        context["children"] = children
        context["child_rows"] = child_rows(children, counts_by_child(unit.code, period))
        context["kind_groups"] = [label for label, _kinds in KIND_GROUPS]
    return context


@login_required
def period_closing(request, code, period):
    """GET: what is left this month; `?langkah=tutup` or `?langkah=buka`: the confirmation that
    repeats it; POST (from that confirmation): closed or reopened."""
    unit = access.unit_for_reading(request.user, code)
    kabupaten = kabupaten_code(code)
    if kabupaten is None:
        raise Http404
    can_close = access.may_close_period(request.user) and access.can_see(request.user, kabupaten)
    if request.method == "POST":
        if not can_close:
            raise PermissionDenied
        return _close_or_reopen(request, code, kabupaten, period)
    kabupaten_unit = Unit.objects.get(code=kabupaten)
    context = page_context(request, unit, period, can_close=can_close, kabupaten=kabupaten_unit,
                       summary=closing_summary(kabupaten_unit, period))
    step = request.GET.get("langkah")
    if can_close and step in CONFIRM_STEPS and (step == "buka") == (context["closed"] is not None):
        return render(request, "reports/workflow/closing_confirm.html", {**context, "step": step})
    return render(request, "reports/workflow/closing.html", context)


CONFIRM_STEPS = ("tutup", "buka")


def _close_or_reopen(request, code, kabupaten: str, period):
    """Changes the month only with the confirmation page's `confirm`; without it, to that page."""
    reopen = request.POST.get("action") == "reopen"
    url = reverse("period_closing", kwargs={"code": code, "period": period_str(period)})
    if request.POST.get("confirm") != "1":
        return redirect(f"{url}?langkah={'buka' if reopen else 'tutup'}")
    if reopen:
        period_reopen(kabupaten=kabupaten, period=period, by=request.user)
        messages.success(request, _("Periode %(period)s dibuka lagi.") % {"period": period_label(period)})
    else:
        period_close(kabupaten=kabupaten, period=period, by=request.user)
        messages.success(request, _("Periode %(period)s ditutup.") % {"period": period_label(period)})
    return redirect(url)
