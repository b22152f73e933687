"""`rekap.xlsx`: the recap of a unit and month as a workbook.

Sheets: "Rekap" (the children table and a totals row), "Metode x Tempat" (PA by method and
place, PB against the PPM target, switches, new MKJP users, the register's drop-outs, non-users),
from a desa up "Kegiatan PPKBD" (the PPKBD's desa report summed: IMP institutions on record and
reporting, meetings, KIE sessions, the poktan's figures) and "Laporan RT" (one row per RT report
of the month, columns as in the import file). Numbers stay numbers; a percentage is a fraction
with the format `0.00%` (Excel shows 8,75% in an Indonesian locale). Written in openpyxl's
write-only mode and the RT rows streamed from the database, so that a whole kabupaten stays light.
"""

import datetime
import io
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from cadres.indicators import COUNT_FIELDS, NON_USERS
from cadres.models import Unit
from cadres.periods import period_label, period_str
from reports.models import POKTAN_FIELDS, MonthlyReport, ReportStatus, rt_subtree_q
from reports.numbers.exports import recap_and_counts, tables
from reports.numbers.imp_report import imp_report_for, institution_rows, poktan_table
from reports.numbers.register_month import drop_outs, register_counts_at, rt_counts

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.00%"
COUNT = "#,##0"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADER_FILL = PatternFill("solid", fgColor="D9EAD3")
STATUS_LABELS = dict(ReportStatus.choices) | {"register": "register"}

# The "Rekap" sheet: (heading, row key, kind) where kind is "count", "percent" or "text".
RECAP_COLUMNS = (
    (_("Kode"), "code", "text"), (_("Wilayah"), "title", "text"),
    (_("PUS"), "pus", "count"), (_("PA"), "pa", "count"), (_("CPR"), "cpr", "percent"),
    (_("MKJP"), "mkjp", "count"), (_("% MKJP"), "mkjp_pct", "percent"),
    (_("Non-MKJP"), "non_mkjp", "count"), (_("% non-MKJP"), "non_mkjp_pct", "percent"),
    (_("Unmet need"), "unmet_need", "count"), (_("% unmet need"), "unmet_need_pct", "percent"),
    (_("PB bulan ini"), "pb", "count"), (_("PB s.d. bulan ini"), "pb_ytd", "count"),
    (_("Target PPM"), "target", "count"), (_("% target PPM"), "ppm_pct", "percent"),
    (_("Laporan masuk"), "received", "count"), (_("Laporan diharapkan"), "expected", "count"),
    (_("% cakupan laporan"), "coverage", "percent"),
)
METHOD_COLUMNS = (
    (_("Metode"), "label", "text"), (_("Pemerintah"), "pemerintah", "count"),
    (_("Swasta"), "swasta", "count"), (_("Jumlah PA"), "total", "count"), (_("% dari PA"), "share", "percent"),
    (_("PB bulan ini"), "pb", "count"), (_("PB s.d. bulan ini"), "pb_ytd", "count"),
    (_("Target PPM"), "target", "count"), (_("Sisa target"), "remaining", "count"),
    (_("% target PPM"), "ppm_pct", "percent"), (_("Ganti cara ke (bulan ini)"), "gc", "count"),
)
IMP_COLUMNS = ((_("Institusi"), "label", "text"), (_("Ada"), "existing", "count"), (_("Melapor"), "reporting", "count"))
POKTAN_COLUMNS = (
    (_("Poktan"), "label", "text"),
    *zip((_("Keluarga sasaran"), _("Anggota"), _("Anggota PUS"), _("Anggota PUS ber-KB"), _("Pertemuan")),
         POKTAN_FIELDS, ("count",) * len(POKTAN_FIELDS), strict=True),
)
NON_USER_LABELS = {"hamil": _("Hamil"), "ias": _("IAS (ingin anak segera)"),
                   "iat": _("IAT (ingin anak ditunda)"), "tial": _("TIAL (tidak ingin anak lagi)")}


def recap_xlsx(unit: Unit, period: datetime.date, source: str = "reports") -> bytes:
    buffer = io.BytesIO()
    write_recap_xlsx(buffer, unit, period, source)
    return buffer.getvalue()


def write_recap_xlsx(file, unit: Unit, period: datetime.date, source: str = "reports") -> None:
    """Writes the workbook to `file` (a path or a binary file object)."""
    recap, counts = recap_and_counts(unit, period, source)
    workbook = Workbook(write_only=True)
    _recap_sheet(workbook, recap, period)
    _methods_sheet(workbook, recap, counts, period, drop_outs(unit.code, period) if register_counts_at(unit.code) else {})
    imp_report = imp_report_for(unit, period)
    if imp_report is not None:
        _imp_sheet(workbook, recap, imp_report, period)
    _rt_sheet(workbook, unit, period, source)
    workbook.save(file)


def _cell(sheet, value, kind="text", font=None, fill=None):
    if isinstance(value, Decimal):
        value = float(value / 100) if kind == "percent" else int(value)
    elif isinstance(value, Promise):
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if kind == "percent":
        cell.number_format = PERCENT
    elif kind == "count":
        cell.number_format = COUNT
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    return cell


def _title_rows(sheet, title: str, recap: dict, period: datetime.date):
    unit = recap["unit"]
    sheet.append([_cell(sheet, f"{title} — {tables.unit_title(unit['code'], unit['name'])} ({unit['code']})",
                        font=TITLE)])
    source = gettext("register PUS") if recap["source"] == "register" else gettext("laporan bulanan RT")
    sheet.append([_cell(sheet, gettext("Bulan: %(month)s · sumber: %(source)s") % {
        "month": period_label(period), "source": source})])
    sheet.append([])


