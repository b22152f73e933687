"""The shared shape of the import commands (docs/interfaces.md): one summary line on success, or one
line per problem on standard error and exit status 1.

An import command subclasses `ImportCommand` and implements `import_file(path, **options)`, which
returns the summary line or raises `tabular.ImportRefused` (a `FileProblem` or `RowProblems`).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from cadres.imports import tabular
from cadres.imports.tabular import ImportRefused
from cadres.models import Unit

CODE_CHUNK = 500  # codes per `IN (...)` query: SQLite limits the number of query parameters


def check_units_exist(rows_of_unit: dict[str, list[int]], problems: tabular.Problems, *, column: str, what: str) -> None:
    """Names every row whose unit code is not in the database (one query per 500 codes)."""
    existing = set()
    for chunk in tabular.batched(rows_of_unit, CODE_CHUNK):
        existing.update(Unit.objects.filter(code__in=chunk).values_list("code", flat=True))
    for code, numbers in rows_of_unit.items():
        if code not in existing:
            for number in numbers:
                problems.add(number, column, f"{what} {code} tidak ada di basis data (impor wilayahnya dulu)")


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas .xlsx atau .csv")

    def handle(self, *args, **options):
        self.run(lambda: self.import_file(Path(options["file"]), **options))

    def import_file(self, path: Path, **options) -> str:
        raise NotImplementedError

    def run(self, action) -> None:
        """Runs `action` and prints its summary, or its problems and exits with status 1."""
        try:
            summary = action()
        except ImportRefused as refused:
            self.refuse(refused.lines)
        self.stdout.write(summary)

    def refuse(self, lines: list[str]) -> None:
        # SystemExit rather than CommandError, whose "CommandError: " prefix would spoil the lines.
        for line in lines:
            self.stderr.write(line)
        sys.exit(1)
