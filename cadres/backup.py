"""Backing up and restoring the whole database, online, with each database's own tool.

PostgreSQL: `pg_dump --format=custom` and `pg_restore` (both come with the server packages).
SQLite: the online backup API, safe while the application is serving.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(RuntimeError):
    pass


def backup_database(path: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
    elif connection.vendor == "postgresql":
        _run_pg("pg_dump", "--format=custom", "--no-owner", f"--file={path}", _pg_database())
    else:
        raise BackupError(f"basis data {connection.vendor} tidak didukung")


def restore_database(path: Path) -> None:
    """Replaces the current database's content with the backup's."""
    if not path.is_file():
        raise BackupError(f"berkas cadangan {path} tidak ada")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)
        source.close()
    elif connection.vendor == "postgresql":
        connection.close()  # pg_restore drops and recreates what this connection may hold
        _run_pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                f"--dbname={_pg_database()}", str(path))
    else:
        raise BackupError(f"basis data {connection.vendor} tidak didukung")


def _pg_database() -> str:
    return connection.settings_dict["NAME"]


def _run_pg(tool: str, *args: str) -> None:
    settings = connection.settings_dict
    executable = shutil.which(tool) or _server_tool(tool)
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = [executable, f"--host={settings.get('HOST') or 'localhost'}",
               f"--port={settings.get('PORT') or 5432}", f"--username={settings.get('USER') or 'postgres'}", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{tool} gagal: {result.stderr.strip()}")


def _server_tool(tool: str) -> str:
    """Debian keeps the newest pg_dump under /usr/lib/postgresql/<version>/bin."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{tool}"), key=lambda p: int(p.parts[-3]))
    if not candidates:
        raise BackupError(f"{tool} tidak ditemukan: pasang paket postgresql-client")
    return str(candidates[-1])
