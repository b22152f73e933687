"""`refresh_desa_months [--check]`: recomputes the per-desa, per-month sums of the counted reports
(`DesaMonthSums`, what recaps above desa read) from the reports, or with `--check` only compares
them and exits 1 naming every desa and month that differs.

Every write of the app keeps the sums current in its own transaction; this is for after changes
made outside the app (SQL by hand, an old backup restored into a newer schema) and for a
scheduled guard.
"""

import sys

from django.core.management.base import BaseCommand

from reports.numbers.summary import desa_months_differences, desa_months_rebuild


class Command(BaseCommand):
    help = "Hitung ulang jumlah laporan per desa per bulan (yang dibaca rekap di atas desa) dari laporan RT."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="hanya periksa; keluar dengan status 1 bila ada yang beda")

    def handle(self, *args, check, **options):
        if not check:
            rows = desa_months_rebuild()
            self.stdout.write(f"{rows} baris jumlah desa per bulan dihitung ulang dari laporan RT.")
            return
        differences = desa_months_differences()
        if differences:
            self.stderr.write(f"{len(differences)} baris jumlah desa per bulan tidak sama dengan laporan RT: "
                              + ", ".join(differences[:20]) + (" …" if len(differences) > 20 else ""))
            sys.exit(1)
        self.stdout.write("Jumlah desa per bulan sama dengan laporan RT.")
