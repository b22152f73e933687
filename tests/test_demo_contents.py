"""The demo's contents, checked on one demo database per module (seed_demo runs once here)."""

import re

import pytest

from cadres import codes
from cadres.models import Cadre, Couple, Institution, Unit, User
from cadres.models.imp import KIND_LEVELS, POKTAN
from cadres.periods import add_months, current_period
from cadres.register.rules import statuses_off_their_rt
from reports.demo.wilayah import DEMO_DESA, DEMO_PASSWORD
from reports.numbers.recap import recap_for
from tests.test_admin import CHANGELISTS
from tests.test_seed_demo import USERNAMES


def test_it_loads_purwakarta_with_all_its_kecamatan_and_desa(demo, db):
    assert Unit.objects.get(code="32").name == "Jawa Barat"
    assert Unit.objects.get(code="32.14").name == "Kabupaten Purwakarta"
    assert Unit.objects.at_level("kecamatan").count() == 17
    assert Unit.objects.at_level("desa").count() == 192


def test_it_generates_rw_and_rt_for_four_desa_in_two_kecamatan(demo, db):
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


def test_institutions_stand_only_at_their_levels(demo, db):
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


def test_every_institution_has_a_board_of_cadres(demo, db):
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


def test_it_creates_one_account_per_role_with_its_units(demo, db):
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
def test_the_demo_logins_work_and_list_their_unit(client, demo, db, username, shown):
    # Through the real login form (django-axes wants the request, as a browser sends it).
    assert client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}).status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    assert shown in response.content.decode()




def test_the_demo_register_and_reports_agree(demo, db):
    last_month = add_months(current_period(), -1)
    desa = Unit.objects.get(code=DEMO_DESA[2])
    from_reports = recap_for(desa, last_month, "reports")
    from_register = recap_for(desa, last_month, "register")
    assert Couple.objects.count() > 74 * 15
    assert statuses_off_their_rt() == []  # each status row carries its couple's RT
    assert from_reports["pus"] > 0
    assert from_reports["reports"]["received"] == from_reports["reports"]["expected"]  # all verified
    for key in ("pus", "pa", "methods", "places", "non_users", "pb_methods"):
        assert from_reports[key] == from_register[key], key
    this_month = recap_for(desa, current_period(), "reports")["reports"]
    assert 0 < this_month["received"] < this_month["expected"]  # some RTs have not reported yet


@pytest.mark.parametrize("model", sorted(CHANGELISTS))
def test_the_screens_open_on_the_demo_data_in_few_queries(client, demo, db, django_assert_max_num_queries, model):
    client.post("/accounts/login/", {"username": "admin", "password": DEMO_PASSWORD})
    with django_assert_max_num_queries(12):
        response = client.get(CHANGELISTS[model])
    rows = response.context["cl"].result_list
    assert len(rows) == {"unit": 100, "institution": 100, "cadre": 100, "user": 5}[model]
    assert client.get(f"{CHANGELISTS[model]}{rows[0].pk}/change/").status_code == 200
