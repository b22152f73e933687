"""`restore FILE`: replaces the database's content with a backup made by `backup`."""

import sqlite3
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from cadres.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "Memulihkan basis data dari BERKAS cadangan buatan perintah backup (isi sekarang diganti)."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="BERKAS")

    def handle(self, *args, file, **options):
        try:
            restore_database(Path(file))
        except (BackupError, OSError, sqlite3.DatabaseError) as error:
            self.stderr.write(f"restore: {error}")
            sys.exit(1)
        self.stdout.write(f"restore: basis data dipulihkan dari {file}.")
