"""The follow-up list (`/tindak-lanjut/<code>/`) and the "ulang" tap on it.

Everyone who may read the unit's register sees the list (names are register data); only those
who may write it record a repeat or take one back, always on the couple's RT.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres import access
from cadres.idempotency import idempotent, not_done
from cadres.models import Service
from cadres.navigation import back
from cadres.register.followup import NotRepeated, follow_ups, service_record, service_undo
from cadres.register.views import couple_for


SHOWN = 30  # visits per section on one page: the most urgent first (an RT has fewer)


@login_required
def follow_up_list(request, code):
    """Whom to visit: names, for the cadres, their PKB and admins (403 for the OPD)."""
    unit = access.unit_for_reading(request.user, code)
    access.check(access.sees_couple_names(request.user))
    today = timezone.localdate()
    found = follow_ups(code, today)
    context = {
        "unit": unit, "today": today, "follow_ups": found,
        "sections": {key: {"visits": visits[:SHOWN], "more": max(0, len(visits) - SHOWN), "total": len(visits)}
                     for key, visits in found.visits.items()},
        "ancestors": access.visible_ancestors(request.user, unit),
        "can_write": access.can_write(request.user, code),
        "recorded": _recorded(request),
    }
    return render(request, "cadres/register/followup.html", context)


def _recorded(request) -> Service | None:
    """The repeat just recorded (`?dicatat=<id>`), offered for undoing, if the user may."""
    number = request.GET.get("dicatat", "")
    if not number.isascii() or not number.isdigit():
        return None
    service = Service.objects.select_related("couple").filter(pk=int(number)).first()
    if service is None or not access.can_write(request.user, service.couple.rt_id):
        return None
    return service


@login_required
@require_POST
@idempotent
def couple_repeat(request, pk):
    """Records today's repeat of the couple's method, or takes back one (`batal`)."""
    couple = couple_for(request, pk, write=True)
    to_list = reverse("follow_ups", args=[couple.rt_id])
    if "batal" in request.POST:
        service = get_object_or_404(Service, pk=request.POST.get("batal") or 0, couple=couple)
        service_undo(service=service, by=request.user)
        messages.success(request, _("Layanan ulang %(couple)s dibatalkan.") % {"couple": couple})
        return redirect(back(request, to_list))
    try:
        service = service_record(couple=couple, date=timezone.localdate(), by=request.user)
    except NotRepeated:
        not_done(request)
        messages.error(request, _("%(couple)s tidak sedang memakai suntik, pil atau kondom.") % {"couple": couple})
        return redirect(back(request, to_list))
    messages.success(request, _("%(couple)s: layanan ulang dicatat %(date)s.") % {
        "couple": couple, "date": date_format(service.date, "j F Y")})
    url = back(request, to_list)
    return redirect(f"{url}{'&' if '?' in url else '?'}dicatat={service.pk}")
