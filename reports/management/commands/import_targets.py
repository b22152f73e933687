"""`import_targets FILE`: adds or replaces yearly PPM targets (docs/interfaces.md)."""

from pathlib import Path

from cadres.imports.command import ImportCommand
from reports.targets.importer import targets_import


class Command(ImportCommand):
    help = (
        "Menambah atau mengganti target PPM tahunan (peserta KB baru per metode) dari berkas "
        ".xlsx/.csv berkolom kode, tahun, iud, implan, mow, mop, suntik, pil, kondom."
    )

    def import_file(self, path: Path, **options) -> str:
        return targets_import(path=path).summary()
