"""A backup restored into an empty database gives identical recaps (README: backup and restore)."""

import datetime
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from cadres.models import Unit
from reports.numbers.recap import recap_for, to_jsonable
from tests.register_factories import bulk_couples
from tests.report_factories import make_report

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, database_url):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DATABASE_URL"] = database_url
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a new, empty database of the same kind as the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings = connection.settings_dict
    name = settings["NAME"] + "_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{settings['USER']}:{settings.get('PASSWORD') or ''}@{settings['HOST']}:{settings['PORT']}/{name}"
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_restored_backup_gives_identical_recaps(transactional_db, tree, tmp_path, empty_database):
    make_report("32.14.01.2001.001.001", "2020-11", pus=40, suntik_pemerintah=30, iud_swasta=2, tial=8)
    make_report("32.14.01.2002.001.001", "2020-11", pus=25, pil_swasta=20, pb_pil=3)
    bulk_couples("32.14.01.2001.001.002", [[(datetime.date(2020, 1, 5), "implan", "pemerintah")]] * 7)
    backup = tmp_path / "cadangan.bin"

    out = StringIO()
    call_command("backup", str(backup), stdout=out)
    assert backup.stat().st_size > 0
    assert "dicadangkan" in out.getvalue()

    restored = manage("restore", str(backup), database_url=empty_database)
    assert restored.returncode == 0, restored.stderr
    for source in ("reports", "register"):
        original = to_jsonable(recap_for(Unit.objects.get(code="32.14"), datetime.date(2020, 11, 1), source))
        recap = manage("recap", "32.14", "2020-11", "--source", source, database_url=empty_database)
        assert recap.returncode == 0, recap.stderr
        assert json.loads(recap.stdout) == original
    assert original["pus"] == 7 and json.loads(recap.stdout)["children"][0]["pus"] == 7


def test_restoring_a_missing_or_broken_file_says_so(db, tmp_path):
    broken = tmp_path / "rusak.bin"
    broken.write_bytes(b"bukan cadangan")
    for path in (tmp_path / "tidak-ada.bin", broken):
        with pytest.raises(SystemExit) as exit_:
            call_command("restore", str(path), stderr=StringIO())
        assert exit_.value.code == 1
