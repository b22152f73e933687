"""The dashboard of a unit and month, and its recap as JSON, PDF and workbook (docs/interfaces.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cadres import access
from cadres.periods import add_months, current_period, parse_period, period_label, period_str
from reports.numbers.dashboard import dashboard_for
from reports.numbers.exports.dhis2 import data_value_set
from reports.numbers.exports.pack import pack_pdf
from reports.numbers.exports.pdf import recap_pdf
from reports.numbers.exports.peta_pdf import MAP_LEVELS, map_context, peta_pdf
from reports.numbers.exports.tables import child_level_title, sort_headers, unit_title
from reports.numbers.exports.xlsx import XLSX_TYPE, recap_xlsx
from reports.numbers.recap import recap_for, to_jsonable
from reports.targets.campaigns import active_campaigns


@login_required
def dashboard(request, code, period):
    unit = access.unit_for_reading(request.user, code)
    if "bulan" in request.GET:
        return _to_month(request, unit, request.GET["bulan"])
    sort = request.GET.get("sort", "")
    context = {
        "unit": unit,
        "unit_title": unit_title(unit.code, unit.name),
        "ancestors": access.visible_ancestors(request.user, unit),
        "period": period_str(period),
        "period_label": period_label(period),
        "previous_period": period_str(add_months(period, -1)),
        "next_period": period_str(add_months(period, 1)) if period < current_period() else None,
        "sort": sort,
        "headers": sort_headers(sort),
        "child_level": child_level_title(unit.level),
        **dashboard_for(unit, period, sort),
        "campaigns": active_campaigns(unit.code),
        "can_edit_targets": access.may_set_targets(request.user),
    }
    context["month_url_base"] = _month_url_base(unit.code, context["period"])
    if unit.is_rt:
        context["peta"] = map_context(unit, period, names=access.sees_couple_names(request.user))
    return render(request, "reports/dashboard.html", context)


def _month_url_base(code: str, period: str) -> str:
    """The unit's dashboard URL without its month (`urls.py`: the path ends with `YYYY-MM/`), for
    the trend's twelve links: one `reverse` where a `{% url %}` per row cost 40 µs each."""
    return reverse("dashboard", args=[code, period]).removesuffix(f"{period}/")


def _to_month(request, unit, month):
    """The month picker's GET form: on to that month's dashboard (same sort), or back with a message."""
    sort = request.GET.get("sort")
    try:
        url = reverse("dashboard", args=[unit.code, period_str(parse_period(month))])
        return redirect(url + (f"?{urlencode({'sort': sort})}" if sort else ""))
    except ValueError:
        messages.error(request, _("Bulan %(month)s tidak sah: pilih bulan dan tahun.") % {"month": month[:20]})
        return redirect(request.path)


@login_required
def recap_json(request, code, period):
    unit = access.unit_for_reading(request.user, code)
    recap = to_jsonable(recap_for(unit, period))
    return JsonResponse(recap, json_dumps_params={"ensure_ascii": False})


@login_required
def recap_dhis2(request, code, period):
    """The recap as a DHIS2 data value set: the RTs of the unit the user may see."""
    unit = access.unit_for_reading(request.user, code)
    return JsonResponse(data_value_set(unit.code, period), json_dumps_params={"ensure_ascii": False})


@login_required
def recap_pdf_download(request, code, period):
    unit = access.unit_for_reading(request.user, code)
    return _attachment(recap_pdf(unit, period), "application/pdf", unit, period, "pdf")


@login_required
def recap_xlsx_download(request, code, period):
    unit = access.unit_for_reading(request.user, code)
    return _attachment(recap_xlsx(unit, period), XLSX_TYPE, unit, period, "xlsx")


@login_required
def lokakarya_pack(request, code, period):
    """The mini lokakarya pack of a desa (sums and follow-ups only: everyone who sees the desa)."""
    unit = access.unit_for_reading(request.user, code)
    if unit.level != "desa":
        raise Http404
    return _attachment(pack_pdf(unit, period), "application/pdf", unit, period, "pdf", name="lokakarya")


@login_required
def peta_pdf_download(request, code, period):
    """The Peta PUS of an RT, or one page per RT of an RW or desa."""
    unit = access.unit_for_reading(request.user, code)
    if unit.level not in MAP_LEVELS:
        raise Http404
    content = peta_pdf(unit, period, names=access.sees_couple_names(request.user))
    return _attachment(content, "application/pdf", unit, period, "pdf", name="peta")


def recap_filename(unit, period, extension, name="rekap"):
    return f"{name}-{unit.code}-{period_str(period)}.{extension}"


def _attachment(content, content_type, unit, period, extension, name="rekap"):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{recap_filename(unit, period, extension, name)}"'
    return response
