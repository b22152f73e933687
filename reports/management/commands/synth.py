"""`synth [--kabupaten 32.99] [--desa 250] [--scale 1] [--seed N]`: a synthetic kabupaten for
benchmarks (reports.demo.synth); `synth --provinsi 99 --kabupaten-count 24`: a synthetic province of
24 of them. Not for production databases: it writes 100,000s of rows (a province, millions)."""

import time

from django.core.management.base import BaseCommand, CommandError

from cadres.periods import parse_period, period_str
from reports.demo.synth import DEFAULT_KABUPATEN, DEFAULT_UNTIL, Size, SynthRefused, synth_kabupaten, synth_province


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
        parser.add_argument("--provinsi", help="kode provinsi fiktif (mis. 99): buat satu provinsi berisi "
                                               "--kabupaten-count kabupaten, masing-masing seukuran di atas")
        parser.add_argument("--kabupaten-count", type=positive, default=24, help="jumlah kabupaten di provinsi itu")
        parser.add_argument("--replace", action="store_true", help="hapus dulu data kabupaten itu bila sudah ada")

    def handle(self, *args, **options):
        size = Size(desa=options["desa"], months=options["months"]).scaled(options["scale"])
        started = time.perf_counter()
        progress = (lambda text: self.stderr.write(f"  {text}")) if options["verbosity"] > 1 else None
        common = {"size": size, "seed": options["seed"], "until": options["until"], "replace": options["replace"],
                  "progress": progress}
        code = options["provinsi"] or options["kabupaten"]
        try:
            if options["provinsi"]:
                result = synth_province(code=code, kabupaten=options["kabupaten_count"], **common)
            else:
                result = synth_kabupaten(code=code, **common)
        except SynthRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"{result.summary(code)} dalam {time.perf_counter() - started:.1f} detik.")
