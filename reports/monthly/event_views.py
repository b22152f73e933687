"""Pages of an activity: recording one, reading it (with its photo and follow-ups), changing or
removing it, and closing a follow-up. An activity is reached by its number, so each view checks
the user's scope on the activity's own unit: outside it, 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres import access
from cadres.idempotency import idempotent
from cadres.navigation import back
from cadres.periods import month_end, period_str
from reports.models import Activity, FollowUp
from reports.monthly.event_forms import ActivityForm
from reports.monthly.events import ACTIVITY_LEVELS, activity_delete, activity_save, follow_up_close, open_follow_ups
from reports.monthly.locking import StaleReport, WorkflowError
from reports.monthly.view_helpers import page_context, stale_form


def _activity(request, pk, *, write=False) -> Activity:
    activity = get_object_or_404(Activity.objects.select_related("unit", "created_by").defer("photo"), pk=pk)
    if not access.can_see(request.user, activity.unit_id):
        raise Http404
    if write and not access.can_write(request.user, activity.unit_id):
        raise PermissionDenied
    return activity


def _month_page(activity_or_unit_code, day):
    return redirect("desa_activities", code=activity_or_unit_code, period=period_str(day.replace(day=1)))


def _save(request, form, unit, activity=None):
    """Saves a valid form; the response, or None when the service refused (said on the form)."""
    try:
        saved = activity_save(unit=unit, by=request.user, values=form.values(), follow_ups=form.follow_ups(),
                              photo=form.photo(), activity=activity, version=form.cleaned_data.get("version") or 0)
    except StaleReport:
        raise
    except WorkflowError as error:
        form.add_error(None, error.message)
        return None
    messages.success(request, _("Kegiatan %(kind)s disimpan.") % {"kind": saved.get_kind_display()})
    return _month_page(unit.code, saved.date)


@login_required
@idempotent
def activity_new(request, code, period):
    unit = access.unit_for_writing(request.user, code)
    if unit.level not in ACTIVITY_LEVELS:
        raise Http404
    today = timezone.localdate()
    initial = {"date": today if period <= today <= month_end(period) else None}
    form = ActivityForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, unit)
        if response:
            return response
    context = page_context(request, unit, period, form=form, activity=None,
                           open_follow_ups=open_follow_ups(code, period))
    return render(request, "reports/events/activity_form.html", context)


@login_required
def activity_edit(request, pk):
    activity = _activity(request, pk, write=True)
    form = ActivityForm(request.POST or None, request.FILES or None, instance=activity,
                        initial={"version": activity.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            response = _save(request, form, activity.unit, activity)
        except StaleReport as stale:
            form, status = stale_form(ActivityForm, request, stale, instance=activity), 409
        else:
            if response:
                return response
    context = page_context(request, activity.unit, activity.date.replace(day=1), form=form, activity=activity)
    return render(request, "reports/events/activity_form.html", context, status=status)


@login_required
def activity_detail(request, pk):
    activity = _activity(request, pk)
    context = page_context(request, activity.unit, activity.date.replace(day=1), activity=activity,
                           follow_ups=activity.follow_ups.select_related("closed_by"),
                           has_photo=Activity.objects.filter(pk=pk, photo__isnull=False).exists(),
                           can_write=access.can_write(request.user, activity.unit_id))
    return render(request, "reports/events/activity_detail.html", context)


@login_required
def activity_remove(request, pk):
    """GET: the activity and a button; POST (from that page): removed."""
    activity = _activity(request, pk, write=True)
    if request.method == "POST":
        try:
            activity_delete(activity, by=request.user)
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect("activity_detail", pk=pk)
        messages.success(request, _("Catatan kegiatan dihapus."))
        return _month_page(activity.unit_id, activity.date)
    context = page_context(request, activity.unit, activity.date.replace(day=1), activity=activity)
    return render(request, "reports/events/activity_delete.html", context)


@login_required
def activity_photo(request, pk):
    activity = _activity(request, pk)
    photo = Activity.objects.filter(pk=activity.pk).values_list("photo", flat=True).first()
    if not photo:
        raise Http404
    response = HttpResponse(bytes(photo), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_POST
def follow_up_toggle(request, pk):
    """Closes a follow-up (or opens it again, `action=buka`), then back to the page it was on."""
    follow_up = get_object_or_404(FollowUp.objects.select_related("activity"), pk=pk)
    if not access.can_see(request.user, follow_up.activity.unit_id):
        raise Http404
    reopen = request.POST.get("action") == "buka"
    follow_up_close(follow_up, by=request.user, reopen=reopen)
    if reopen:
        messages.success(request, _("Tindak lanjut dibuka lagi: %(text)s") % {"text": follow_up.text})
    else:
        messages.success(request, _("Tindak lanjut selesai: %(text)s") % {"text": follow_up.text})
    return redirect(back(request, reverse("activity_detail", args=[follow_up.activity_id])))
