"""Pages of the 6 Peran Bakti scorecard: a month (a row per institution at a desa and below, a row
per child unit above), a year, and an institution's monthly self-reliance entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cadres import access
from cadres.models import Institution
from cadres.periods import current_period, period_label, period_str
from reports.models import SelfReliance
from reports.monthly.locking import StaleReport, WorkflowError
from reports.monthly.view_helpers import page_context, stale_form
from reports.scorecard.forms import SelfRelianceForm
from reports.scorecard.roles import IMP_KINDS, ROLES
from reports.scorecard.services import self_reliance_save
from reports.scorecard.tables import INSTITUTION_LEVELS, SORTS, child_rows, month_rows, year_months, year_rows


FIRST_YEAR, LAST_YEAR = 2000, 2100


def _sort(request) -> str:
    return request.GET.get("urut") if request.GET.get("urut") in SORTS else "skor"


@login_required
def scorecard(request, code, period):
    unit = access.unit_for_reading(request.user, code)
    sort = _sort(request)
    context = page_context(request, unit, period, roles=ROLES, sort=sort, year=period.year)
    if unit.level in INSTITUTION_LEVELS:
        context["rows"] = month_rows(code, period, sort)
        context["can_write"] = access.can_write(request.user, code)
    else:
        context["child_rows"] = child_rows(unit, period, period, sort)
    return render(request, "reports/scorecard/month.html", context)


@login_required
def scorecard_year(request, code, year):
    unit = access.unit_for_reading(request.user, code)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    sort, last = _sort(request), min(current_period(), year_months(year)[-1])
    context = page_context(request, unit, last, sort=sort, year=year, months=year_months(year))
    if unit.level in INSTITUTION_LEVELS:
        context["rows"] = year_rows(code, year, last, sort)
    elif last >= year_months(year)[0]:
        rows = child_rows(unit, year_months(year)[0], last, sort)
        for row in rows:
            row.shares += [None] * (12 - len(row.shares))
        context["child_rows"] = rows
    return render(request, "reports/scorecard/year.html", context)


@login_required
def self_reliance(request, pk, period):
    institution = get_object_or_404(Institution.objects.select_related("unit"), pk=pk, kind__in=IMP_KINDS)
    unit = access.unit_for_writing(request.user, institution.unit_id)
    entry = SelfReliance.objects.filter(institution=institution, period=period).first()
    form = SelfRelianceForm(request.POST or None, instance=entry, initial={"version": entry.version if entry else 0})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            self_reliance_save(institution=institution, period=period, dues=form.cleaned_data["dues"],
                               note=form.cleaned_data["note"], version=form.cleaned_data["version"], by=request.user)
        except StaleReport as refused:
            form, status = stale_form(SelfRelianceForm, request, refused, instance=entry), 409
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Kemandirian %(name)s %(month)s disimpan.")
                             % {"name": institution, "month": period_label(period)})
            return redirect("scorecard", code=institution.unit_id, period=period_str(period))
    context = page_context(request, unit, period, form=form, institution=institution, entry=entry)
    return render(request, "reports/scorecard/self_reliance.html", context, status=status)
