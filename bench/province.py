"""The bench's province: `synth_province` makes 24 kabupaten of the bench's default size under
the fictional province 99 (6,000 desa, 120,000 RT, 3 million couples, 2.9 million reports: Jawa
Barat's size), and the figures are measured at the province and, for comparison with the
kabupaten runs, at its first kabupaten.

At this size the province's recap and dashboard read the per-kabupaten monthly sums and each
unit's count of RTs; the floor is still the single SUM over the month's 120,000 RT reports.
"""

import datetime
import time

from bench import figures
from bench.measure import Figure, in_process
from cadres.models import Unit
from cadres.periods import period_str
from reports.demo.synth import DEFAULT_PROVINCE, DEFAULT_UNTIL, Size, synth_province
from reports.numbers.recap import recap_for


def measure_province(args, kabupaten: int, analyze) -> dict:
    started = time.perf_counter()
    made = synth_province(code=DEFAULT_PROVINCE, kabupaten=kabupaten, size=Size(), replace=True,
                          progress=lambda text: print(f"  province: {text}", flush=True) if "kabupaten" in text else None)
    synth_seconds = time.perf_counter() - started
    analyze()
    codes = {"provinsi": DEFAULT_PROVINCE, **figures.level_codes(f"{DEFAULT_PROVINCE}.01")}
    measured = figures.floors(codes, DEFAULT_UNTIL, args.runs)
    measured += province_pages(DEFAULT_PROVINCE, DEFAULT_UNTIL, args.runs, args.heavy_runs)
    measured += figures.pages(codes, DEFAULT_UNTIL, args.runs, args.heavy_runs)
    return {"synth_seconds": synth_seconds, "synthesized": vars(made), "province": kabupaten,
            "figures": [figure.as_dict() for figure in measured]}


def province_pages(code: str, period: datetime.date, runs: int, heavy_runs: int) -> list[Figure]:
    client, month = figures.admin_client(), period_str(period)
    province = Unit.objects.get(code=code)
    return [
        in_process("recap_for.provinsi", lambda: recap_for(province, period), runs, floor="floor.provinsi"),
        in_process("dashboard.provinsi", figures.page_call(client, f"/wilayah/{code}/{month}/"), runs,
                   floor="floor.provinsi"),
        in_process("rekap.pdf.provinsi", figures.page_call(client, f"/wilayah/{code}/{month}/rekap.pdf"), heavy_runs,
                   floor="floor.provinsi"),
    ]
