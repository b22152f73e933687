"""The register as a workbook: one row per couple below a unit, with its status on a date.

Written with XlsxWriter, where the recaps use openpyxl: this is the largest file the app makes
(a kabupaten's 125,000 couples, 15 cells each) and openpyxl spends about 19 µs a cell on it. On
the bench's kabupaten (32.99), run for run in the same minutes on the 2-core machine (load
average 0.5–3.3): openpyxl's write-only mode 22.8–27.1 s, over the 20 s target; XlsxWriter
8.8–12.8 s, a 7.8 MB file instead of 9.2 MB. Its `constant_memory` mode writes each row to a
temporary file as soon as the next one starts, with inline strings (no shared-string table), so
memory stays flat: peak RSS 57 MB, of which 52 MB is Python and Django before the work.
"""

import datetime
import tempfile
from typing import BinaryIO

import xlsxwriter
from django.utils.translation import gettext as _
from lokal.samaran import partial_mask

from cadres.models.register import STATUS_LABELS, LeaveReason
from cadres.register.queries import couples_in

FIELDS = (
    "rt_id", "wife_name", "wife_birth_date", "husband_name", "children", "youngest_birth_date", "nik",
    "address", "registered_on", "current_status", "current_place", "current_since", "current_is_pb",
    "left_on", "left_reason",
)
DATE_FORMAT = "yyyy-mm-dd"
# Text stays text: a name such as "=1+1" is no formula, an address such as "12" or "32.01" no number.
OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
           "strings_to_urls": False}


def headers(*, birth_dates: bool) -> list[str]:
    return [
        _("Kode RT"), _("Nama istri"), _("Tanggal lahir istri") if birth_dates else _("Umur istri"),
        _("Nama suami"), _("Jumlah anak"), _("Lahir anak terkecil"), _("NIK istri"), _("Alamat"),
        _("Terdaftar"), _("Status"), _("Tempat"), _("Status sejak"), _("Peserta baru"), _("Berhenti"),
        _("Alasan berhenti"),
    ]


def register_workbook(code: str, on: datetime.date, out: BinaryIO, *, full_nik: bool, birth_dates: bool) -> int:
    """Writes the workbook to `out`; returns the number of couples written."""
    couples = couples_in(code, on).order_by("rt_id", "wife_name", "pk").values_list(*FIELDS)
    labels = _labels()
    rows = 0
    # The rows wait in a temporary file until the workbook closes and zips them: in a folder of
    # our own, removed even when the export fails halfway, so no names or NIKs stay behind in /tmp.
    with (tempfile.TemporaryDirectory(prefix="register-xlsx-") as tmpdir,
          xlsxwriter.Workbook(out, {**OPTIONS, "tmpdir": tmpdir}) as workbook):
        date_format = workbook.add_format({"num_format": DATE_FORMAT})
        sheet = workbook.add_worksheet(_("Register PUS"))
        sheet.write_string(0, 0, _("Register PUS %(code)s per %(date)s") % {"code": code, "date": on.isoformat()})
        _write_cells(sheet, 1, headers(birth_dates=birth_dates), date_format)
        for values in couples.iterator(chunk_size=2000):
            rows += 1
            _write_cells(sheet, rows + 1, _row(values, on, labels, full_nik=full_nik, birth_dates=birth_dates),
                         date_format)
    return rows


def _labels() -> dict:
    """The labels in the request's language, translated once per workbook rather than once per row."""
    return {
        "status": {key: str(label) for key, label in STATUS_LABELS.items()},
        "left_reason": {key: str(label) for key, label in LeaveReason.choices},
        "is_pb": _("ya"),
    }


def _row(values: tuple, on: datetime.date, labels: dict, *, full_nik: bool, birth_dates: bool) -> tuple:
    (rt_id, wife_name, born, husband_name, children, youngest, nik, address, registered_on,
     status, place, since, is_pb, left_on, left_reason) = values
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if nik and not full_nik:
        nik = partial_mask("NIK", nik)
    return (
        rt_id, wife_name, born if birth_dates else age, husband_name, children, youngest, nik, address,
        registered_on, labels["status"][status] if status else "", place or "", since,
        labels["is_pb"] if is_pb else "", left_on, labels["left_reason"][left_reason] if left_reason else "",
    )


def _write_cells(sheet, row: int, values, date_format) -> None:
    # One typed write a cell: a date needs its format to read back as a date, and write() would
    # guess a type for every cell.
    for column, value in enumerate(values):
        if value is None or value == "":
            continue  # left empty, as openpyxl's write-only mode leaves it
        if isinstance(value, str):
            sheet.write_string(row, column, value)
        elif isinstance(value, datetime.date):
            sheet.write_datetime(row, column, value, date_format)
        else:
            sheet.write_number(row, column, value)
