"""The OPD's PPM target page: the yearly target of a unit and its split over the children; and
who may set targets (also who may create, edit and delete campaigns: `reports.targets.campaign_views`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cadres import access
from cadres.indicators import METHODS, resolve_targets
from cadres.indicators import METHOD_LABELS
from cadres.periods import current_period, period_str
from reports.numbers.exports.tables import unit_title
from reports.numbers.rollup import targets_in_subtree
from reports.targets.forms import TargetsForm, field_name, initial_values
from reports.targets.ppm import children_pus, split_targets, targets_save

YEARS = range(2000, 2101)
SOURCE_LABELS = {"reports": "laporan bulanan", "register": "register PUS"}


def target_context(request, unit, **extra) -> dict:
    return {
        "unit": unit, "unit_title": unit_title(unit.code, unit.name),
        "dashboard_period": period_str(current_period()), **extra,
    }


@login_required
def targets(request, code, year):
    unit = access.unit_for_reading(request.user, code)
    if not access.may_set_targets(request.user):
        raise PermissionDenied
    if year not in YEARS:
        raise Http404
    children = list(unit.children.order_by("code"))
    pus, pus_source = None, ""
    if request.method == "POST":
        form = TargetsForm(request.POST, unit=unit, children=children)
        valid = form.is_valid()
        if request.POST.get("action") == "bagi":
            form, pus, pus_source = _proposal(form, unit, children, year)
        elif valid:
            targets_save(year=year, targets=form.targets(), by=request.user)
            messages.success(request, _("Target PPM %(year)s disimpan.") % {"year": year})
            return redirect("targets", code=code, year=year)
    else:
        saved = resolve_targets(targets_in_subtree(code, year), [u.code for u in form_units(unit, children)])
        form = TargetsForm(initial=initial_values(saved), unit=unit, children=children)
    context = target_context(
        request, unit, year=year, form=form, rows=_rows(form, unit, pus), sums=_sums(form, unit, children),
        method_labels=[METHOD_LABELS[m] for m in METHODS], pus_source=SOURCE_LABELS.get(pus_source, ""),
        split=pus is not None,
    )
    return render(request, "reports/targets/targets.html", context)


def form_units(unit, children):
    return [unit, *children]


def _proposal(form, unit, children, year):
    """"Bagi otomatis": the unit's own target (as typed) split over the children by their PUS;
    only the unit's own fields need to be right for it."""
    own = form.unit_targets(unit)
    if own is None:
        for child in children:
            for method in METHODS:
                form.errors.pop(field_name(method, child.code), None)
        return form, None, ""
    pus, source = children_pus(unit, children, year)
    proposal = split_targets(own, pus)
    form = TargetsForm(initial=initial_values({unit.code: own, **proposal}), unit=unit, children=children)
    return form, pus, source


def _number(bound_field):
    try:
        return int(bound_field.value())
    except (TypeError, ValueError):
        return None


def _rows(form, unit, pus):
    return [
        {"unit": row_unit, "title": unit_title(row_unit.code, row_unit.name), "fields": fields,
         "pus": pus.get(row_unit.code) if pus is not None else None, "own": row_unit == unit}
        for row_unit, fields in form.rows()
    ]


def _sums(form, unit, children):
    """Per method: the unit's own target, the children's sum, and the difference (shown, allowed)."""
    if not children:
        return []
    sums = []
    for method in METHODS:
        own = _number(form[field_name(method, unit.code)])
        below = sum(_number(form[field_name(method, child.code)]) or 0 for child in children)
        sums.append({"label": METHOD_LABELS[method], "own": own, "children": below,
                     "difference": below - own if own is not None else None})
    return sums
