"""The cadre's follow-up list: repeats due, pregnant wives, recent drop-outs and wives about to
turn 50, by hand-computed dates; the "ulang" tap and its undo; who may see and do what."""

import datetime

import pytest
from django.urls import reverse

from cadres.models import CoupleStatus, Service
from cadres.register.followup import follow_ups, months_after, next_repeat
from tests.factories import make_unit
from tests.register_factories import make_couple, set_status

RT = "32.14.01.2001.001.001"
D = datetime.date
TODAY = D(2026, 11, 27)


def status(couple, since, state, place="pemerintah", **extra):
    row = set_status(couple, since, state, place)
    CoupleStatus.objects.filter(pk=row.pk).update(**extra)
    return row


@pytest.fixture
def village(tree):
    """Couples of one RT on 27 November 2026, each named for what the list should say of it."""
    make_unit("32.14.01.2001.001.002")
    couples = {
        "late": make_couple(RT, "suntik", since=D(2026, 8, 20), wife_name="Ani"),  # due 20 Nov: 7 days late
        "soon": make_couple(RT, "suntik", since=D(2026, 9, 1), wife_name="Bela"),  # due 1 Dec: this week
        "served": make_couple(RT, "suntik", since=D(2026, 10, 30), wife_name="Cici"),  # 1-monthly, served 25 Nov
        "pill": make_couple(RT, "pil", since=D(2026, 6, 1), wife_name="Dewi"),  # resupplied 28 Oct: due 28 Nov
        "implant": make_couple(RT, "implan", since=D(2026, 1, 5), wife_name="Euis"),  # nothing to repeat
        "pregnant": make_couple(RT, "pil", since=D(2025, 1, 5), wife_name="Fitri"),
        "stopped": make_couple(RT, "pil", since=D(2025, 1, 5), wife_name="Gina"),  # to IAT on 10 Oct
        "stopped_long_ago": make_couple(RT, "pil", since=D(2025, 1, 5), wife_name="Hana"),  # to IAT in June
        "fifty_soon": make_couple(RT, "implan", since=D(2020, 1, 5), born=D(1977, 3, 15), wife_name="Iis"),
        "elsewhere": make_couple("32.14.01.2001.001.002", "suntik", since=D(2026, 8, 1), wife_name="Jubaedah"),
    }
    CoupleStatus.objects.filter(couple=couples["served"]).update(cycle_months=1)
    Service.objects.create(couple=couples["served"], date=D(2026, 11, 25))
    Service.objects.create(couple=couples["pill"], date=D(2026, 10, 28))
    Service.objects.create(couple=couples["late"], date=D(2026, 8, 1))  # before the status: does not count
    status(couples["pregnant"], D(2026, 7, 1), "hamil", "", expected_birth=D(2027, 2, 1))
    set_status(couples["stopped"], D(2026, 10, 10), "iat", "")
    set_status(couples["stopped_long_ago"], D(2026, 6, 1), "iat", "")
    return couples


def names(result, section):
    return [(visit.couple.wife_name, visit.due, visit.late_days) for visit in result.visits[section]]


def test_the_list_of_an_rt_says_who_to_visit_and_when(village):
    result = follow_ups(RT, TODAY)
    assert names(result, "ulang") == [
        ("Ani", D(2026, 11, 20), 7), ("Dewi", D(2026, 11, 28), 0), ("Bela", D(2026, 12, 1), 0),
    ]
    assert names(result, "hamil") == [("Fitri", D(2027, 2, 1), 0)]
    assert names(result, "drop_out") == [("Gina", D(2026, 10, 10), 0)]
    assert names(result, "umur") == [("Iis", D(2027, 3, 15), 0)]
    assert result.total == 6
    assert [visit.label for visit in result.visits["ulang"]] == ["Suntik (Pemerintah)", "Pil (Pemerintah)",
                                                                 "Suntik (Pemerintah)"]


