"""`rekap.pdf`: the printable recap of a unit and month (WeasyPrint, A4), laid out like the
monthly recap a kabupaten office files: letterhead of the OPD, the unit and month, headline
figures, the children table, methods × places with PB against the PPM target, coverage, from a
desa up the PPKBD's desa report summed ("Kegiatan PPKBD": institutions on record and reporting,
meetings, KIE sessions, the poktan), and a signature block (place, date, the head of the OPD,
from the settings `OPD_*`). A desa's recap fits one page.
"""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from weasyprint import HTML

from cadres.models import Unit
from cadres.periods import period_label
from reports.numbers.dashboard import report_states
from reports.numbers.exports import recap_and_counts, tables
from reports.numbers.imp_report import imp_context
from reports.numbers.register_month import drop_outs, register_counts_at


def recap_pdf(unit: Unit, period: datetime.date, source: str = "reports") -> bytes:
    return HTML(string=recap_html(unit, period, source)).write_pdf()


def recap_html(unit: Unit, period: datetime.date, source: str = "reports") -> str:
    recap, counts = recap_and_counts(unit, period, source)
    ancestors = list(unit.ancestors())
    above = {ancestor.level: ancestor for ancestor in ancestors}
    return render_to_string("reports/recap_pdf.html", {
        "recap": recap,
        **_states(recap, unit.code, period, source),
        "unit_title": tables.unit_title(unit.code, unit.name),
        "above": [tables.unit_title(a.code, a.name) for a in reversed(ancestors)],
        "period_label": period_label(period),
        "totals": tables.figures_row(recap),
        "rows": tables.child_rows(recap),
        "child_level": tables.child_level_title(unit.level),
        "methods": tables.method_rows(counts, recap),
        "methods_total": tables.method_total_row(recap),
        "new_mkjp": tables.new_mkjp(recap),
        **imp_context(unit, period),
        "letterhead": letterhead(unit, above),
        "signed_on": date_format(timezone.localdate(), "j F Y"),
        "printed_at": date_format(timezone.localtime(), "j F Y H:i"),
    })


def _states(recap: dict, code: str, period: datetime.date, source: str) -> dict:
    """Verified and only sent reports (reports source), and the register's drop-outs of the month."""
    if source == "reports":
        return report_states(recap, code, period)
    if not register_counts_at(code):
        return {"drop_outs": {}}
    return {"drop_outs": tables.drop_out_line(drop_outs(code, period))}


def letterhead(unit: Unit, above: dict[str, Unit]) -> dict:
    """The government the OPD belongs to, the OPD, and who signs where."""
    region = unit if unit.level in ("provinsi", "kabupaten") else above.get("kabupaten") or above.get("provinsi")
    region_title = tables.unit_title(region.code, region.name) if region else ""
    place = settings.OPD_PLACE or region_title.removeprefix("Kabupaten ").removeprefix("Kota ")
    return {
        "government": f"Pemerintah {region_title}".strip(),
        "opd": settings.OPD_NAME,
        "address": settings.OPD_ADDRESS,
        "place": place,
        "head_title": settings.OPD_HEAD_TITLE or f"Kepala {settings.OPD_NAME}",
        "head_name": settings.OPD_HEAD_NAME,
        "head_nip": settings.OPD_HEAD_NIP,
    }

