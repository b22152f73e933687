"""`import_pus FILE`: adds couples to the PUS register (docs/interfaces.md)."""

from pathlib import Path

from cadres.imports.command import ImportCommand
from cadres.register.importer import pus_import


class Command(ImportCommand):
    help = (
        "Menambah pasangan usia subur ke register dari berkas .xlsx/.csv (kode_rt, nama_istri, "
        "tanggal_lahir_istri, nama_suami, jumlah_anak, status, tempat, sejak, nik opsional)."
    )

    def import_file(self, path: Path, **options) -> str:
        return pus_import(path=path).summary()