def test_a_desa_s_list_has_every_rt_and_costs_one_query(village, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = follow_ups("32.14.01.2001", TODAY)
    assert [visit.couple.wife_name for visit in result.visits["ulang"]] == ["Jubaedah", "Ani", "Dewi", "Bela"]


@pytest.mark.parametrize(("method", "cycle", "since", "last", "due"), [
    ("suntik", 3, D(2026, 8, 31), None, D(2026, 11, 30)),
    ("suntik", 1, D(2026, 1, 31), None, D(2026, 2, 28)),  # no 31 February
    ("suntik", None, D(2026, 1, 10), None, D(2026, 4, 10)),  # 3-monthly unless told
    ("pil", None, D(2026, 1, 10), D(2026, 3, 2), D(2026, 4, 2)),
    ("kondom", None, D(2025, 12, 15), None, D(2026, 1, 15)),
])
def test_the_next_repeat_is_a_cycle_after_the_last(method, cycle, since, last, due):
    assert next_repeat(method, cycle, since, last) == due


def test_months_after_keeps_the_day_or_takes_the_month_s_last():
    assert (months_after(D(2024, 1, 31), 1), months_after(D(2026, 11, 30), 3), months_after(D(2026, 2, 10), -3)) == (
        D(2024, 2, 29), D(2027, 2, 28), D(2025, 11, 10))


def test_a_kader_taps_ulang_and_can_take_it_back(client, personas, village, monkeypatch):
    client.force_login(personas["kader"].user)
    page = client.get(reverse("follow_ups", args=[RT]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ani" in body and "terlambat" in body and "Ulang hari ini" in body and "Jubaedah" not in body
    response = client.post(reverse("couple_repeat", args=[village["late"].pk]), {"next": reverse("follow_ups", args=[RT])})
    service = Service.objects.get(couple=village["late"], date__gt=D(2026, 8, 1))
    assert response.status_code == 302 and response.url == f"/tindak-lanjut/{RT}/?dicatat={service.pk}"
    assert service.recorded_by == personas["kader"].user
    shown = client.get(response.url).content.decode()
    assert "Batalkan" in shown and "layanan ulang dicatat" in shown
    client.post(reverse("couple_repeat", args=[village["late"].pk]), {"batal": str(service.pk)})
    assert not Service.objects.filter(pk=service.pk).exists()
    assert service.history.count() == 2  # recorded, then deleted: the history keeps both, with who


def test_ulang_is_refused_for_a_method_that_is_not_repeated(client, personas, village):
    client.force_login(personas["kader"].user)
    response = client.post(reverse("couple_repeat", args=[village["implant"].pk]), follow=True)
    assert "tidak sedang memakai suntik, pil atau kondom" in response.content.decode()
    assert not Service.objects.filter(couple=village["implant"]).exists()


def test_the_list_names_couples_so_the_opd_gets_403_and_outsiders_see_nothing(client, personas, village):
    client.force_login(personas["opd"].user)
    response = client.get(reverse("follow_ups", args=[RT]))
    assert response.status_code == 403 and "Ani" not in response.content.decode()
    assert client.post(reverse("couple_repeat", args=[village["late"].pk])).status_code == 403
    client.force_login(personas["outsider"].user)
    assert client.get(reverse("follow_ups", args=[RT])).status_code == 404
    assert client.post(reverse("couple_repeat", args=[village["late"].pk])).status_code == 404
    assert client.post(reverse("couple_repeat", args=[village["late"].pk]), {"batal": "1"}).status_code == 404
    assert Service.objects.count() == 3


def test_the_status_form_takes_the_injection_cycle_and_the_expected_month_of_birth(client, personas, village):
    client.force_login(personas["kader"].user)
    url = reverse("couple_status", args=[village["implant"].pk])
    client.post(url, {"status": "suntik", "place": "swasta", "since": "2026-11-20", "cycle_months": "1"})
    row = village["implant"].statuses.get(since=D(2026, 11, 20))
    assert (row.status, row.cycle_months, row.expected_birth) == ("suntik", 1, None)
    client.post(url, {"status": "hamil", "since": "2026-11-21", "expected_birth": "6/2027", "cycle_months": "1"})
    row = village["implant"].statuses.get(since=D(2026, 11, 21))
    assert (row.status, row.cycle_months, row.expected_birth) == ("hamil", None, D(2027, 6, 1))
    for bad, message in (("13/2027", "tulis bulan/tahun"), ("12/2027", "dalam 10 bulan")):
        response = client.post(url, {"status": "hamil", "since": "2026-11-22", "expected_birth": bad})
        assert response.status_code == 200 and message in response.content.decode()
    assert not village["implant"].statuses.filter(since=D(2026, 11, 22)).exists()
