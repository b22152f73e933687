"""`seed_demo`: loads the demo data once (docs/interfaces.md) and always prints the demo logins."""

from django.core.management.base import BaseCommand

from reports.demo.activities import add_activities
from reports.demo.register import add_couples
from reports.demo.reports import add_reports, add_targets
from reports.demo.wilayah import STEPS, demo_load, demo_logins

# The wilayah, IMP and accounts (reports.demo.wilayah), then the register, reports made from it,
# targets, and activities with counselling.
ALL_STEPS = [*STEPS, add_couples, add_reports, add_targets, add_activities]


class Command(BaseCommand):
    help = "Memuat data demo (Kabupaten Purwakarta, RW/RT, IMP, kader, akun, register PUS, laporan) sekali saja."

    def handle(self, *args, **options):
        summaries = demo_load(ALL_STEPS)
        if summaries is None:
            self.stdout.write("Data demo sudah dimuat sebelumnya; tidak ada yang diubah.")
        else:
            self.stdout.write(self.style.SUCCESS("Data demo dimuat: " + "; ".join(summaries) + "."))
        for line in demo_logins():
            self.stdout.write(line)
