"""Shared fixtures: a small wilayah tree and one persona per role plus an outsider.

The tree (Kabupaten Purwakarta, 32.14, and a neighbour kabupaten 32.15):
  32.14.01 Purwakarta ─ desa 2001 ─ RW 001 ─ RT 001, RT 002
                      └ desa 2002 ─ RW 001 ─ RT 001
  32.14.02 Campaka    ─ desa 2001 ─ RW 001 ─ RT 001
  32.15.01            ─ desa 2001 ─ RW 001 ─ RT 001
"""

from dataclasses import dataclass

import pytest

from cadres.models import Role
from tests.factories import make_unit, make_user

RT_CODES = [
    "32.14.01.2001.001.001",
    "32.14.01.2001.001.002",
    "32.14.01.2002.001.001",
    "32.14.02.2001.001.001",
    "32.15.01.2001.001.001",
]


@pytest.fixture(autouse=True)
def test_settings(settings):
    """Tests run without `collectstatic` (unhashed static URLs) and with a fast password hash."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # the module-wide `demo` is seeded before this
    ]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def tree(db):
    units = {code: make_unit(code) for code in RT_CODES}
    make_unit("32.14", "Kabupaten Purwakarta")
    return units


@dataclass
class Persona:
    """A user, a unit they may see, and one they may not (None for an admin)."""

    user: object
    inside: str
    outside: str | None


@pytest.fixture
def personas(tree):
    return {
        "kader": Persona(make_user("kader", Role.KADER, "32.14.01.2001.001.001"),
                         "32.14.01.2001.001.001", "32.14.01.2001.001.002"),
        "pkb": Persona(make_user("pkb", Role.PKB, "32.14.01.2001", "32.14.01.2002"),
                       "32.14.01.2002.001", "32.14.02.2001"),
        "opd": Persona(make_user("opd", Role.OPD, "32.14"), "32.14.02", "32.15"),
        "admin": Persona(make_user("admin", Role.ADMIN), "32.15.01", None),
        "outsider": Persona(make_user("outsider", Role.KADER, "32.15.01.2001"),
                            "32.15.01.2001.001.001", "32.14.01.2001"),
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo of `seed_demo`, loaded once for a module of read-only tests (use with `db`:
    each test's own changes are rolled back; the demo is flushed after the module)."""
    from io import StringIO

    from django.core.management import call_command

    with django_db_blocker.unblock():
        output = StringIO()
        call_command("seed_demo", stdout=output)
    yield output.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", "--noinput", verbosity=0)
