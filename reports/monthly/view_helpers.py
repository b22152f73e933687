"""What the report workflow's pages share: the page context of a unit and month, the RT in scope,
and the way back to the queue."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from cadres import access, codes
from cadres.periods import period_label, period_str
from reports.monthly.deadlines import closed_period_for

QUEUE_LEVELS = ("desa", "rw", "rt")  # above a desa the queue is a summary per desa


def page_context(request, unit, period, **extra) -> dict:
    return {
        "unit": unit, "period": period_str(period), "period_date": period, "period_label": period_label(period),
        "ancestors": access.visible_ancestors(request.user, unit),
        "closed": closed_period_for(unit.code, period),
        "can_verify": access.may_verify(request.user), "follows_reports": access.follows_reports(request.user),
        **extra,
    }


def stale_form(form_class, request, stale, **kwargs):
    """The refused form again with what they typed, at the version saved now, so that saving
    again after reading who changed it is a deliberate overwrite, not another refusal."""
    data = request.POST.copy()
    data["version"] = str(stale.version)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, stale.message)
    return form


def rt_for_reading(request, code, *, verifier=False):
    unit = access.unit_for_reading(request.user, code)
    if verifier and not access.may_verify(request.user):
        raise PermissionDenied
    if not unit.is_rt:
        raise Http404
    return unit


def queue_url(request, code, period) -> str:
    desa = next((c for c in codes.ancestors(code) + [code] if codes.level_of(c) == "desa"), code)
    return reverse("verification_queue", args=[desa if access.can_see(request.user, desa) else code, period_str(period)])
