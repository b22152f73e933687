"""`seed_demo`: Purwakarta, RW/RT, IMP institutions and cadres for four desa, one login per role."""

import re
from io import StringIO

from django.core.management import call_command

from cadres.models import Cadre, Couple, CoupleStatus, Institution, Unit, User
from reports.demo.wilayah import DEMO_PASSWORD
from reports.models import MonthlyReport, PpmTarget

USERNAMES = ["admin", "opd", "pkb", "kader", "kader_rt"]


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return {
        "units": Unit.objects.count(), "institutions": Institution.objects.count(),
        "cadres": Cadre.objects.count(), "users": User.objects.count(),
        "linked": Cadre.objects.filter(user__isnull=False).count(),
        "couples": Couple.objects.count(), "statuses": CoupleStatus.objects.count(),
        "reports": MonthlyReport.objects.count(), "targets": PpmTarget.objects.count(),
    }


def fingerprint():
    """Everything the demo generates, as plain tuples."""
    return (
        list(Unit.objects.filter(code__regex=r"\.\d{3}$").values_list("code", "name")),
        list(Institution.objects.order_by("unit_id", "kind", "name").values_list("unit_id", "kind", "name")),
        list(Cadre.objects.order_by("institution__unit_id", "institution__kind", "position", "name", "phone")
             .values_list("institution__unit_id", "institution__kind", "name", "phone", "position", "since",
                          "user__username")),
        list(Couple.objects.order_by("rt_id", "address").values_list("rt_id", "wife_name", "wife_birth_date")),
        list(CoupleStatus.objects.order_by("couple__rt_id", "couple__address", "since")
             .values_list("since", "status", "place", "is_pb")),
        list(MonthlyReport.objects.order_by("rt_id", "period").values_list("rt_id", "period", "status", "pus")),
    )


def test_running_it_twice_creates_and_changes_nothing(db):
    first = seed()
    before = counts(), fingerprint(), sorted(User.objects.values_list("username", "password"))
    second = seed()
    assert (counts(), fingerprint(), sorted(User.objects.values_list("username", "password"))) == before
    assert counts() == {
        "units": 211 + 21 + 74, "institutions": 119, "cadres": 356, "users": 5, "linked": 2,
        "couples": 1824, "statuses": 2768, "reports": 74 * 12 + 53, "targets": 10,
    }
    assert first.startswith("Data demo dimuat: wilayah resmi 32.14: 17 kecamatan, 192 desa/kelurahan")
    assert second.startswith("Data demo sudah dimuat sebelumnya; tidak ada yang diubah.")


def test_both_runs_print_every_demo_login_and_the_password(db):
    for output in (seed(), seed()):
        assert f"Login demo (kata sandi: {DEMO_PASSWORD}):" in output
        for username in USERNAMES:
            assert re.search(rf"^  {username} +", output, re.MULTILINE), username
        assert "Kabupaten Purwakarta (32.14)" in output
        assert "Campaka (32.14.02.2001) — Ketua PPKBD Campaka" in output


def test_it_builds_the_same_demo_every_time(db):
    seed()
    first = fingerprint()
    MonthlyReport.objects.all().delete()
    PpmTarget.objects.all().delete()
    Couple.objects.all().delete()
    Cadre.objects.all().delete()
    Institution.objects.all().delete()
    User.objects.all().delete()
    Unit.objects.at_level("rt").delete()
    Unit.objects.at_level("rw").delete()
    assert seed().startswith("Data demo dimuat:")
    assert fingerprint() == first


def test_demo_accounts_may_be_made_to_change_their_password(db, settings):
    settings.DEMO_ACCOUNTS_MUST_CHANGE_PASSWORD = True
    output = seed()
    assert User.objects.filter(must_change_password=True).count() == 5
    assert "wajib diganti saat masuk pertama kali" in output


def test_by_default_demo_accounts_keep_their_password(db):
    seed()
    assert User.objects.filter(must_change_password=True).count() == 0


def test_it_never_mixes_into_a_demo_desa_that_already_has_rw(tree):
    units = Unit.objects.count()  # the tree has RW 001 in 32.14.02.2001
    assert seed().startswith("Data demo sudah dimuat sebelumnya; tidak ada yang diubah.")
    assert (Unit.objects.count(), Institution.objects.count(), Cadre.objects.count()) == (units, 0, 0)
