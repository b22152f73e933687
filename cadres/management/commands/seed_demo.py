"""`seed_demo`: loads the demo data once (CONTRACT §4) and always prints the demo logins."""

from django.core.management.base import BaseCommand

from cadres.demo import demo_load, demo_logins


class Command(BaseCommand):
    help = "Memuat data demo (Kabupaten Purwakarta, RW/RT, IMP, kader, akun) sekali saja."

    def handle(self, *args, **options):
        summaries = demo_load()
        if summaries is None:
            self.stdout.write("Data demo sudah dimuat sebelumnya; tidak ada yang diubah.")
        else:
            self.stdout.write(self.style.SUCCESS("Data demo dimuat: " + "; ".join(summaries) + "."))
        for line in demo_logins():
            self.stdout.write(line)
