"""`adduser USERNAME --role … --unit … --password-stdin [--no-password-change]` (docs/interfaces.md)."""

import io

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.core.management import call_command

from cadres.models import Role, User
from tests.factories import PASSWORD, make_user


def login_request():
    """django-axes checks every login against the request it came with."""
    return RequestFactory().post("/accounts/login/")


def run(*args, stdin="kata-sandi-awal\n"):
    """(exit status, stdout lines, stderr lines) of the command, with `stdin` as standard input."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("adduser", *args, stdin=io.StringIO(stdin), stdout=stdout, stderr=stderr)
        status = 0
    except SystemExit as exit:
        status = exit.code
    return status, stdout.getvalue().splitlines(), stderr.getvalue().splitlines()


def units_of(user):
    return sorted(user.units.values_list("code", flat=True))


def test_it_creates_an_account_that_must_change_its_password(tree):
    assert run("siti", "--role", "kader", "--unit", "32.14.01.2001", "--password-stdin") == (
        0, ["akun siti dibuat"], []
    )

    siti = User.objects.get(username="siti")
    assert (siti.role, units_of(siti), siti.must_change_password) == ("kader", ["32.14.01.2001"], True)
    assert (siti.is_staff, siti.is_superuser, siti.is_active) == (False, False, True)
    assert authenticate(login_request(), username="siti", password="kata-sandi-awal") == siti


def test_the_password_is_the_first_line_without_its_line_ending_only(tree):
    run("siti", "--role", "kader", "--unit", "32.14.01.2001", "--password-stdin", stdin=" dua  kata \r\nbaris kedua\n")

    assert authenticate(login_request(), username="siti", password=" dua  kata ") is not None


def test_no_password_change_and_no_validators_for_a_short_common_password(tree):
    status, stdout, _ = run(
        "budi", "--role", "pkb", "--unit", "32.14.01", "--unit", "32.14.02", "--password-stdin",
        "--no-password-change", stdin="1234",
    )

    budi = User.objects.get(username="budi")
    assert (status, stdout) == (0, ["akun budi dibuat"])
    assert (budi.role, units_of(budi), budi.must_change_password) == ("pkb", ["32.14.01", "32.14.02"], False)
    assert authenticate(login_request(), username="budi", password="1234") == budi


def test_an_admin_needs_no_unit_and_gets_the_admin_screens(tree):
    assert run("root", "--role", "admin", "--password-stdin")[0:2] == (0, ["akun root dibuat"])

    root = User.objects.get(username="root")
    assert (root.role, units_of(root), root.is_staff, root.is_superuser) == ("admin", [], True, True)


def test_it_replaces_an_existing_accounts_role_units_and_password(tree):
    make_user("siti", Role.KADER, "32.14.01.2001.001.001")

    assert run("siti", "--role", "opd", "--unit", "32.14", "--password-stdin", stdin="sandi-baru\n") == (
        0, ["akun siti diperbarui"], []
    )

    siti = User.objects.get(username="siti")
    assert (siti.role, units_of(siti), siti.must_change_password) == ("opd", ["32.14"], True)
    assert authenticate(login_request(), username="siti", password=PASSWORD) is None
    assert authenticate(login_request(), username="siti", password="sandi-baru") == siti
    assert User.objects.count() == 1


def test_a_replacement_can_lift_the_password_change(tree):
    make_user("siti", Role.KADER, "32.14.01.2001", must_change_password=True)

    run("siti", "--role", "kader", "--unit", "32.14.01.2001", "--password-stdin", "--no-password-change")

    assert User.objects.get(username="siti").must_change_password is False


@pytest.mark.parametrize(
    "args, stdin, line",
    [
        (["--role", "kader", "--unit", "32.99.01", "--password-stdin"], "x\n", "adduser: wilayah tidak dikenal: 32.99.01"),
        (["--role", "bupati", "--unit", "32.14", "--password-stdin"], "x\n",
         "adduser: peran 'bupati' tidak dikenal (pilih: kader, pkb, opd, admin)"),
        (["--unit", "32.14", "--password-stdin"], "x\n", "adduser: --role wajib diberikan (pilih: kader, pkb, opd, admin)"),
        (["--role", "kader", "--password-stdin"], "x\n", "adduser: --unit wajib diberikan untuk peran kader"),
        (["--role", "kader", "--unit", "32.14", "--password-stdin"], "\n",
         "adduser: kata sandi (baris pertama masukan standar) tidak boleh kosong"),
        (["--role", "kader", "--unit", "32.14", "--password-stdin"], "",
         "adduser: kata sandi (baris pertama masukan standar) tidak boleh kosong"),
        (["--role", "kader", "--unit", "32.14"], "x\n",
         "adduser: kata sandi harus diberikan lewat --password-stdin (baris pertama masukan standar)"),
    ],
)
def test_a_bad_request_gets_one_line_status_1_and_changes_nothing(tree, args, stdin, line):
    make_user("siti", Role.KADER, "32.14.01.2001")

    assert run("siti", *args, stdin=stdin) == (1, [], [line])

    siti = User.objects.get(username="siti")
    assert (siti.role, units_of(siti)) == ("kader", ["32.14.01.2001"])
    assert authenticate(login_request(), username="siti", password=PASSWORD) == siti


def test_a_bad_request_creates_no_account(tree):
    assert run("baru", "--role", "kader", "--unit", "32.99", "--password-stdin")[0] == 1
    assert not User.objects.filter(username="baru").exists()


def test_a_missing_or_malformed_username_gets_one_line(tree):
    assert run("--role", "admin", "--password-stdin") == (1, [], ["adduser: nama pengguna wajib diberikan"])
    assert run("siti sari", "--role", "admin", "--password-stdin") == (
        1, [], ["adduser: nama pengguna 'siti sari' tidak sah (huruf, angka dan @ . + - _, paling banyak 150 karakter)"]
    )
    assert User.objects.count() == 0
