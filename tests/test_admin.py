"""The Django admin at /admin/: where the admin role sets up wilayah, institutions, cadres and accounts."""

import re

import pytest

from cadres.models import Cadre, Institution, Unit, User

CHANGELISTS = {
    "unit": "/admin/cadres/unit/",
    "institution": "/admin/cadres/institution/",
    "cadre": "/admin/cadres/cadre/",
    "user": "/admin/cadres/user/",
}
NO_INLINE_CADRES = {"cadres-TOTAL_FORMS": "0", "cadres-INITIAL_FORMS": "0"}


@pytest.fixture
def imp(personas):
    """Institutions and cadres in two kecamatan (32.14.01 Purwakarta, 32.14.02 Campaka)."""
    Unit.objects.filter(code="32.14.02").update(name="Campaka")
    mawar = Institution.objects.create(unit_id="32.14.01.2001", kind="ppkbd", name="Mawar")
    anggrek = Institution.objects.create(unit_id="32.14.01.2001.001", kind="sub_ppkbd", name="Anggrek")
    melati = Institution.objects.create(unit_id="32.14.02.2001", kind="ppkbd", name="Melati")
    Cadre.objects.create(institution=mawar, name="Euis Sumiati", phone="081234567890", position="ketua")
    Cadre.objects.create(institution=anggrek, name="Imas Masitoh", phone="085712345678", position="ketua")
    Cadre.objects.create(institution=melati, name="Neneng Hasanah", phone="081398765432", position="ketua")
    return personas


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas["admin"].user)
    return client


def listed(response):
    """The rows of a changelist page, as their str()."""
    assert response.status_code == 200
    return [str(row) for row in response.context["cl"].result_list]


def test_the_admin_index_is_in_indonesian(admin_client):
    body = admin_client.get("/admin/").content.decode()
    for text in ["Pengaturan wilayah, IMP, kader dan akun", "Wilayah, IMP dan kader",
                 "Institusi IMP", "Kader", "Wilayah", "Pengguna"]:
        assert text in body


@pytest.mark.parametrize("model, title", [
    ("unit", "Pilih wilayah untuk diubah"),
    ("institution", "Pilih institusi IMP untuk diubah"),
    ("cadre", "Pilih kader untuk diubah"),
    ("user", "Pilih pengguna untuk diubah"),
])
def test_the_admin_sees_every_changelist_in_indonesian(admin_client, imp, model, title):
    response = admin_client.get(CHANGELISTS[model])
    assert response.status_code == 200
    assert title in response.content.decode()


def test_units_are_found_by_name_and_by_code(admin_client, imp):
    assert listed(admin_client.get(CHANGELISTS["unit"], {"q": "Campaka"})) == ["Kecamatan Campaka (32.14.02)"]
    by_code = listed(admin_client.get(CHANGELISTS["unit"], {"q": "32.14.02"}))
    assert [row.rsplit("(", 1)[1] for row in by_code] == [
        "32.14.02)", "32.14.02.2001)", "32.14.02.2001.001)", "32.14.02.2001.001.001)",
    ]


def test_the_level_filter_keeps_one_level(admin_client, imp):
    body_rt = listed(admin_client.get(CHANGELISTS["unit"], {"tingkat": "rt"}))
    assert len(body_rt) == 5 and all(row.startswith("RT ") for row in body_rt)
    kecamatan = listed(admin_client.get(CHANGELISTS["unit"], {"tingkat": "kecamatan"}))
    assert [row.rsplit("(", 1)[1] for row in kecamatan] == ["32.14.01)", "32.14.02)", "32.15.01)"]
    assert "Desa/Kelurahan" in admin_client.get(CHANGELISTS["unit"]).content.decode()


def test_the_kecamatan_filter_keeps_its_subtree_of_units(admin_client, imp):
    rows = listed(admin_client.get(CHANGELISTS["unit"], {"kecamatan": "32.14.02"}))
    assert [row.rsplit("(", 1)[1] for row in rows] == [
        "32.14.02)", "32.14.02.2001)", "32.14.02.2001.001)", "32.14.02.2001.001.001)",
    ]


def test_institutions_are_found_by_name_and_unit_code(admin_client, imp):
    assert listed(admin_client.get(CHANGELISTS["institution"], {"q": "Melati"})) == ["PPKBD Melati"]
    assert listed(admin_client.get(CHANGELISTS["institution"], {"q": "32.14.01.2001.001"})) == ["Sub-PPKBD Anggrek"]


def test_the_kecamatan_filter_narrows_institutions_and_cadres(admin_client, imp):
    institutions = listed(admin_client.get(CHANGELISTS["institution"], {"kecamatan": "32.14.01"}))
    assert sorted(institutions) == ["PPKBD Mawar", "Sub-PPKBD Anggrek"]
    cadres = [row.split(" (")[0] for row in listed(admin_client.get(CHANGELISTS["cadre"], {"kecamatan": "32.14.01"}))]
    assert sorted(cadres) == ["Euis Sumiati", "Imas Masitoh"]
    cadres = [row.split(" (")[0] for row in listed(admin_client.get(CHANGELISTS["cadre"], {"kecamatan": "32.14.02"}))]
    assert cadres == ["Neneng Hasanah"]


def test_cadres_are_found_by_name_phone_and_institution(admin_client, imp):
    by_name = listed(admin_client.get(CHANGELISTS["cadre"], {"q": "Neneng"}))
    assert by_name == ["Neneng Hasanah (Ketua, PPKBD Melati)"]
    assert len(listed(admin_client.get(CHANGELISTS["cadre"], {"q": "0857"}))) == 1
    assert len(listed(admin_client.get(CHANGELISTS["cadre"], {"q": "Mawar"}))) == 1


