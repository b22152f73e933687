"""Pages of the MKJP campaigns of a unit: the list with progress and a campaign's page with its
MKJP funnel over its dates (everyone in scope reads them: sums, no names), and creating, editing
and deleting a campaign (those who may set targets, inside their scope).

A campaign is always addressed under its own unit's code, so the scope check of that code is the
scope check of the campaign: outside it every URL answers 404 before anything else is looked at.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import access
from cadres.indicators import percent
from cadres.register.outreach import funnel
from reports.models import Campaign
from reports.targets.campaigns import campaign_create, campaign_delete, campaign_update, campaigns_with_progress, progress
from reports.targets.forms import CampaignForm, campaign_initial
from reports.targets.views import target_context


def _unit_for_editing(request, code):
    unit = access.unit_for_reading(request.user, code)
    if not access.may_set_targets(request.user):
        raise PermissionDenied
    return unit


def _campaign_in_scope(request, code, campaign_pk):
    unit = _unit_for_editing(request, code)
    return unit, get_object_or_404(Campaign.objects.select_related("unit"), pk=campaign_pk, unit=unit)


@login_required
def campaigns(request, code):
    unit = access.unit_for_reading(request.user, code)
    if request.method == "POST":  # the list once held the form: a POST here creates, as `baru/` does
        return campaign_new(request, code)
    found = campaigns_with_progress(unit.code)
    readable = {p.campaign.unit_id for p in found if access.can_see(request.user, p.campaign.unit_id)}
    context = target_context(request, unit, campaigns=found, readable_units=readable,
                             can_edit=access.may_set_targets(request.user))
    return render(request, "reports/targets/campaigns.html", context)


@login_required
def campaign_detail(request, code, campaign):
    """The campaign, its progress and its funnel from its start to its end (or today)."""
    unit = access.unit_for_reading(request.user, code)
    campaign = get_object_or_404(Campaign.objects.select_related("unit"), pk=campaign, unit=unit)
    today = timezone.localdate()
    context = target_context(request, unit, campaign=campaign, progress=progress([campaign])[0],
                             **_funnel_context(unit, campaign, today))
    return render(request, "reports/targets/campaign_detail.html", context)


def _funnel_context(unit, campaign, today) -> dict:
    """The funnel of the campaign's unit from its start to min(end, today): stages with their share
    of the prospects, every child unit (zeros where it had no prospect), reasons most given first."""
    if campaign.start > today:
        return {"funnel": None}
    end = min(campaign.end, today)
    result = funnel(campaign.unit_id, campaign.start, end)
    zeros = dict.fromkeys(result.stages, 0)
    children = [(child, result.children.get(child.code, zeros)) for child in unit.children.order_by("code")]
    shares = {stage: percent(n, result.stages["prospects"]) for stage, n in result.stages.items()}
    return {"funnel": result, "funnel_end": end, "shares": shares, "children": children,
            "reasons": result.reasons_given()}


@login_required
def campaign_new(request, code):
    unit = _unit_for_editing(request, code)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign_create(unit=unit, by=request.user, **form.cleaned_data)
        messages.success(request, _("Kampanye %(name)s disimpan.") % {"name": form.cleaned_data["name"]})
        return redirect("campaigns", code=code)
    context = target_context(request, unit, form=form, campaign=None)
    return render(request, "reports/targets/campaign_form.html", context)


@login_required
def campaign_edit(request, code, campaign):
    unit, campaign = _campaign_in_scope(request, code, campaign)
    form = CampaignForm(request.POST or None, initial=campaign_initial(campaign))
    if request.method == "POST" and form.is_valid():
        campaign_update(campaign, by=request.user, **form.cleaned_data)
        messages.success(request, _("Kampanye %(name)s diubah.") % {"name": campaign.name})
        return redirect("campaigns", code=code)
    context = target_context(request, unit, form=form, campaign=campaign)
    return render(request, "reports/targets/campaign_form.html", context)


@login_required
def campaign_remove(request, code, campaign):
    """GET: the campaign and its progress, and a button; POST (from that page): deleted."""
    unit, campaign = _campaign_in_scope(request, code, campaign)
    if request.method == "POST":
        campaign_delete(campaign, by=request.user)
        messages.success(request, _("Kampanye %(name)s dihapus.") % {"name": campaign.name})
        return redirect("campaigns", code=code)
    context = target_context(request, unit, progress=progress([campaign])[0])
    return render(request, "reports/targets/campaign_delete.html", context)
