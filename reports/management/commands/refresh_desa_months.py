"""`refresh_desa_months [--check]`: recomputes the per-desa and per-kabupaten monthly sums of the
counted reports (`DesaMonthSums`, `KabupatenMonthSums`: what recaps above desa read) from the
reports, every unit's count of RTs (`Unit.rts`: the reports expected) from the wilayah and the
status rows' copy of their couple's RT (`CoupleStatus.rt`), or with `--check` only compares them
and exits 1 naming every row and unit that differs.

Every write of the app keeps them current in its own transaction; this is for after changes
made outside the app (SQL by hand, an old backup restored into a newer schema) and for a
scheduled guard.
"""

import sys

from django.core.management.base import BaseCommand

from cadres.models import Unit, recount_rts, rts_differences
from cadres.register.rules import statuses_follow_couples, statuses_off_their_rt
from reports.numbers.summary import desa_months_differences, desa_months_rebuild


class Command(BaseCommand):
    help = ("Hitung ulang jumlah laporan per desa dan per kabupaten per bulan (yang dibaca rekap di atas desa) "
            "dari laporan RT, dan jumlah RT tiap wilayah.")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="hanya periksa; keluar dengan status 1 bila ada yang beda")

    def handle(self, *args, check, **options):
        if not check:
            rows = desa_months_rebuild()
            for top in Unit.objects.filter(parent=None).values_list("code", flat=True):
                recount_rts(top)
            statuses = statuses_follow_couples()
            self.stdout.write(f"{rows} baris jumlah desa per bulan (dan jumlah kabupaten per bulan, jumlah RT "
                              f"tiap wilayah) dihitung ulang; RT pada {statuses} baris status KB dibetulkan.")
            return
        failed = False
        for differences, what in ((desa_months_differences(), "jumlah desa/kabupaten per bulan tidak sama dengan laporan RT"),
                                  (rts_differences(), "wilayah dengan jumlah RT yang tidak sama dengan RT-nya"),
                                  (statuses_off_their_rt(), "baris status KB dengan RT yang bukan RT pasangannya")):
            if differences:
                failed = True
                self.stderr.write(f"{len(differences)} {what}: "
                                  + ", ".join(differences[:20]) + (" …" if len(differences) > 20 else ""))
        if failed:
            sys.exit(1)
        self.stdout.write("Jumlah desa dan kabupaten per bulan sama dengan laporan RT; jumlah RT tiap wilayah "
                          "dan RT pada status KB benar.")
