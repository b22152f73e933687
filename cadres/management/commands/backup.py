"""`backup FILE`: an online backup of the whole database (pg_dump, or SQLite's backup API)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from cadres.backup import BackupError, backup_database


class Command(BaseCommand):
    help = "Mencadangkan seluruh basis data ke BERKAS (PostgreSQL: pg_dump; SQLite: backup daring)."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="BERKAS")

    def handle(self, *args, file, **options):
        try:
            backup_database(Path(file))
        except (BackupError, OSError) as error:
            self.stderr.write(f"backup: {error}")
            sys.exit(1)
        self.stdout.write(f"backup: basis data dicadangkan ke {file}.")
