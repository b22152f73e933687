"""The PPM target import (docs/interfaces.md): yearly targets of new users (PB) per method, for any unit.

A unit's target for a year is its own row if it has one, otherwise the sum of its children's
(`cadres.indicators.resolve_targets`); a re-import replaces a (unit, year) row. `targets_read`
checks every row and raises tabular.ImportRefused naming each problem; `targets_write` then
adds or replaces the targets in one transaction.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from cadres.imports import tabular
from cadres.imports.command import check_units_exist
from cadres.indicators import METHODS
from reports.models import PpmTarget

COLUMNS = {
    "kode": tabular.unit_code(),
    "tahun": tabular.year,
    **{method: tabular.count for method in METHODS},
}
_CHUNK = 500  # codes per `IN (...)` query: SQLite limits the number of query parameters


@dataclass(frozen=True)
class TargetsImportResult:
    created: int
    replaced: int

    def summary(self) -> str:
        return (
            f"import_targets: {self.created + self.replaced} target PPM "
            f"({self.created} baru, {self.replaced} diganti)."
        )


def targets_import(*, path: Path) -> TargetsImportResult:
    """Reads and checks the whole file, then writes it; raises tabular.ImportRefused if anything is bad."""
    return targets_write(targets=targets_read(path))


def targets_read(path: Path) -> dict[tuple[str, int], dict[str, int]]:
    """(unit code, year) → target per method; raises tabular.ImportRefused naming every bad row."""
    problems = tabular.Problems()
    targets: dict[tuple[str, int], dict[str, int]] = {}
    first_row: dict[tuple[str, int], int] = {}
    rows_of_unit: dict[str, list[int]] = {}
    for row in tabular.read_rows(path, COLUMNS, problems):
        code, year = row.values.get("kode"), row.values.get("tahun")
        if code is not None:
            rows_of_unit.setdefault(code, []).append(row.number)
        if code is not None and year is not None:
            if (code, year) in first_row:
                problems.add(
                    row.number, "kode", f"kode {code} tahun {year} ganda (sudah ada di baris {first_row[code, year]})"
                )
                continue
            first_row[code, year] = row.number
        if row.ok:
            targets[code, year] = {method: row.values[method] for method in METHODS}
    check_units_exist(rows_of_unit, problems, column="kode", what="wilayah")
    problems.raise_if_any()
    return targets


@transaction.atomic
def targets_write(*, targets: dict[tuple[str, int], dict[str, int]]) -> TargetsImportResult:
    """Adds the targets, replacing the (unit, year) rows that exist, in one upsert per batch."""
    existing = set()
    for chunk in tabular.batched(sorted({code for code, _year in targets}), _CHUNK):
        found = PpmTarget.objects.filter(unit_id__in=chunk).values_list("unit_id", "year")
        existing.update(key for key in found if key in targets)
    PpmTarget.objects.bulk_create(
        [PpmTarget(unit_id=code, year=year, **methods) for (code, year), methods in targets.items()],
        batch_size=1000, update_conflicts=True, unique_fields=["unit", "year"], update_fields=list(METHODS),
    )
    return TargetsImportResult(created=len(targets) - len(existing), replaced=len(existing))
