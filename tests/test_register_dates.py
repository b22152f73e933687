"""The register's dates the Indonesian way (17/08/1995), and a wife's age where her birth date is
not known: stored as an estimated date, marked, and shown as an estimate."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import Couple
from cadres.register.forms import estimated_birth_date
from tests.register_factories import make_couple

RT = "32.14.01.2001.001.001"


@pytest.fixture
def kader(client, personas):
    client.force_login(personas["kader"].user)
    return client


def add(kader, **fields):
    today = timezone.localdate()
    data = {"wife_name": "Euis", "husband_name": "Dadang", "children": "1", "registered_on": f"{today:%d/%m/%Y}",
            "status": "pil", "place": "swasta", **fields}
    return kader.post(reverse("couple_add", args=[RT]), data)


@pytest.mark.parametrize("typed", ["17/08/1995", "17-08-1995", "1995-08-17"])
def test_a_birth_date_is_taken_as_indonesians_write_it_or_iso(kader, typed):
    assert add(kader, wife_birth_date=typed).status_code == 302
    couple = Couple.objects.get()
    assert (couple.wife_birth_date, couple.wife_birth_date_estimated) == (datetime.date(1995, 8, 17), False)


@pytest.mark.parametrize("typed", ["31/02/1995", "17/8", "besok", "1995/17/08"])
def test_a_date_that_is_not_a_date_is_refused_naming_the_field(kader, typed):
    response = add(kader, wife_birth_date=typed)
    assert response.status_code == 200
    assert "wife_birth_date" in response.context["form"].errors
    assert Couple.objects.count() == 0


def test_an_age_instead_of_a_birth_date_is_stored_as_an_estimate_and_marked(kader):
    assert add(kader, wife_age="38").status_code == 302
    couple = Couple.objects.get()
    today = timezone.localdate()
    assert couple.wife_birth_date == estimated_birth_date(38, today)
    assert couple.wife_birth_date_estimated is True
    assert couple.wife_age_on(today) == 38
    assert couple.history.first().wife_birth_date_estimated is True
    body = kader.get(reverse("couple_detail", args=[couple.pk])).content.decode()
    assert "± 38 tahun (perkiraan)" in body


@pytest.mark.parametrize("age, message", [("14", "paling sedikit 15"), ("50", "paling banyak 49"),
                                          ("tiga puluh", "bilangan bulat")])
def test_an_age_outside_15_to_49_is_refused(kader, age, message):
    response = add(kader, wife_age=age)
    assert message in " ".join(response.context["form"].errors["wife_age"])
    assert Couple.objects.count() == 0


def test_neither_a_birth_date_nor_an_age_is_refused(kader):
    response = add(kader)
    assert response.context["form"].errors["wife_birth_date"] == [
        "Isi tanggal lahir istri, atau umurnya bila tanggalnya tidak diketahui."]


def test_a_birth_date_given_wins_over_an_age(kader):
    assert add(kader, wife_birth_date="17/08/1995", wife_age="40").status_code == 302
    couple = Couple.objects.get()
    assert (couple.wife_birth_date, couple.wife_birth_date_estimated) == (datetime.date(1995, 8, 17), False)


def test_editing_an_estimated_couple_shows_the_age_and_a_real_date_clears_the_mark(kader):
    add(kader, wife_age="30")
    couple = Couple.objects.get()
    form = kader.get(reverse("couple_edit", args=[couple.pk])).context["form"]
    assert (form["wife_age"].value(), form["wife_birth_date"].value()) == (30, None)
    data = {"wife_name": "Euis", "husband_name": "Dadang", "children": "1", "wife_birth_date": "01/02/1996",
            "registered_on": f"{couple.registered_on:%d/%m/%Y}"}
    assert kader.post(reverse("couple_edit", args=[couple.pk]), data).status_code == 302
    couple.refresh_from_db()
    assert (couple.wife_birth_date, couple.wife_birth_date_estimated) == (datetime.date(1996, 2, 1), False)


def test_dates_on_the_forms_are_shown_day_month_year(kader, tree):
    couple = make_couple(RT, born=datetime.date(1990, 5, 1))
    body = kader.get(reverse("couple_edit", args=[couple.pk])).content.decode()
    assert 'value="01/05/1990"' in body


def test_the_register_links_to_the_rts_report_and_says_why_its_pus_may_differ(kader):
    from cadres.periods import current_period, period_str

    body = kader.get(reverse("register", args=[RT])).content.decode()
    assert f"/laporan/{RT}/{period_str(current_period())}/" in body
    assert "Dasbor menghitung laporan bulanan yang sudah dikirim" in body


def test_keluar_means_only_logging_out_on_every_register_page(kader, tree):
    couple = make_couple(RT)
    for url in (reverse("register", args=[RT]), reverse("couple_detail", args=[couple.pk]),
                reverse("couple_leave", args=[couple.pk]), reverse("couple_edit", args=[couple.pk]),
                reverse("couple_add", args=[RT]), reverse("couple_status", args=[couple.pk])):
        body = kader.get(url).content.decode()
        text = re.sub(r'(href|action)="[^"]*"', "", body[body.index("<main"):])  # the URL may say keluar
        assert "eluar" not in text, url
