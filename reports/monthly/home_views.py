"""The home page: the day's task of each role (the numbers come from `reports.monthly.home`)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cadres import access
from cadres.periods import current_period, period_label, period_str
from reports.monthly import closing, home, queue


@login_required
def home_page(request):
    units = list(access.top_units(request.user))
    period = current_period()
    context = {"units": units, "period": period_str(period), "period_label": period_label(period)}
    home_kind = access.home_of(request.user)
    context["home_kind"] = home_kind
    if home_kind == "kader":
        context["rt_tasks"] = home.rt_tasks([unit for unit in units if unit.is_rt])
        context["areas"] = [(unit, queue.rts_by_rw(unit.code, period)) for unit in units if not unit.is_rt]
    elif home_kind == "pkb":
        context["waiting"] = sorted(home.waiting_per_unit(units, period), key=lambda row: (-row.flagged, -row.waiting))
        context["coverage"] = closing.counts_per_unit(units, period)
    else:
        context["coverage"] = closing.counts_per_unit(units, period)
    return render(request, "reports/home/home.html", context)
