"""Who sees and changes what on the register screens: the NIK masked for all but admins, the
OPD reading only, couples outside the user's scope 404, and a login for everything."""

import pytest
from django.urls import reverse

from cadres.models import Couple
from tests.test_register_views import NIK, RT, add_form, login, mix, today  # noqa: F401 (fixtures)


@pytest.mark.parametrize("persona, shown", [
    ("kader", "3214********0001"), ("pkb", "3214********0001"), ("opd", "3214********0001"), ("admin", NIK),
])
def test_the_nik_is_masked_for_everyone_but_admins(client, personas, mix, persona, shown):
    body = login(client, personas, persona).get(reverse("couple_detail", args=[mix["cici"].pk])).content.decode()
    assert shown in body
    if persona != "admin":
        assert NIK not in body


def test_the_edit_form_keeps_the_hidden_nik_unless_it_is_replaced_or_removed(client, personas, mix):
    couple = mix["cici"]
    form = login(client, personas).get(reverse("couple_edit", args=[couple.pk])).content.decode()
    assert NIK not in form and "3214********0001" in form
    data = {
        "wife_name": "Cici", "wife_birth_date": couple.wife_birth_date.isoformat(), "husband_name": "Dodi",
        "children": "1", "registered_on": couple.registered_on.isoformat(), "nik": "",
    }
    client.post(reverse("couple_edit", args=[couple.pk]), data)
    couple.refresh_from_db()
    assert couple.nik == NIK
    client.post(reverse("couple_edit", args=[couple.pk]), {**data, "remove_nik": "on"})
    couple.refresh_from_db()
    assert couple.nik == ""


def test_the_admin_sees_the_full_nik_in_the_edit_form(client, personas, mix):
    body = login(client, personas, "admin").get(reverse("couple_edit", args=[mix["cici"].pk])).content.decode()
    assert f'value="{NIK}"' in body


@pytest.mark.parametrize("name", ["couple_edit", "couple_status", "couple_leave"])
def test_the_opd_reads_but_gets_403_on_write_pages(client, personas, mix, name):
    login(client, personas, "opd")
    url = reverse(name, args=[mix["ani"].pk])
    assert client.get(reverse("couple_detail", args=[mix["ani"].pk])).status_code == 200
    assert client.get(url).status_code == 403
    assert client.post(url, {"status": "pil", "place": "swasta", "since": "2024-01-01"}).status_code == 403
    assert client.post(reverse("couple_add", args=[RT]), add_form()).status_code == 403
    assert not Couple.objects.filter(wife_name="Nining").exists()


def test_the_opd_sees_no_add_or_status_buttons(client, personas, mix):
    body = login(client, personas, "opd").get(reverse("register", args=[RT])).content.decode()
    assert reverse("couple_add", args=[RT]) not in body
    assert reverse("couple_status", args=[mix["ani"].pk]) not in body


@pytest.mark.parametrize("name", ["couple_detail", "couple_edit", "couple_status", "couple_leave"])
def test_a_couple_outside_the_scope_is_404(client, personas, mix, name):
    url = reverse(name, args=[mix["other"].pk])
    assert login(client, personas).get(url).status_code == 404
    assert client.post(url, {"left_on": "2024-01-01", "left_reason": "cerai"}).status_code == 404
    assert login(client, personas, "outsider").get(reverse(name, args=[mix["ani"].pk])).status_code == 404
    assert login(client, personas, "admin").get(reverse(name, args=[987654])).status_code == 404


def test_every_page_needs_a_login(client, mix):
    for url in [reverse("register", args=[RT]), reverse("couple_detail", args=[mix["ani"].pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
