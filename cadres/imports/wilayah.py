"""The wilayah import (docs/interfaces.md): a file of `kode`, `nama` that creates or renames units.

Parents may come later in the same file or exist already. All-or-nothing: `wilayah_read`
validates every row first, `wilayah_write` then writes top down in one transaction.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from cadres import codes
from cadres.imports import tabular
from cadres.models import Unit, recount_rts

COLUMNS = {
    "kode": tabular.unit_code(),
    "nama": tabular.text(max_length=Unit._meta.get_field("name").max_length),
}
KABUPATEN_LENGTH = codes.CODE_LENGTHS["kabupaten"]
_CHUNK = 500  # codes per `IN (...)` query: SQLite limits the number of query parameters


@dataclass(frozen=True)
class WilayahImportResult:
    created: int
    renamed: int
    unchanged: int

    def summary(self) -> str:
        return (
            f"import_wilayah: {self.created} wilayah baru, {self.renamed} diperbarui, "
            f"{self.unchanged} tidak berubah."
        )


def wilayah_import(*, path: Path) -> WilayahImportResult:
    """Reads and checks the whole file, then writes it; raises tabular.ImportRefused if anything is bad."""
    return wilayah_write(names=wilayah_read(path))


def wilayah_read(path: Path) -> dict[str, str]:
    """Code → name of every row; raises tabular.ImportRefused naming every bad row."""
    problems = tabular.Problems()
    names: dict[str, str] = {}
    rows: dict[str, int] = {}  # code → its row, also for rows with a bad name, to resolve parents
    for row in tabular.read_rows(path, COLUMNS, problems):
        code = row.values.get("kode")
        if code is None:
            continue
        if code in rows:
            problems.add(row.number, "kode", f"kode {code} ganda (sudah ada di baris {rows[code]})")
            continue
        rows[code] = row.number
        if row.ok:
            names[code] = row.values["nama"]
    _check_parents(rows, problems)
    problems.raise_if_any()
    return names


def _check_parents(rows: dict[str, int], problems: tabular.Problems) -> None:
    outside = {codes.parent_code(code) for code in rows} - set(rows) - {None}
    existing = _existing_names(outside)
    for code, number in rows.items():
        parent = codes.parent_code(code)
        if parent and parent not in rows and parent not in existing:
            problems.add(number, "kode", f"induk {parent} tidak ada, baik di berkas maupun di basis data")


@transaction.atomic
def wilayah_write(*, names: dict[str, str]) -> WilayahImportResult:
    """Creates or renames the units, parents before children."""
    existing = _existing_names(names)
    new, renamed = [], []
    for code in sorted(names, key=lambda code: (len(code), code)):
        if code not in existing:
            new.append(Unit(code=code, name=names[code], parent_id=codes.parent_code(code)))
        elif existing[code] != names[code]:
            renamed.append(Unit(code=code, name=names[code], parent_id=codes.parent_code(code)))
    # bulk_create bypasses Unit.save, hence parent_id set above; batches keep the top-down order.
    Unit.objects.bulk_create(new, batch_size=1000)
    Unit.objects.bulk_update(renamed, ["name"], batch_size=1000)
    for kabupaten in sorted({code[:KABUPATEN_LENGTH] for code in names if codes.level_of(code) == "rt"}):
        recount_rts(kabupaten)
    return WilayahImportResult(
        created=len(new), renamed=len(renamed), unchanged=len(names) - len(new) - len(renamed)
    )


def _existing_names(unit_codes) -> dict[str, str]:
    unit_codes = list(unit_codes)
    existing = {}
    for start in range(0, len(unit_codes), _CHUNK):
        chunk = unit_codes[start : start + _CHUNK]
        existing.update(Unit.objects.filter(code__in=chunk).values_list("code", "name"))
    return existing
