from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from cadres import scope
from reports.periods import period_label, period_str
from reports.recap import recap_for, to_jsonable


@login_required
def dashboard(request, code, period):
    unit = scope.unit_for_reading(request.user, code)
    context = {
        "unit": unit,
        "children": unit.children.all(),
        "ancestors": [a for a in unit.ancestors() if scope.can_see(request.user, a.code)],
        "period": period_str(period),
        "period_label": period_label(period),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
def recap_json(request, code, period):
    unit = scope.unit_for_reading(request.user, code)
    recap = to_jsonable(recap_for(unit, period))
    return JsonResponse(recap, json_dumps_params={"ensure_ascii": False})
