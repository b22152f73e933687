"""The monthly-report import: historical aggregate reports, one row per RT and month (the
columns are in docs/interfaces.md).

`reports_read` checks every row (cells, balance, PB pasca within PB, unknown RTs, rows repeated
in the file) and raises tabular.ImportRefused naming each problem; `reports_write` then adds or
replaces the reports in one transaction with bulk statements, so that 100,000 rows take seconds. An
imported report counts as submitted and verified; a replaced one gets a new version, and both
leave a row in the report's history.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cadres.imports import bulk_insert, tabular
from cadres.imports.command import check_units_exist
from cadres.indicators import COUNT_FIELDS, LATER_FIELDS
from cadres.periods import period_str
from reports.models import ClosedPeriod, MonthlyReport, ReportStatus, count_errors
from reports.monthly.deadlines import kabupaten_code
from reports.numbers.summary import desa_months_refresh

COLUMNS = {
    "kode_rt": tabular.unit_code("rt"),
    "periode": tabular.period,
    **{field: tabular.count for field in COUNT_FIELDS},
}
# The columns an import writes; the others (who submitted, a return's comment…) get their default.
REPORT_COLUMNS = ["rt_id", "period", *COUNT_FIELDS, "status", "submitted_at", "verified_at", "updated_at", "version"]
HISTORY_REASON = "import_reports"
_BATCH = 5000  # rows turned into statements at a time, to hold only that many in memory twice
_CHUNK = 500  # codes per `IN (...)` query: SQLite limits the number of query parameters


@dataclass(frozen=True, slots=True)
class ReportRow:
    rt: str
    period: datetime.date
    counts: tuple[int, ...]  # in COUNT_FIELDS order; a tuple, as 100,000 dicts would weigh ~200 MB


@dataclass(frozen=True)
class ReportsImportResult:
    created: int
    replaced: int

    def summary(self) -> str:
        return (
            f"import_reports: {self.created + self.replaced} laporan "
            f"({self.created} baru, {self.replaced} diganti)."
        )


def reports_import(*, path: Path) -> ReportsImportResult:
    """Reads and checks the whole file, then writes it; raises tabular.ImportRefused if anything is bad."""
    return reports_write(rows=reports_read(path))


def reports_read(path: Path) -> list[ReportRow]:
    """Every row of the file as a ReportRow; raises tabular.ImportRefused naming every bad row."""
    problems = tabular.Problems()
    reports: list[ReportRow] = []
    first_row: dict[tuple, int] = {}  # (RT, month) → the row that has it first
    rows_of_rt: dict[str, list[int]] = {}  # for the unknown-RT check, one query per chunk of codes
    for row in tabular.read_rows(path, COLUMNS, problems, optional_columns=LATER_FIELDS):
        rt, period = row.values.get("kode_rt"), row.values.get("periode")
        if rt is not None:
            rows_of_rt.setdefault(rt, []).append(row.number)
        if rt is not None and period is not None:
            if (rt, period) in first_row:
                problems.add(
                    row.number, "kode_rt",
                    f"RT {rt} periode {period_str(period)} ganda (sudah ada di baris {first_row[rt, period]})",
                )
                continue
            first_row[rt, period] = row.number
        if not row.ok:
            continue
        for field in LATER_FIELDS:  # a file without the column counts it 0
            if row.values[field] is None:
                row.values[field] = 0
        errors = count_errors(row.values)
        for field, message in errors:
            problems.add(row.number, field, _as_cell_message(message))
        if errors:
            continue
        reports.append(ReportRow(rt, period, tuple(row.values[field] for field in COUNT_FIELDS)))
    check_units_exist(rows_of_rt, problems, column="kode_rt", what="RT")
    _check_months_open(first_row, problems)
    problems.raise_if_any()
    return reports


def _check_months_open(first_row: dict[tuple, int], problems: tabular.Problems) -> None:
    """A month the OPD has closed for a kabupaten changes no more, not even by an import (one query)."""
    periods = {period for _rt, period in first_row}
    closed = set(ClosedPeriod.objects.filter(period__in=periods).values_list("unit_id", "period"))
    for (rt, period), number in first_row.items():
        if (kabupaten_code(rt), period) in closed:
            problems.add(number, "periode", f"periode {period_str(period)} sudah ditutup oleh OPD KB untuk "
                                            f"{kabupaten_code(rt)}: laporannya tidak dapat diganti lagi")


def _as_cell_message(message: str) -> str:
    # count_errors writes sentences for a form; a problem line continues after "kolom pus: ".
    first = message[:1].lower() if message[1:2].islower() else message[:1]  # "Jumlah" but "PB"
    return first + message[1:].rstrip(".")


@transaction.atomic
def reports_write(*, rows: list[ReportRow]) -> ReportsImportResult:
    """Adds or replaces the reports (an upsert per batch) and records each in its history.

    A replaced report is overwritten whole: the import's counts and status, and every other
    field (return comment, corrections…) back to its default; only its version goes up.
    """
    now = timezone.now()
    existing = _existing_versions(rows)
    reports = bulk_insert.Table(MonthlyReport, REPORT_COLUMNS)
    history = bulk_insert.HistoryTable(reports)
    for batch in tabular.batched(rows, _BATCH):
        values = [reports.complete(_values(row, now, existing.get((row.rt, row.period)))) for row in batch]
        ids = reports.insert(values, unique_fields=["rt", "period"], returning="id")
        kinds = ["~" if (row.rt, row.period) in existing else "+" for row in batch]
        history.insert(zip(ids, kinds, values, strict=True), date=now, reason=HISTORY_REASON)
    desa_months_refresh((row.rt, row.period) for row in rows)
    return ReportsImportResult(created=len(rows) - len(existing), replaced=len(existing))


def _values(row: ReportRow, now: datetime.datetime, existing_version: int | None) -> tuple:
    """A row in REPORT_COLUMNS order: imported reports count as submitted and verified. When they
    were sent nobody knows (historical data), so they count neither as on time nor as late."""
    version = 1 if existing_version is None else existing_version + 1
    return (row.rt, row.period, *row.counts, ReportStatus.VERIFIED.value, None, None, now, version)


def _existing_versions(rows: list[ReportRow]) -> dict[tuple, int]:
    """(RT, month) → version of the reports the file replaces: a query per 500 RTs, not per row."""
    keys = {(row.rt, row.period) for row in rows}
    if not keys:
        return {}
    first, last = min(period for _rt, period in keys), max(period for _rt, period in keys)
    versions = {}
    for chunk in tabular.batched(sorted({rt for rt, _period in keys}), _CHUNK):
        # Locked, so that a report edited meanwhile cannot lose its version bump (PostgreSQL).
        found = MonthlyReport.objects.select_for_update().filter(rt_id__in=chunk, period__gte=first, period__lte=last)
        for rt, period, version in found.values_list("rt_id", "period", "version"):
            if (rt, period) in keys:
                versions[rt, period] = version
    return versions