def test_accounts_are_found_by_unit_and_filtered_by_kecamatan(admin_client, imp):
    assert listed(admin_client.get(CHANGELISTS["user"], {"q": "32.14.01.2002"})) == ["pkb"]
    # pkb has two desa in 32.14.01 and still shows once.
    assert sorted(listed(admin_client.get(CHANGELISTS["user"], {"kecamatan": "32.14.01"}))) == ["kader", "pkb"]
    assert "32.14.01.2001, 32.14.01.2002" in admin_client.get(CHANGELISTS["user"]).content.decode()


def test_a_ppkbd_on_an_rt_is_refused_with_the_models_message(admin_client, imp):
    response = admin_client.post("/admin/cadres/institution/add/", {
        "unit": "32.14.01.2001.001.001", "kind": "ppkbd", "name": "Kenanga", **NO_INLINE_CADRES,
    })
    assert response.status_code == 200
    assert "PPKBD tidak dapat berada di tingkat RT." in response.content.decode()
    assert not Institution.objects.filter(name="Kenanga").exists()


def test_a_pok_kb_on_an_rt_is_added_with_its_cadre(admin_client, imp):
    response = admin_client.post("/admin/cadres/institution/add/", {
        "unit": "32.14.01.2001.001.001", "kind": "pok_kb", "name": "Kenanga 1",
        "cadres-TOTAL_FORMS": "1", "cadres-INITIAL_FORMS": "0",
        "cadres-0-name": "Ai Rohaeti", "cadres-0-position": "ketua", "cadres-0-phone": "082112345678",
    })
    assert response.status_code == 302
    institution = Institution.objects.get(name="Kenanga 1")
    assert institution.unit_id == "32.14.01.2001.001.001"
    assert [cadre.name for cadre in institution.cadres.all()] == ["Ai Rohaeti"]


def test_the_unit_autocomplete_of_institutions_offers_only_desa_rw_and_rt(admin_client, imp):
    response = admin_client.get("/admin/autocomplete/", {
        "app_label": "cadres", "model_name": "institution", "field_name": "unit", "term": "32.14.02",
    })
    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [
        "32.14.02.2001", "32.14.02.2001.001", "32.14.02.2001.001.001",
    ]


@pytest.mark.parametrize("field", ["institution", "user"])
def test_a_hand_made_id_in_an_autocomplete_field_is_refused_not_a_server_error(admin_client, imp, field):
    valid = {"institution": str(Institution.objects.get(name="Mawar").pk), "user": "", "name": "Euis",
             "phone": "0812", "position": "ketua", "since": "2020-01-01"}
    response = admin_client.post("/admin/cadres/cadre/add/", valid | {field: "abc"})
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == [field]
    assert Cadre.objects.filter(name="Euis").count() == 0


def test_a_hand_made_id_in_an_inline_autocomplete_is_refused_not_a_server_error(admin_client, imp):
    response = admin_client.post("/admin/cadres/institution/add/", {
        "unit": "32.14.01.2002", "kind": "ppkbd", "name": "Kenanga",
        "cadres-TOTAL_FORMS": "1", "cadres-INITIAL_FORMS": "0",
        "cadres-0-name": "Euis", "cadres-0-position": "ketua", "cadres-0-user": "abc",
    })
    assert response.status_code == 200
    assert not Institution.objects.filter(name="Kenanga").exists()


def test_the_admin_adds_an_account_with_role_and_units(admin_client, imp):
    form = admin_client.get("/admin/cadres/user/add/").content.decode()
    assert re.search(r'<input type="checkbox" name="must_change_password"[^>]* checked>', form)
    response = admin_client.post("/admin/cadres/user/add/", {
        "username": "siti", "usable_password": "true", "password1": "Kader-Desa-2026!",
        "password2": "Kader-Desa-2026!", "role": "kader", "units": ["32.14.02.2001"], "must_change_password": "on",
    })
    assert response.status_code == 302
    siti = User.objects.get(username="siti")
    assert (siti.role, list(siti.units.values_list("code", flat=True))) == ("kader", ["32.14.02.2001"])
    assert siti.must_change_password and not siti.is_staff


def test_an_account_other_than_admin_needs_a_unit(admin_client, imp):
    response = admin_client.post("/admin/cadres/user/add/", {
        "username": "siti", "usable_password": "true", "password1": "Kader-Desa-2026!",
        "password2": "Kader-Desa-2026!", "role": "pkb",
    })
    assert response.status_code == 200
    assert "Peran ini membutuhkan paling sedikit satu wilayah tugas." in response.content.decode()
    assert not User.objects.filter(username="siti").exists()


def test_an_account_given_the_admin_role_opens_the_admin(admin_client, imp):
    response = admin_client.post("/admin/cadres/user/add/", {
        "username": "ujang", "usable_password": "true", "password1": "Admin-Dinas-2026!",
        "password2": "Admin-Dinas-2026!", "role": "admin",
    })
    assert response.status_code == 302
    ujang = User.objects.get(username="ujang")
    assert ujang.is_staff and ujang.is_superuser


@pytest.mark.parametrize("persona", ["kader", "pkb", "opd", "outsider"])
@pytest.mark.parametrize("url", ["/admin/", *CHANGELISTS.values()])
def test_other_roles_are_sent_to_the_admin_login(client, imp, persona, url):
    client.force_login(imp[persona].user)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get(CHANGELISTS["institution"])
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
