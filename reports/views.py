from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cadres import scope
from reports.periods import period_label, period_str


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
