"""The register as a workbook: one row per couple below a unit, with its status on a date.

Streams rows from one query into a write-only openpyxl workbook, so a whole kabupaten's
register (125,000 couples) stays light in memory.
"""

import datetime
from typing import BinaryIO

from django.utils.translation import gettext as _
from lokal.samaran import partial_mask
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from cadres.models.register import LeaveReason, STATUS_LABELS
from cadres.register_queries import couples_in

FIELDS = (
    "rt_id", "wife_name", "wife_birth_date", "husband_name", "children", "youngest_birth_date", "nik",
    "address", "registered_on", "current_status", "current_place", "current_since", "current_is_pb",
    "left_on", "left_reason",
)
DATE_FORMAT = "yyyy-mm-dd"


def headers(*, birth_dates: bool) -> list[str]:
    return [
        _("Kode RT"), _("Nama istri"), _("Tanggal lahir istri") if birth_dates else _("Umur istri"),
        _("Nama suami"), _("Jumlah anak"), _("Lahir anak terkecil"), _("NIK istri"), _("Alamat"),
        _("Terdaftar"), _("Status"), _("Tempat"), _("Status sejak"), _("Peserta baru"), _("Keluar"),
        _("Alasan keluar"),
    ]


def register_workbook(code: str, on: datetime.date, out: BinaryIO, *, full_nik: bool, birth_dates: bool) -> int:
    """Writes the workbook to `out`; returns the number of couples written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Register PUS"))
    sheet.append([_("Register PUS %(code)s per %(date)s") % {"code": code, "date": on.isoformat()}])
    sheet.append(headers(birth_dates=birth_dates))
    couples = couples_in(code, on).order_by("rt_id", "wife_name", "pk").values_list(*FIELDS)
    rows = 0
    for values in couples.iterator(chunk_size=2000):
        sheet.append(_row(sheet, dict(zip(FIELDS, values)), on, full_nik=full_nik, birth_dates=birth_dates))
        rows += 1
    workbook.save(out)
    return rows


def _row(sheet, couple: dict, on: datetime.date, *, full_nik: bool, birth_dates: bool) -> list:
    born = couple["wife_birth_date"]
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    nik = couple["nik"] if full_nik or not couple["nik"] else partial_mask("NIK", couple["nik"])
    status = couple["current_status"]
    return [
        couple["rt_id"], couple["wife_name"], _date(sheet, born) if birth_dates else age,
        couple["husband_name"], couple["children"], _date(sheet, couple["youngest_birth_date"]), nik,
        couple["address"], _date(sheet, couple["registered_on"]),
        str(STATUS_LABELS[status]) if status else "", couple["current_place"] or "",
        _date(sheet, couple["current_since"]), _("ya") if couple["current_is_pb"] else "",
        _date(sheet, couple["left_on"]),
        str(LeaveReason(couple["left_reason"]).label) if couple["left_reason"] else "",
    ]


def _date(sheet, value):
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = DATE_FORMAT
    return cell