def _table(sheet, columns, rows, total=None):
    sheet.append([_cell(sheet, heading, font=BOLD, fill=HEADER_FILL) for heading, _key, _kind in columns])
    for row in rows:
        sheet.append([_cell(sheet, row[key], kind) for _heading, key, kind in columns])
    if total is not None:
        sheet.append([_cell(sheet, total[key], kind, font=BOLD) for _heading, key, kind in columns])


def _recap_sheet(workbook, recap, period):
    sheet = workbook.create_sheet(gettext("Rekap"))
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 30
    sheet.freeze_panes = "C5"
    _title_rows(sheet, gettext("Rekapitulasi peserta KB"), recap, period)
    totals = tables.figures_row(recap) | {"code": recap["unit"]["code"], "title": gettext("Jumlah")}
    _table(sheet, RECAP_COLUMNS, tables.child_rows(recap), totals)


def _methods_sheet(workbook, recap, counts, period, drop_outs_by_status):
    sheet = workbook.create_sheet(gettext("Metode x Tempat"))
    sheet.column_dimensions["A"].width = 30
    _title_rows(sheet, gettext("Peserta KB aktif per metode dan tempat pelayanan"), recap, period)
    _table(sheet, METHOD_COLUMNS, tables.method_rows(counts, recap), tables.method_total_row(recap))
    sheet.append([])
    sheet.append([_cell(sheet, gettext("Bukan peserta KB"), font=BOLD, fill=HEADER_FILL),
                  _cell(sheet, gettext("Jumlah"), font=BOLD, fill=HEADER_FILL),
                  _cell(sheet, gettext("% dari PUS"), font=BOLD, fill=HEADER_FILL)])
    for key in NON_USERS:
        sheet.append([_cell(sheet, NON_USER_LABELS[key]), _cell(sheet, recap["non_users"][key], "count")])
    sheet.append([_cell(sheet, gettext("Unmet need (IAT + TIAL)"), font=BOLD),
                  _cell(sheet, recap["unmet_need"], "count", font=BOLD),
                  _cell(sheet, recap["pct"]["unmet_need"], "percent", font=BOLD)])
    _new_users_rows(sheet, recap, drop_outs_by_status)


def _new_users_rows(sheet, recap, drop_outs_by_status):
    """"MKJP baru bulan ini" (PB MKJP + switches into MKJP), PB pasca, and the register's drop-outs."""
    new = tables.new_mkjp(recap)
    sheet.append([])
    rows = (
        (gettext("MKJP baru bulan ini (PB MKJP + ganti cara ke MKJP)"), new["total"]),
        (gettext("PB MKJP"), new["pb_mkjp"]),
        (gettext("Ganti cara ke MKJP"), new["gc_mkjp"]),
        (gettext("PB pasca persalinan/keguguran"), new["pb_pasca"]),
        # None above kabupaten (`register_month.register_counts_at`).
        *(((gettext("Drop-out bulan ini (register)"), sum(drop_outs_by_status.values())),) if drop_outs_by_status else ()),
        *((gettext("Drop-out ke %(status)s (register)") % {"status": key.upper()}, drop_outs_by_status[key])
          for key in drop_outs_by_status),
    )
    for number, (label, value) in enumerate(rows):
        font = BOLD if number == 0 else None
        sheet.append([_cell(sheet, label, font=font), _cell(sheet, value, "count", font=font)])


def _imp_sheet(workbook, recap, report, period):
    """"Kegiatan PPKBD": the institutions on record and reporting, the desa's meetings and KIE
    sessions, and the poktan's figures, summed over the unit's desa."""
    sheet = workbook.create_sheet(gettext("Kegiatan PPKBD"))
    sheet.column_dimensions["A"].width = 38
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 16
    _title_rows(sheet, gettext("Kegiatan PPKBD"), recap, period)
    _table(sheet, IMP_COLUMNS, institution_rows(report))
    sheet.append([])
    for label, key in ((gettext("Pertemuan"), "meetings"), (gettext("Penyuluhan KIE"), "kie_sessions")):
        sheet.append([_cell(sheet, label), _cell(sheet, report[key], "count")])
    sheet.append([])
    _table(sheet, POKTAN_COLUMNS, poktan_table(report))
    sheet.append([])
    sheet.append([_cell(sheet, gettext(
        "Melapor — PPKBD: desa/kelurahan yang mengisi kegiatan bulan ini; Sub-PPKBD: RW dengan laporan RT yang "
        "masuk; POK KB: RT yang laporannya masuk; poktan: semua poktan jenis itu di desa yang melaporkan anggota "
        "atau pertemuannya."))])


def _rt_sheet(workbook, unit, period, source):
    sheet = workbook.create_sheet(gettext("Laporan RT"))
    sheet.column_dimensions["A"].width = 24
    sheet.freeze_panes = "B2"
    # The import file's column names, so that the sheet reads like one.
    sheet.append([_cell(sheet, name, font=BOLD, fill=HEADER_FILL)
                  for name in ("kode_rt", "periode", "status", *COUNT_FIELDS)])
    month = period_str(period)
    for rt, status, *counts in _rt_rows(unit.code, period, source):
        sheet.append([rt, month, str(STATUS_LABELS.get(status, status)), *counts])


def _rt_rows(code, period, source):
    """(kode_rt, status, *counts) per RT: the counted reports streamed from the database, or with
    source `register` the register's month of every RT that has couples."""
    if source == "register":
        for rt, counts in sorted(rt_counts(code, period).items()):
            yield (rt, "register", *(counts[name] for name in COUNT_FIELDS))
        return
    yield from (
        MonthlyReport.objects.counted().filter(rt_subtree_q(code), period=period)
        .order_by("rt_id").values_list("rt_id", "status", *COUNT_FIELDS).iterator(chunk_size=2000)
    )
