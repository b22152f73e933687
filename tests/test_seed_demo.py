"""`seed_demo`: Purwakarta, RW/RT, IMP institutions and cadres for four desa, one login per role."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from cadres import codes
from cadres.demo import DEMO_DESA, DEMO_PASSWORD
from cadres.models import Cadre, Couple, CoupleStatus, Institution, Unit, User
from reports.models import MonthlyReport, PpmTarget
from reports.periods import add_months, current_period
from reports.recap import recap_for
from cadres.models.imp import KIND_LEVELS, POKTAN

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


def test_it_loads_purwakarta_with_all_its_kecamatan_and_desa(db):
    seed()
    assert Unit.objects.get(code="32").name == "Jawa Barat"
    assert Unit.objects.get(code="32.14").name == "Kabupaten Purwakarta"
    assert Unit.objects.at_level("kecamatan").count() == 17
    assert Unit.objects.at_level("desa").count() == 192


def test_it_generates_rw_and_rt_for_four_desa_in_two_kecamatan(db):
    seed()
    rws = list(Unit.objects.at_level("rw"))
    rts = list(Unit.objects.at_level("rt"))
    assert (len(rws), len(rts)) == (21, 74)
    assert {rw.parent_id for rw in rws} == set(DEMO_DESA)
    assert {codes.parent_code(desa) for desa in DEMO_DESA} == {"32.14.01", "32.14.02"}
    for desa in DEMO_DESA:
        assert 3 <= Unit.objects.filter(parent_id=desa).count() <= 6
    for rw in rws:
        assert re.fullmatch(r"RW \d{3}", rw.name) and rw.code.endswith("." + rw.name[3:])
        assert 2 <= Unit.objects.filter(parent_id=rw.code).count() <= 5
    for rt in rts:
        assert re.fullmatch(r"RT \d{3}", rt.name) and rt.code.endswith("." + rt.name[3:])
        assert codes.is_valid_code(rt.code) and rt.parent_id == codes.parent_code(rt.code)
    assert Unit.objects.get(code="32.14.02.2001.001.002").name == "RT 002"


def test_institutions_stand_only_at_their_levels(db):
    seed()
    assert Institution.objects.count() == 119
    for institution in Institution.objects.select_related("unit"):
        assert institution.unit.level in KIND_LEVELS[institution.kind]
    ppkbd_units = sorted(Institution.objects.filter(kind="ppkbd").values_list("unit_id", flat=True))
    assert ppkbd_units == sorted(DEMO_DESA)
    sub_ppkbd_units = sorted(Institution.objects.filter(kind="sub_ppkbd").values_list("unit_id", flat=True))
    assert sub_ppkbd_units == sorted(Unit.objects.at_level("rw").values_list("code", flat=True))
    pok_kb_units = sorted(Institution.objects.filter(kind="pok_kb").values_list("unit_id", flat=True))
    assert pok_kb_units == sorted(Unit.objects.at_level("rt").values_list("code", flat=True))
    for desa in DEMO_DESA:
        kinds = Institution.objects.filter(unit__code__startswith=desa, kind__in=POKTAN).values_list("kind", flat=True)
        assert sorted(kinds) == sorted(POKTAN)


def test_every_institution_has_a_board_of_cadres(db):
    seed()
    assert Cadre.objects.count() == 356
    for institution in Institution.objects.prefetch_related("cadres"):
        positions = [cadre.position for cadre in institution.cadres.all()]
        assert positions.count("ketua") == 1
        if institution.kind != "pok_kb":
            assert "sekretaris" in positions
    for cadre in Cadre.objects.all():
        assert re.fullmatch(r"08\d{10}", cadre.phone)
        assert re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", cadre.name)
        assert 2015 <= cadre.since.year <= 2024


def test_it_creates_one_account_per_role_with_its_units(db):
    seed()
    users = {user.username: user for user in User.objects.prefetch_related("units")}
    assert sorted(users) == sorted(USERNAMES)
    roles_and_units = {
        name: (user.role, sorted(unit.code for unit in user.units.all())) for name, user in users.items()
    }
    assert roles_and_units == {
        "admin": ("admin", []),
        "opd": ("opd", ["32.14"]),
        "pkb": ("pkb", ["32.14.02.2001", "32.14.02.2002"]),
        "kader": ("kader", ["32.14.02.2001"]),
        "kader_rt": ("kader", ["32.14.02.2001.001.001"]),
    }
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert not any(users[name].is_staff for name in USERNAMES[1:])
    kader = users["kader"].cadre
    assert (kader.institution.kind, kader.institution.unit_id, kader.position) == ("ppkbd", "32.14.02.2001", "ketua")
    assert users["kader"].get_full_name() == kader.name
    kader_rt = users["kader_rt"].cadre
    assert (kader_rt.institution.kind, kader_rt.institution.unit_id) == ("pok_kb", "32.14.02.2001.001.001")


@pytest.mark.parametrize("username, shown", [
    ("admin", "Jawa Barat"),
    ("opd", "Kabupaten Purwakarta"),
    ("pkb", "Campakasari"),
    ("kader", "32.14.02.2001"),
    ("kader_rt", "32.14.02.2001.001.001"),
])
def test_the_demo_logins_work_and_list_their_unit(client, db, username, shown):
    seed()
    # Through the real login form (django-axes wants the request, as a browser sends it).
    assert client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}).status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    assert shown in response.content.decode()


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


def test_the_demo_register_and_reports_agree(db):
    seed()
    last_month = add_months(current_period(), -1)
    desa = Unit.objects.get(code=DEMO_DESA[2])
    from_reports = recap_for(desa, last_month, "reports")
    from_register = recap_for(desa, last_month, "register")
    assert Couple.objects.count() > 74 * 15
    assert from_reports["pus"] > 0
    assert from_reports["reports"]["received"] == from_reports["reports"]["expected"]  # all verified
    for key in ("pus", "pa", "methods", "places", "non_users", "pb_methods"):
        assert from_reports[key] == from_register[key], key
    this_month = recap_for(desa, current_period(), "reports")["reports"]
    assert 0 < this_month["received"] < this_month["expected"]  # some RTs have not reported yet
