"""`adduser USERNAME --role ROLE --unit CODE ... --password-stdin [--no-password-change]` (docs/interfaces.md).

Django's password validators are not run: the user chooses their own password at first login.
"""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from cadres import access
from cadres.accounts import AccountError, account_save
from cadres.models import Role, User


class Command(BaseCommand):
    help = (
        "Membuat akun, atau mengganti peran, wilayah dan kata sandi akun yang sudah ada. "
        "Kata sandi dibaca dari baris pertama masukan standar."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        # Checked in handle() rather than by argparse, so that every mistake gets one Indonesian
        # line and status 1.
        parser.add_argument("username", nargs="?", help="nama pengguna")
        parser.add_argument("--role", help="kader, pkb, opd atau admin")
        parser.add_argument("--unit", action="append", default=[], help="kode wilayah (boleh berulang)")
        parser.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari stdin")
        parser.add_argument(
            "--no-password-change", action="store_true", help="tidak wajib ganti kata sandi saat masuk pertama"
        )

    def handle(self, *args, username, role, unit, password_stdin, no_password_change, **options):
        try:
            _check_arguments(username, role, unit, password_stdin)
            password = _first_line(options.get("stdin") or sys.stdin)
            if not password:
                raise AccountError("kata sandi (baris pertama masukan standar) tidak boleh kosong")
            _, created = account_save(
                username=username,
                role=role,
                unit_codes=unit,
                password=password,
                must_change_password=not no_password_change,
            )
        except AccountError as error:
            self.stderr.write(f"adduser: {error}")
            sys.exit(1)
        self.stdout.write(f"akun {username} {'dibuat' if created else 'diperbarui'}")


def _check_arguments(username, role, unit_codes, password_stdin) -> None:
    if not username:
        raise AccountError("nama pengguna wajib diberikan")
    try:
        User._meta.get_field("username").run_validators(username)
    except ValidationError:
        raise AccountError(
            f"nama pengguna {username!r} tidak sah (huruf, angka dan @ . + - _, paling banyak 150 karakter)"
        ) from None
    if not role:
        raise AccountError(f"--role wajib diberikan (pilih: {', '.join(Role.values)})")
    if role not in Role.values:
        raise AccountError(f"peran {role!r} tidak dikenal (pilih: {', '.join(Role.values)})")
    if not access.sees_everything(role) and not unit_codes:
        raise AccountError(f"--unit wajib diberikan untuk peran {role}")
    if not password_stdin:
        raise AccountError("kata sandi harus diberikan lewat --password-stdin (baris pertama masukan standar)")


def _first_line(stream) -> str:
    """The first line without its line ending; spaces are part of the password."""
    try:
        line = stream.readline()
    except UnicodeDecodeError:
        raise AccountError("kata sandi di masukan standar bukan teks UTF-8") from None
    return line.removesuffix("\n").removesuffix("\r")
