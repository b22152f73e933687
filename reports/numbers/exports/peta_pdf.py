"""`peta.pdf`: the Peta PUS of an RT (one A4 page; a desa's or RW's has a page per RT), and the
same map's context for the RT's dashboard. Names and house numbers only for those who may see
them (`cadres.access.sees_couple_names`); the others get the colours' counts."""

import datetime

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from weasyprint import CSS, HTML

from cadres import access, codes
from cadres.indicators import MKJP
from cadres.models import Unit
from cadres.periods import period_label
from cadres.register.peta import KEYS, LABELS, SHORT, RtMap, peta
from reports.numbers.exports import tables

MAP_LEVELS = ("desa", "rw", "rt")


def legend(rt_map: RtMap) -> list[dict]:
    counts = rt_map.counts
    return [{"key": key, "label": LABELS[key], "short": SHORT[key], "mkjp": key in MKJP, "n": counts[key]}
            for key in KEYS]


def map_context(unit: Unit, period: datetime.date, *, names: bool) -> dict:
    """The maps of the unit's RTs with a title and legend each: what the PDF and the page show."""
    desa_code = unit.code[: codes.CODE_LENGTHS["desa"]]
    desa = unit if unit.level == "desa" else next(a for a in access.unit_ancestors(unit) if a.code == desa_code)
    maps = [{"map": rt_map, "title": tables.rt_label(rt_map.rt), "legend": legend(rt_map),
             "figures": rt_map.figures} for rt_map in peta(unit.code, period)]
    return {"maps": maps, "names": names, "short": SHORT, "desa_title": tables.unit_title(desa.code, desa.name),
            "period_label": period_label(period)}


def peta_pdf(unit: Unit, period: datetime.date, *, names: bool) -> bytes:
    context = map_context(unit, period, names=names)
    context["printed_at"] = date_format(timezone.localtime(), "j F Y H:i")
    colours = CSS(filename=finders.find("css/peta.css"))
    return HTML(string=render_to_string("reports/peta_pdf.html", context)).write_pdf(stylesheets=[colours])
