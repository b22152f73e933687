"""`recap CODE PERIOD [--source …] [--format …] [-o FILE]`: the recap (docs/interfaces.md) for a unit
and month, as JSON or a DHIS2 data value set on standard output or in a file, or as the workbook or
PDF of the web (`rekap.xlsx`, `rekap.pdf`), which need `-o FILE`.

Bad input gets one Indonesian line on standard error and status 1, never a traceback.
"""

import json
import sys

from django.core.management.base import BaseCommand

from cadres import codes
from cadres.models import Unit
from cadres.periods import parse_period
from reports.numbers.exports.dhis2 import MappingError, data_value_set
from reports.numbers.exports.pdf import recap_pdf
from reports.numbers.exports.xlsx import write_recap_xlsx
from reports.numbers.recap import SOURCES, recap_for, to_jsonable

FORMATS = ("json", "xlsx", "pdf", "dhis2")
KNOWN_SOURCES = ("reports", "register")
TEXT_FORMATS = ("json", "dhis2")  # to standard output unless -o


class Command(BaseCommand):
    help = "Rekap satu wilayah untuk satu bulan (JSON, xlsx atau PDF), dari laporan bulanan atau register."

    def add_arguments(self, parser):
        parser.add_argument("code", metavar="KODE", help="kode wilayah, mis. 32.14.01.2001")
        parser.add_argument("period", metavar="PERIODE", help="bulan YYYY-MM, mis. 2020-11")
        # Checked in handle(), not with `choices`, so that a bad value exits 1 with one line.
        parser.add_argument("--source", default="reports", help="reports (bawaan) atau register")
        parser.add_argument("--format", default="json", help="json (bawaan), xlsx, pdf atau dhis2")
        parser.add_argument("-o", "--output", metavar="FILE", help="tulis ke berkas ini")

    def handle(self, *args, code, period, source, format, output, **options):
        try:
            unit, month = self.parse(code, period, source, format, output)
        except ValueError as error:
            self.fail(str(error))
        if format in TEXT_FORMATS and not output:
            self.stdout.write(self.json_text(unit, month, source, format))
            return
        try:
            self.write(output, format, unit, month, source)
        except OSError as error:
            self.fail(f"tidak bisa menulis {output}: {error.strerror}")
        self.stdout.write(f"Rekap {unit.code} {period} ditulis ke {output}.")

    def json_text(self, unit, month, source, format="json"):
        if format == "dhis2":
            try:
                return json.dumps(data_value_set(unit.code, month, source), ensure_ascii=False, indent=1)
            except MappingError as error:
                self.fail(str(error))
        return json.dumps(to_jsonable(recap_for(unit, month, source)), ensure_ascii=False, indent=2)

    def write(self, output, format, unit, month, source):
        if format == "xlsx":
            with open(output, "wb") as file:
                write_recap_xlsx(file, unit, month, source)
        elif format == "pdf":
            content = recap_pdf(unit, month, source)
            with open(output, "wb") as file:
                file.write(content)
        else:
            text = self.json_text(unit, month, source, format)
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")

    def parse(self, code, period, source, format, output):
        """The unit and the month; ValueError with the Indonesian line for anything else."""
        if format not in FORMATS:
            raise ValueError(f"format {format!r} tidak dikenal (pilih json, xlsx, pdf atau dhis2)")
        if format not in TEXT_FORMATS and not output:
            raise ValueError(f"format {format} perlu berkas keluaran: -o FILE")
        if source not in KNOWN_SOURCES:
            raise ValueError(f"sumber {source!r} tidak dikenal (pilih reports atau register)")
        if source not in SOURCES:
            raise ValueError(f"sumber {source} belum tersedia")
        if not codes.is_valid_code(code):
            raise ValueError(f"kode wilayah {code!r} tidak sah (contoh: 32.14.01.2001.003.002)")
        month = parse_period(period)
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise ValueError(f"wilayah {code} tidak ditemukan")
        return unit, month

    def fail(self, line):
        self.stderr.write(line)
        sys.exit(1)
