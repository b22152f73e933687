"""Who sees and changes what on the register screens: the NIK masked for all but admins, the
OPD reading counts only (no couple by name), couples outside the user's scope 404, and a login
for everything."""

import pytest
from django.urls import reverse

from cadres.models import Couple
from tests.test_register_views import NIK, RT, add_form, login, mix, today  # noqa: F401 (fixtures)


@pytest.mark.parametrize("persona, shown", [
    ("kader", "3214********0001"), ("pkb", "3214********0001"), ("admin", NIK),
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
def test_the_opd_gets_403_on_a_couples_pages(client, personas, mix, name):
    login(client, personas, "opd")
    url = reverse(name, args=[mix["ani"].pk])
    assert client.get(reverse("couple_detail", args=[mix["ani"].pk])).status_code == 403
    assert client.get(url).status_code == 403
    assert client.post(url, {"status": "pil", "place": "swasta", "since": "2024-01-01"}).status_code == 403
    assert client.post(reverse("couple_add", args=[RT]), add_form()).status_code == 403
    assert not Couple.objects.filter(wife_name="Nining").exists()


def test_the_opd_sees_the_registers_counts_but_no_couple_and_no_button(client, personas, mix):
    body = login(client, personas, "opd").get(reverse("register", args=[RT])).content.decode()
    assert reverse("couple_add", args=[RT]) not in body
    assert reverse("couple_status", args=[mix["ani"].pk]) not in body
    assert "Ani" not in body and reverse("couple_detail", args=[mix["ani"].pk]) not in body
    assert "Nama pasangan hanya untuk kader, PKB dan admin" in body
    assert reverse("follow_ups", args=[RT]) not in body  # a page she may not open: no dead end


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


@pytest.mark.parametrize(("children", "error"), [
    ("31", "Jumlah anak hidup paling banyak 30."), ("-1", None), ("dua", None),
])
def test_the_number_of_children_is_a_whole_number_from_0_to_30(client, personas, tree, today, children, error):
    response = login(client, personas).post(reverse("couple_add", args=[RT]), {
        "wife_name": "Nining", "wife_age": "30", "husband_name": "Ujang", "children": children,
        "registered_on": today.isoformat(), "status": "iat",
    })
    assert response.status_code == 200 and not Couple.objects.exists()
    assert response.context["form"].errors["children"]
    if error:
        assert response.context["form"].errors["children"] == [error]


def test_a_download_behind_the_proxy_logs_the_client_s_address(client, personas, mix, settings):
    from cadres.models import ExportLog

    settings.PROXY_COUNT = 1  # as with HTTPS=1 behind one nginx
    login(client, personas)
    for forwarded in ("203.0.113.7", "6.6.6.6, 203.0.113.7"):  # the client may send its own header first
        response = client.get(reverse("register_xlsx", args=[RT]), HTTP_X_FORWARDED_FOR=forwarded,
                              REMOTE_ADDR="127.0.0.1")
        assert response.status_code == 200
    assert list(ExportLog.objects.order_by("pk").values_list("address", flat=True)) == ["203.0.113.7"] * 2
