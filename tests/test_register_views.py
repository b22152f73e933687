"""The cadre's register screens: the list and its counts, filters, add, edit, status, leaving, history.
(Who may see and change what: test_register_access.py.)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cadres.models import Couple
from cadres.register.queries import years_before
from tests.register_factories import make_couple

RT = "32.14.01.2001.001.001"
OTHER_RT = "32.14.01.2001.001.002"
NIK = "3214014505900001"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def mix(tree, today):
    """An RT with 7 PUS (3 PA of which 2 MKJP; 2 unmet need), a wife past 49 and a couple that left."""
    since = today - datetime.timedelta(days=400)
    born = years_before(today, 30)

    def add(wife, status, husband="Asep", **fields):
        fields = {"since": since, "born": born, **fields}
        return make_couple(fields.pop("rt", RT), status, wife_name=wife, husband_name=husband, **fields)

    return {
        "ani": add("Ani", "pil", children=3),
        "bela": add("Bela", "iud", place="swasta", born=years_before(today, 18), since=years_before(today, 1)),
        "cici": add("Cici", "implan", husband="Dodi", nik=NIK),
        "dewi": add("Dewi", "iat"),
        "euis": add("Euis", "tial"),
        "fitri": add("Fitri", "hamil"),
        "gina": add("Gina", "ias", youngest_birth_date=today - datetime.timedelta(days=300)),
        "hana": add("Hana", "suntik", born=years_before(today, 50) - datetime.timedelta(days=1)),
        "iis": add("Iis", "pil", left_on=today - datetime.timedelta(days=1), left_reason="pindah"),
        "other": add("Omah", "suntik", rt=OTHER_RT),
    }


def names(response):
    return [couple.wife_name for couple in response.context["couples"]]


def login(client, personas, name="kader"):
    client.force_login(personas[name].user)
    return client


def test_the_rt_register_counts_its_pus_pa_mkjp_and_unmet_need(client, personas, mix):
    response = login(client, personas).get(reverse("register", args=[RT]))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert {key: counts[key] for key in ("pus", "pa", "mkjp", "unmet_need")} == {
        "pus": 7, "pa": 3, "mkjp": 2, "unmet_need": 2,
    }
    body = response.content.decode()
    assert "42,86%" in body  # CPR: 3 of 7
    assert "66,67%" in body  # MKJP: 2 of 3 PA
    assert "28,57%" in body  # unmet need: 2 of 7 PUS
    assert names(response) == ["Ani", "Bela", "Cici", "Dewi", "Euis", "Fitri", "Gina"]


def test_an_rw_register_lists_its_rts_with_their_counts_and_all_couples(client, personas, mix):
    response = login(client, personas, "pkb").get(reverse("register", args=["32.14.01.2001.001"]))
    assert response.status_code == 200
    rows = [(unit.code, counts["pus"], counts["pa"]) for unit, counts in response.context["rows"]]
    assert rows == [(RT, 7, 3), (OTHER_RT, 1, 1)]
    assert response.context["counts"]["pus"] == 8
    assert names(response) == ["Ani", "Bela", "Cici", "Dewi", "Euis", "Fitri", "Gina", "Omah"]
    assert f'href="/register/{RT}/"' in response.content.decode()


def test_above_a_desa_the_register_lists_units_only(client, personas, mix):
    response = login(client, personas, "opd").get(reverse("register", args=["32.14"]))
    assert response.status_code == 200
    rows = [(unit.code, counts["pus"]) for unit, counts in response.context["rows"]]
    assert rows == [("32.14.01", 8), ("32.14.02", 0)]
    assert "couples" not in response.context


def test_an_empty_register_shows_dashes_for_percentages(client, personas, tree):
    response = login(client, personas).get(reverse("register", args=[RT]))
    assert response.context["counts"]["pus"] == 0
    assert response.context["counts"]["pct_cpr"] is None
    assert "—" in response.content.decode()


@pytest.mark.parametrize("query, expected", [
    ({"status": "aktif"}, ["Ani", "Bela", "Cici"]),
    ({"status": "iud"}, ["Bela"]),
    ({"status": "hamil"}, ["Fitri"]),
    ({"status": "ias"}, ["Gina"]),
    ({"status": "iat"}, ["Dewi"]),
    ({"status": "tial"}, ["Euis"]),
    ({"group": "mkjp"}, ["Bela", "Cici"]),
    ({"group": "non_mkjp"}, ["Ani"]),
    ({"risk": "on"}, ["Ani", "Bela", "Gina"]),
    ({"left": "on"}, ["Hana", "Iis"]),
    ({"q": "cic"}, ["Cici"]),
    ({"q": "DODI"}, ["Cici"]),
    ({"q": "ani", "status": "tial"}, []),
    ({"status": "bogus", "q": "bela"}, ["Bela"]),  # a tampered filter is ignored, the rest applies
])
def test_the_list_filters_by_status_method_4t_leaving_and_name(client, personas, mix, query, expected):
    response = login(client, personas).get(reverse("register", args=[RT]), query)
    assert response.status_code == 200
    assert names(response) == expected


def test_the_list_pages_by_fifty(client, personas, tree, today):
    for number in range(60):
        make_couple(RT, "pil", wife_name=f"Istri {number:02d}", born=years_before(today, 30))
    response = login(client, personas).get(reverse("register", args=[RT]), {"page": 2, "status": "pil"})
    assert names(response) == [f"Istri {number:02d}" for number in range(50, 60)]
    assert "status=pil" in response.content.decode()  # the page links keep the filter
    assert login(client, personas).get(reverse("register", args=[RT]), {"page": "x"}).status_code == 200


@pytest.mark.parametrize("couples", [5, 50])
def test_the_list_costs_a_constant_number_of_queries(client, personas, tree, today, couples,
                                                     django_assert_max_num_queries):
    for number in range(couples):
        make_couple(RT, "iud" if number % 2 else "tial", wife_name=f"Istri {number}", children=number % 4,
                    born=years_before(today, 18 + number % 30))
    login(client, personas, "pkb")
    # session, user, its units, the unit, its ancestors, the counts, the RTs, their counts, the
    # page's count and rows, and saving the session (3 with its savepoint): never one per couple.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("register", args=["32.14.01.2001"]))
    assert response.context["counts"]["pus"] == couples


def test_a_kader_adds_a_couple_with_its_first_status(client, personas, tree, today):
    registered = today - datetime.timedelta(days=10)
    response = login(client, personas).post(reverse("couple_add", args=[RT]), {
        "wife_name": "Nining", "wife_birth_date": "1995-04-02", "husband_name": "Ujang", "children": "2",
        "youngest_birth_date": "2022-01-05", "nik": "", "address": "No. 12",
        "registered_on": registered.isoformat(), "status": "suntik", "place": "swasta",
    })
    couple = Couple.objects.get(wife_name="Nining")
    assert response.status_code == 302 and response.url == reverse("couple_detail", args=[couple.pk])
    assert (couple.rt_id, couple.registered_on, couple.children) == (RT, registered, 2)
    # Not answered: a couple written in with a method is a continuing user, not a PB.
    assert couple.first_use == "lama"
    assert [(row.since, row.status, row.place, row.kind, row.is_pb) for row in couple.statuses.all()] == [
        (registered, "suntik", "swasta", "", False)
    ]
    assert couple.history.get().history_user == personas["kader"].user


@pytest.mark.parametrize(("answer", "status", "kind"), [
    ({"first_use": "lama"}, "pil", ""),
    ({"first_use": "pb"}, "pil", "pb"),
    ({"first_use": "pb_pasca"}, "implan", "pb_pasca"),
    ({"first_use": "pb", "ever_used": "True"}, "iat", ""),  # a non-user is no PB whatever the answer
])
def test_the_add_form_asks_whether_the_method_is_a_first_use(client, personas, tree, today, answer, status, kind):
    place = "" if status == "iat" else "pemerintah"
    login(client, personas).post(reverse("couple_add", args=[RT]), {
        "wife_name": "Nining", "wife_birth_date": "1995-04-02", "husband_name": "Ujang", "children": "1",
        "registered_on": today.isoformat(), "status": status, "place": place, **answer,
    })
    couple = Couple.objects.get(wife_name="Nining")
    assert [row.kind for row in couple.statuses.all()] == [kind]
    assert couple.ever_used is (answer.get("ever_used") == "True")
    page = client.get(reverse("couple_add", args=[RT])).content.decode()
    assert "Bila ber-KB: apakah baru pertama kali?" in page and "pernah memakai alat/obat KB?" in page


def test_a_couple_written_in_as_non_users_who_used_before_is_no_pb_when_starting(client, personas, tree, today):
    login(client, personas).post(reverse("couple_add", args=[RT]), {
        "wife_name": "Nining", "wife_birth_date": "1995-04-02", "husband_name": "Ujang", "children": "1",
        "registered_on": (today - datetime.timedelta(days=40)).isoformat(), "status": "iat", "ever_used": "True",
    })
    couple = Couple.objects.get(wife_name="Nining")
    response = client.post(reverse("couple_status", args=[couple.pk]),
                           {"status": "pil", "place": "swasta", "since": today.isoformat()}, follow=True)
    assert [row.kind for row in couple.statuses.order_by("since")] == ["", ""]
    assert "Peserta KB baru" not in response.content.decode()


def test_save_and_add_again_returns_to_an_empty_form(client, personas, tree, today):
    response = login(client, personas).post(reverse("couple_add", args=[RT]), {
        "wife_name": "Nining", "wife_birth_date": "1995-04-02", "husband_name": "Ujang", "children": "0",
        "registered_on": today.isoformat(), "status": "hamil", "again": "1",
    })
    assert response.status_code == 302 and response.url == reverse("couple_add", args=[RT])


def test_a_couple_is_added_only_in_an_rt(client, personas, tree):
    assert login(client, personas, "pkb").get(reverse("couple_add", args=["32.14.01.2001"])).status_code == 404


def add_form(**overrides):
    return {
        "wife_name": "Nining", "wife_birth_date": "1995-04-02", "husband_name": "Ujang", "children": "1",
        "registered_on": "2024-01-10", "status": "pil", "place": "pemerintah", **overrides,
    }


@pytest.mark.parametrize("overrides, message", [
    ({"place": ""}, "Tempat pelayanan: Tempat pelayanan wajib diisi untuk metode KB."),
    ({"status": "hamil"}, "Tempat pelayanan: Tempat pelayanan hanya diisi untuk peserta KB, bukan untuk Hamil."),
    ({"wife_birth_date": "2020-13-45"}, "Tanggal lahir istri: bukan tanggal yang benar. Tulis hari/bulan/tahun, mis. 17/08/1995."),
    ({"registered_on": "kemarin"}, "Tanggal terdaftar: bukan tanggal yang benar. Tulis hari/bulan/tahun, mis. 17/08/1995."),
    ({"wife_birth_date": "0001-01-01"}, "PUS hanya istri berumur 15–49 tahun."),
    ({"registered_on": "9999-12-31"}, "Tanggal terdaftar: Tanggal terdaftar tidak boleh sesudah hari ini."),
    ({"youngest_birth_date": "1990-01-01"}, "Tanggal lahir anak terkecil harus sesudah tanggal lahir istri."),
    ({"nik": "1234"}, "NIK istri: NIK harus 16 angka yang sah."),
    ({"children": "-1"}, "Jumlah anak hidup: "),
    ({"children": "banyak"}, "Jumlah anak hidup: "),
    ({"status": "bogus"}, "Status KB sekarang: Masukkan pilihan yang valid."),
    ({"wife_name": ""}, "Nama istri: Bidang ini tidak boleh kosong."),
])
def test_bad_input_on_the_add_form_names_the_field(client, personas, tree, overrides, message):
    response = login(client, personas).post(reverse("couple_add", args=[RT]), add_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Couple.objects.exists()


def test_a_kader_edits_a_couple_and_the_history_names_them(client, personas, mix):
    couple = mix["ani"]
    data = {
        "wife_name": "Ani", "wife_birth_date": couple.wife_birth_date.isoformat(), "husband_name": "Asep",
        "children": "4", "address": "Gang Mawar 3", "registered_on": couple.registered_on.isoformat(),
        "nik": "", "youngest_birth_date": "", "left_on": "", "left_reason": "",
    }
    response = login(client, personas).post(reverse("couple_edit", args=[couple.pk]), data)
    assert response.status_code == 302
    couple.refresh_from_db()
    assert (couple.children, couple.address) == (4, "Gang Mawar 3")
    page = client.get(reverse("couple_detail", args=[couple.pk]))
    latest = page.context["history"][0]
    assert (str(latest["what"]), latest["who"]) == (
        "Data diubah: jumlah anak hidup, alamat / nomor rumah", personas["kader"].user
    )
    assert '<span class="who">kader</span>' in page.content.decode()


def test_an_edit_cannot_move_the_registration_after_the_first_status(client, personas, mix, today):
    couple = mix["ani"]
    data = {
        "wife_name": "Ani", "wife_birth_date": couple.wife_birth_date.isoformat(), "husband_name": "Asep",
        "children": "3", "registered_on": today.isoformat(),
    }
    response = login(client, personas).post(reverse("couple_edit", args=[couple.pk]), data)
    assert response.status_code == 200
    assert "Tanggal terdaftar tidak boleh sesudah status pertama" in response.content.decode()


def test_the_status_page_offers_big_buttons_and_todays_date(client, personas, mix, today):
    response = login(client, personas).get(reverse("couple_status", args=[mix["dewi"].pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="btn-check method"') == 7
    assert body.count('class="btn-check non-user"') == 4
    assert f'value="{today:%d/%m/%Y}"' in body
    assert 'value="pemerintah" autocomplete="off" checked' in body  # the place is one tap less


def test_a_status_change_adds_a_row_dated_today_and_shows_the_pb_rule(client, personas, mix, today):
    couple = mix["dewi"]  # written in as IAT, never having used a method
    response = login(client, personas).post(reverse("couple_status", args=[couple.pk]), {
        "status": "kondom", "place": "swasta", "since": today.isoformat(),
    })
    assert response.status_code == 302 and response.url == reverse("register", args=[RT])
    assert [(row.status, row.kind) for row in couple.statuses.order_by("since")] == [("iat", ""), ("kondom", "pb")]
    assert couple.statuses.order_by("since").last().since == today
    listing = client.get(response.url)
    assert "Peserta KB baru (PB): pertama kali ber-KB." in listing.content.decode()
    assert (listing.context["counts"]["pa"], listing.context["counts"]["unmet_need"]) == (4, 1)


@pytest.mark.parametrize(("name", "steps", "kinds", "note"), [
    ("ani", [("implan", "pemerintah")], ["", "gc"], "Ganti cara (GC)"),
    ("ani", [("hamil", ""), ("suntik", "swasta")], ["", "", "pb_pasca"], "pasca persalinan/keguguran"),
    ("ani", [("tial", "")], ["", "do"], "Drop-out"),
    ("ani", [("iat", ""), ("pil", "swasta")], ["", "do", ""], None),  # a restart: neither PB nor GC
])
def test_each_status_change_says_what_it_counts_as(client, personas, mix, today, name, steps, kinds, note):
    couple, days = mix[name], len(steps)
    login(client, personas)
    for number, (status, place) in enumerate(steps):
        since = today - datetime.timedelta(days=days - 1 - number)
        response = client.post(reverse("couple_status", args=[couple.pk]),
                               {"status": status, "place": place, "since": since.isoformat()}, follow=True)
    assert [row.kind for row in couple.statuses.order_by("since")] == kinds
    body = response.content.decode()
    if note:
        assert note in body
    else:
        assert not any(word in body for word in ("Peserta KB baru", "Ganti cara (GC)", "Drop-out"))
    detail = client.get(reverse("couple_detail", args=[couple.pk])).content.decode()
    assert detail.count('class="badge text-bg-') >= sum(1 for kind in kinds if kind)


def test_a_switch_of_method_is_not_a_pb_and_a_non_user_drops_the_place(client, personas, mix, today):
    login(client, personas)
    client.post(reverse("couple_status", args=[mix["ani"].pk]), {
        "status": "implan", "place": "pemerintah", "since": today.isoformat(),
    })
    assert mix["ani"].statuses.order_by("since").last().is_pb is False
    client.post(reverse("couple_status", args=[mix["bela"].pk]), {
        "status": "hamil", "place": "pemerintah", "since": today.isoformat(),
    })
    assert (mix["bela"].statuses.order_by("since").last().status, mix["bela"].statuses.last().place) == ("hamil", "")


def test_a_status_change_goes_back_to_the_filtered_list(client, personas, mix, today):
    back = reverse("register", args=[RT]) + "?status=iat"
    response = login(client, personas).post(reverse("couple_status", args=[mix["dewi"].pk]), {
        "status": "pil", "place": "pemerintah", "since": today.isoformat(), "next": back,
    })
    assert response.url == back
    response = client.post(reverse("couple_status", args=[mix["euis"].pk]), {
        "status": "pil", "place": "pemerintah", "since": today.isoformat(), "next": "https://example.com/",
    })
    assert response.url == reverse("register", args=[RT])


@pytest.mark.parametrize("data, message", [
    ({"status": "pil", "place": "", "since": "2024-01-01"}, "Tempat pelayanan wajib diisi untuk metode KB."),
    ({"status": "pil", "place": "pemerintah", "since": "31-02-2024"}, "Sejak tanggal: bukan tanggal yang benar. Tulis hari/bulan/tahun, mis. 17/08/1995."),
    ({"status": "pil", "place": "pemerintah", "since": "9999-01-01"}, "tidak boleh sesudah hari ini."),
    ({"status": "pil", "place": "pemerintah", "since": "1990-01-01"}, "tidak boleh sebelum tanggal terdaftar"),
    ({"status": "x", "place": "bulan", "since": ""}, "Status: Masukkan pilihan yang valid."),
])
def test_bad_input_on_the_status_page_names_the_field(client, personas, mix, data, message):
    response = login(client, personas).post(reverse("couple_status", args=[mix["dewi"].pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert mix["dewi"].statuses.count() == 1


def test_a_couple_leaves_the_register(client, personas, mix, today):
    couple = mix["fitri"]
    response = login(client, personas).post(reverse("couple_leave", args=[couple.pk]), {
        "left_on": today.isoformat(), "left_reason": "cerai",
    })
    assert response.status_code == 302 and response.url == reverse("register", args=[RT])
    couple.refresh_from_db()
    assert (couple.left_on, couple.left_reason) == (today, "cerai")
    listing = client.get(response.url)
    assert listing.context["counts"]["pus"] == 6
    assert "Fitri" in names(client.get(response.url, {"left": "on"}))


@pytest.mark.parametrize("data, message", [
    ({"left_on": "", "left_reason": "cerai"}, "Tanggal berhenti dari register: Bidang ini tidak boleh kosong."),
    ({"left_on": "2024-99-01", "left_reason": "cerai"}, "Tanggal berhenti dari register: bukan tanggal yang benar. Tulis hari/bulan/tahun, mis. 17/08/1995."),
    ({"left_on": "1990-01-01", "left_reason": "cerai"}, "tidak boleh sebelum tanggal terdaftar"),
    ({"left_on": "2024-01-01", "left_reason": "kabur"}, "Alasan berhenti: Masukkan pilihan yang valid."),
])
def test_bad_input_on_the_leave_page_names_the_field(client, personas, mix, data, message):
    response = login(client, personas).post(reverse("couple_leave", args=[mix["fitri"].pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_add_form_starts_from_today(client, personas, tree, today):
    body = login(client, personas).get(reverse("couple_add", args=[RT])).content.decode()
    assert f'name="registered_on" value="{today:%d/%m/%Y}"' in body
    # Typed the Indonesian way on the number pad, not the browser's date picker.
    assert 'type="date"' not in body and 'placeholder="hh/bb/tttt" inputmode="numeric"' in body


def test_an_edit_needs_a_reason_with_a_leaving_date(client, personas, mix, today):
    couple = mix["ani"]
    data = {
        "wife_name": "Ani", "wife_birth_date": couple.wife_birth_date.isoformat(), "husband_name": "Asep",
        "children": "3", "registered_on": couple.registered_on.isoformat(), "left_on": today.isoformat(),
    }
    response = login(client, personas).post(reverse("couple_edit", args=[couple.pk]), data)
    assert response.status_code == 200
    assert "Alasan berhenti: Isi alasan berhenti dari register." in response.content.decode()


def test_the_history_names_who_changed_the_status_and_skips_relinking(client, personas, mix, today):
    couple = mix["dewi"]
    login(client, personas, "pkb").post(reverse("couple_status", args=[couple.pk]), {
        "status": "pil", "place": "swasta", "since": today.isoformat(),
    })
    history = login(client, personas).get(reverse("couple_detail", args=[couple.pk])).context["history"]
    assert [(str(entry["what"]), entry["who"] and entry["who"].username) for entry in history] == [
        (f"Status Pil (Swasta) sejak {date_format(today, 'j F Y')} dicatat", "pkb"),
        (f"Status IAT (ingin anak ditunda) sejak {date_format(couple.registered_on, 'j F Y')} dicatat", None),
        ("Pasangan didaftarkan", None),
    ]
