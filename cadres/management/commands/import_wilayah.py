"""`import_wilayah FILE` and `import_wilayah --official KODE_KABUPATEN` (docs/interfaces.md)."""

from pathlib import Path

from cadres.imports.command import ImportCommand
from cadres.imports.official import load_official_wilayah
from cadres.imports.wilayah import wilayah_import
from cadres.models import Unit


class Command(ImportCommand):
    help = (
        "Membuat atau memperbarui wilayah dari berkas .xlsx/.csv berkolom kode, nama; "
        "atau, dengan --official, memuat kecamatan dan desa resmi satu kabupaten/kota."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="berkas .xlsx atau .csv berkolom kode, nama")
        parser.add_argument(
            "--official", metavar="KODE_KABUPATEN", help="kode kabupaten/kota, misalnya 32.14"
        )

    def handle(self, *args, file=None, official=None, **options):
        if (file is None) == (official is None):
            self.refuse(["import_wilayah: berikan BERKAS atau --official KODE_KABUPATEN (salah satu saja)"])
        if official is not None:
            self.load_official(official)
        else:
            self.run(lambda: wilayah_import(path=Path(file)).summary())

    def load_official(self, kabupaten_code: str) -> None:
        try:
            changed = load_official_wilayah(kabupaten_code)
        except ValueError as error:
            self.refuse([f"import_wilayah: {error}"])
        name = Unit.objects.get(code=kabupaten_code).name
        self.stdout.write(
            f"import_wilayah --official {kabupaten_code}: {name}, {changed} wilayah baru atau diperbarui."
        )
