"""MKJP prospects and their counselling: `/prospek/<code>/` (the list and the month's funnel) and
`/pasangan/<pk>/konseling/` (record one).

Counselling names couples and why they hesitate: the cadres, their PKB and admins see the list;
the OPD sees the funnel's sums only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import access
from cadres.idempotency import idempotent
from cadres.navigation import back
from cadres.register.outreach import counselling_record, funnel, prospect_list
from cadres.register.outreach_forms import CounsellingForm, today_initial
from cadres.register.views import couple_for


SHOWN = 30  # prospects listed on one page (an RT has fewer); the funnel counts them all


@login_required
def prospects(request, code):
    unit = access.unit_for_reading(request.user, code)
    today = timezone.localdate()
    month = funnel(code, today.replace(day=1), today)
    sees_names = access.sees_counselling(request.user)
    found = prospect_list(code, today) if sees_names else None
    context = {
        "unit": unit, "today": today, "funnel": month, "children": _children(unit, month),
        "reasons": month.reasons_given(),
        "ancestors": access.visible_ancestors(request.user, unit),
        "prospects": found[:SHOWN] if found is not None else None,
        "prospect_total": len(found or ()), "more": max(0, len(found or ()) - SHOWN),
        "can_write": access.can_write(request.user, code) and sees_names,
    }
    return render(request, "cadres/register/prospects.html", context)


def _children(unit, month) -> list[tuple]:
    names = {child.code: child for child in unit.children.all()} if month.children else {}
    return [(names[code], stages) for code, stages in month.children.items() if code in names]


@login_required
@idempotent
def counselling_new(request, pk):
    couple = couple_for(request, pk, write=True)
    if not access.sees_counselling(request.user):
        raise PermissionDenied
    form = CounsellingForm(request.POST or None, couple=couple, initial=today_initial())
    if request.method == "POST" and form.is_valid():
        counselling_record(couple=couple, by=request.user, **form.cleaned_data)
        messages.success(request, _("Konseling %(couple)s dicatat.") % {"couple": couple})
        return redirect(back(request, reverse("prospects", args=[couple.rt_id])))
    next_url = back(request, reverse("prospects", args=[couple.rt_id]))
    return render(request, "cadres/register/counselling.html", {"form": form, "couple": couple, "next": next_url})
