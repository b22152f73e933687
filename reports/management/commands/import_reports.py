"""`import_reports FILE`: adds or replaces monthly reports (docs/interfaces.md)."""

from pathlib import Path

from cadres.imports.command import ImportCommand
from reports.monthly.importer import reports_import


class Command(ImportCommand):
    help = (
        "Menambah atau mengganti laporan bulanan RT dari berkas .xlsx/.csv "
        "(kode_rt, periode, pus, <metode>_pemerintah/_swasta, hamil, ias, iat, tial, pb_<metode>)."
    )

    def import_file(self, path: Path, **options) -> str:
        return reports_import(path=path).summary()
