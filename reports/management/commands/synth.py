"""`synth [--kabupaten 32.99] [--desa 250] [--scale 1] [--seed N]`: a synthetic kabupaten for
benchmarks (reports.demo.synth). Not for production databases: it writes 100,000s of rows."""

import time

from django.core.management.base import BaseCommand, CommandError

from cadres.periods import parse_period, period_str
from reports.demo.synth import DEFAULT_KABUPATEN, DEFAULT_UNTIL, Size, SynthRefused, synth_kabupaten


def positive(text):
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Membuat data sintetis satu kabupaten (wilayah, register PUS, laporan bulanan, target PPM) "
        "untuk uji kinerja: 250 desa × 5 RW × 4 RT × 25 pasangan dan 24 bulan laporan per skala."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kabupaten", default=DEFAULT_KABUPATEN,
                            help=f"kode kabupaten fiktif (bawaan {DEFAULT_KABUPATEN})")
        parser.add_argument("--desa", type=positive, default=Size.desa, help="jumlah desa pada skala 1")
        parser.add_argument("--scale", type=positive, default=1, help="pengali jumlah desa")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--until", type=parse_period, default=DEFAULT_UNTIL,
                            help=f"bulan laporan terakhir, YYYY-MM (bawaan {period_str(DEFAULT_UNTIL)})")
        parser.add_argument("--months", type=positive, default=Size.months, help="jumlah bulan laporan")
        parser.add_argument("--replace", action="store_true", help="hapus dulu data kabupaten itu bila sudah ada")

    def handle(self, *args, **options):
        size = Size(desa=options["desa"], months=options["months"]).scaled(options["scale"])
        started = time.perf_counter()
        progress = (lambda text: self.stderr.write(f"  {text}")) if options["verbosity"] > 1 else None
        try:
            result = synth_kabupaten(
                code=options["kabupaten"], size=size, seed=options["seed"], until=options["until"],
                replace=options["replace"], progress=progress,
            )
        except SynthRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"{result.summary(options['kabupaten'])} dalam {time.perf_counter() - started:.1f} detik.")
