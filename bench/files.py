"""The import files of the bench (CSV, every column of docs/interfaces.md, the optional ones too):
100,000 monthly reports for months before the synthesized ones, and 100,000 new couples, both for
the synthetic kabupaten's RTs, made with the generator's own functions so that every row is valid."""

import csv
import datetime
import random
from pathlib import Path

from cadres.indicators import COUNT_FIELDS, METHODS
from cadres.models import Unit
from cadres.periods import add_months, period_str
from reports.demo.synth import Size, couple_with_history, rt_reports

REPORT_COLUMNS = ["kode_rt", "periode", *COUNT_FIELDS]
PUS_COLUMNS = ["kode_rt", "nama_istri", "tanggal_lahir_istri", "nama_suami", "jumlah_anak", "status",
               "tempat", "sejak", "nik", "peserta_baru"]


def rt_codes(code: str) -> list[str]:
    return list(Unit.objects.subtree(code).at_level("rt").order_by("code").values_list("code", flat=True))


def reports_file(path: Path, code: str, rows: int, before: datetime.date) -> tuple[datetime.date, int]:
    """`rows` report rows: every RT of `code` for as many months as it takes, ending the month
    before `before`. Returns the first month written and the number of rows."""
    rts = rt_codes(code)
    months = -(-rows // len(rts))
    first = add_months(before, -months)
    size = Size(months=months)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(REPORT_COLUMNS)
        for rt in rts:
            for report in rt_reports(random.Random(f"bench:{rt}"), rt, size, first):
                if written == rows:
                    break
                writer.writerow([rt, period_str(report["period"]), *(report[name] for name in COUNT_FIELDS)])
                written += 1
    return first, written


def pus_file(path: Path, code: str, rows: int, until: datetime.date) -> int:
    """`rows` new couples spread over the RTs of `code`, each with its status since it was registered."""
    rts = rt_codes(code)
    rng = random.Random("bench:pus")
    first = add_months(until, -23)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(PUS_COLUMNS)
        for number in range(rows):
            rt = rts[number % len(rts)]
            couple, history = couple_with_history(rng, rt, number, first, until)
            status = history[0]
            writer.writerow([
                rt, couple["wife_name"], couple["wife_birth_date"].isoformat(), couple["husband_name"],
                couple["children"], status.status, status.place if status.status in METHODS else "",
                status.since.isoformat(), "", _new_user(couple, status.status),
            ])
    return rows


def _new_user(couple: dict, status: str) -> str:
    if status not in METHODS:
        return ""
    return "ya" if couple["first_use"] == "pb" else "tidak"
