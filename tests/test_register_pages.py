"""The register pages as a cadre meets them: day-first dates only, the wife's age as an estimate
(also for those who may not see her birth date), a desa's RTs under their RW, the link to the
month's report, and 'berhenti dari register' for a couple leaving."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import Couple
from cadres.periods import current_period
from cadres.register.forms import estimated_birth_date
from cadres.register.queries import reporting_month, years_before
from tests.factories import make_unit
from tests.register_factories import make_couple

RT = "32.14.01.2001.001.001"
DESA = "32.14.01.2001"


def login(client, personas, name="kader"):
    client.force_login(personas[name].user)
    return client


def add(client, **fields):
    today = timezone.localdate()
    data = {"wife_name": "Euis", "husband_name": "Dadang", "children": "1", "registered_on": f"{today:%d/%m/%Y}",
            "status": "pil", "place": "swasta", **fields}
    return client.post(reverse("couple_add", args=[RT]), data)


def main_text(response) -> str:
    body = response.content.decode()
    return body[body.index("<main"):]


@pytest.mark.parametrize("typed", ["17.08.1995", "17/8/1995"])
def test_other_day_first_dates_are_taken(client, personas, typed):
    assert add(login(client, personas), wife_birth_date=typed).status_code == 302
    assert Couple.objects.get().wife_birth_date == datetime.date(1995, 8, 17)


@pytest.mark.parametrize("typed", ["12/25/1990", "17/08/95", "17 08 1995", "1995-17-08"])
def test_american_and_two_digit_year_dates_are_refused_saying_how_to_write_one(client, personas, typed):
    response = add(login(client, personas), wife_birth_date=typed)
    assert response.status_code == 200
    assert ("Tanggal lahir istri: bukan tanggal yang benar. Tulis hari/bulan/tahun, mis. 17/08/1995."
            in response.content.decode())
    assert Couple.objects.count() == 0


def test_a_nonsense_date_on_the_status_page_names_its_field(client, personas, tree):
    couple = make_couple(RT)
    response = login(client, personas).post(reverse("couple_status", args=[couple.pk]),
                                            {"status": "pil", "place": "swasta", "since": "kemarin"})
    assert response.status_code == 200
    assert "Sejak tanggal: bukan tanggal yang benar." in response.content.decode()


def test_the_add_form_puts_the_date_and_the_age_in_one_box(client, personas, tree):
    body = main_text(login(client, personas).get(reverse("couple_add", args=[RT])))
    box = body[body.index('class="birth-or-age'):body.index("</fieldset>")]
    assert 'name="wife_birth_date"' in box and 'name="wife_age"' in box
    assert 'placeholder="hh/bb/tttt"' in box and 'inputmode="numeric"' in box
    assert "Isi salah satu. Bila keduanya diisi, tanggal lahir yang dipakai." in box


def test_an_estimated_age_shows_as_an_estimate_in_the_list_and_hides_the_date(client, personas, tree):
    kader = login(client, personas)
    assert add(kader, wife_age="38").status_code == 302
    couple = Couple.objects.get()
    assert couple.wife_birth_date == estimated_birth_date(38, timezone.localdate())
    assert "± 38 tahun (perkiraan) · 1 anak" in main_text(kader.get(reverse("register", args=[RT])))
    detail = main_text(kader.get(reverse("couple_detail", args=[couple.pk])))
    assert "Tanggal lahir istri" not in detail  # an estimate is not a birth date


def test_saving_an_estimated_couple_unchanged_keeps_its_estimate(client, personas, tree):
    kader = login(client, personas)
    add(kader, wife_age="30")
    couple = Couple.objects.get()
    couple.wife_birth_date -= datetime.timedelta(days=20)  # estimated some weeks ago: still 30
    couple.save()
    data = {"wife_name": "Euis Rahayu", "husband_name": "Dadang", "children": "1", "wife_age": "30",
            "registered_on": f"{couple.registered_on:%d/%m/%Y}"}
    assert kader.post(reverse("couple_edit", args=[couple.pk]), data).status_code == 302
    stored = Couple.objects.get()
    assert (stored.wife_name, stored.wife_birth_date, stored.wife_birth_date_estimated) == (
        "Euis Rahayu", couple.wife_birth_date, True)


def test_a_pkb_edits_the_age_never_sees_the_birth_date_and_an_unchanged_age_keeps_it(client, personas, tree):
    couple = make_couple(RT, born=datetime.date(1990, 5, 1))
    pkb = login(client, personas, "pkb")
    response = pkb.get(reverse("couple_edit", args=[couple.pk]))
    body = main_text(response)
    assert "wife_birth_date" not in response.context["form"].fields
    assert "1990" not in body
    age = couple.wife_age_on(timezone.localdate())
    data = {"wife_name": "Siti", "husband_name": "Asep", "children": "2", "wife_age": str(age),
            "registered_on": f"{couple.registered_on:%d/%m/%Y}"}
    assert pkb.post(reverse("couple_edit", args=[couple.pk]), data).status_code == 302
    couple.refresh_from_db()
    assert (couple.children, couple.wife_birth_date, couple.wife_birth_date_estimated) == (
        2, datetime.date(1990, 5, 1), False)
    data["wife_age"] = str(age - 2)
    assert pkb.post(reverse("couple_edit", args=[couple.pk]), data).status_code == 302
    couple.refresh_from_db()
    assert (couple.wife_age_on(timezone.localdate()), couple.wife_birth_date_estimated) == (age - 2, True)


def test_an_age_outside_the_pus_ages_is_refused_for_a_pkb_too(client, personas, tree):
    couple = make_couple(RT, born=datetime.date(1990, 5, 1))
    data = {"wife_name": "Siti", "husband_name": "Asep", "children": "1", "wife_age": "50",
            "registered_on": f"{couple.registered_on:%d/%m/%Y}"}
    response = login(client, personas, "pkb").post(reverse("couple_edit", args=[couple.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["wife_age"] == [
        "Umur istri paling banyak 49 tahun (PUS: istri 15–49 tahun)."]


def test_dates_are_shown_with_the_month_written_out(client, personas, tree):
    couple = make_couple(RT, born=datetime.date(1995, 8, 17), since=datetime.date(2020, 1, 15))
    body = main_text(login(client, personas).get(reverse("couple_detail", args=[couple.pk])))
    assert "17 Agustus 1995" in body
    assert "15 Januari 2020" in body


def test_the_reporting_month_is_the_reports_own(client):
    assert reporting_month(timezone.localdate()) == current_period()
    assert reporting_month(datetime.date(2026, 1, 3)) == datetime.date(2025, 12, 1)
    assert reporting_month(datetime.date(2026, 3, 31)) == datetime.date(2026, 2, 1)


def test_the_rt_register_links_to_the_months_report_and_dashboard(client, personas, tree):
    month = reporting_month(timezone.localdate())
    body = main_text(login(client, personas).get(reverse("register", args=[RT])))
    assert f'href="/laporan/{RT}/{month:%Y-%m}/"' in body
    assert f'href="/wilayah/{RT}/{month:%Y-%m}/"' in body


@pytest.fixture
def two_rws(tree):
    """Desa 2001 with RW 001 (RT 001, 002) and RW 002 (RT 001): two RTs named "RT 001"."""
    make_unit(f"{DESA}.002.001", "001")
    today = timezone.localdate()
    for rt, status in ((RT, "pil"), (RT, "iud"), (f"{DESA}.001.002", "iat"), (f"{DESA}.002.001", "implan")):
        make_couple(rt, status, born=years_before(today, 30))


def test_the_desa_register_groups_its_rts_under_their_rw_with_sums(client, personas, two_rws):
    response = login(client, personas, "pkb").get(reverse("register", args=[DESA]))
    groups = response.context["rw_groups"]
    assert [(group["rw"].code, [rt.code for rt, _counts in group["rows"]]) for group in groups] == [
        (f"{DESA}.001", [RT, f"{DESA}.001.002"]), (f"{DESA}.002", [f"{DESA}.002.001"])]
    assert [(g["totals"]["pus"], g["totals"]["pa"], g["totals"]["mkjp"], g["totals"]["unmet_need"])
            for g in groups] == [(3, 2, 1, 1), (1, 1, 1, 0)]
    body = main_text(response)
    rows = re.findall(r'<tbody class="rw-group" data-rw="([\d.]+)">(.*?)</tbody>', body, re.S)
    assert [(rw, re.findall(r'href="/register/([\d.]+)/"', html)) for rw, html in rows] == [
        (f"{DESA}.001", [f"{DESA}.001", RT, f"{DESA}.001.002"]),
        (f"{DESA}.002", [f"{DESA}.002", f"{DESA}.002.001"]),
    ]
    assert "geser ke samping" in body


def test_an_rw_register_lists_its_rts_without_rw_groups(client, personas, two_rws):
    response = login(client, personas, "pkb").get(reverse("register", args=[f"{DESA}.001"]))
    assert response.context["rw_groups"] == []
    assert main_text(response).count('class="unit-row"') == 2


def test_leaving_is_named_berhenti_in_the_history_and_the_page_summarises_it(client, personas, tree):
    couple = make_couple(RT, wife_name="Nining", husband_name="Ujang")
    kader = login(client, personas)
    page = main_text(kader.get(reverse("couple_leave", args=[couple.pk])))
    assert "Nining / Ujang" in page and "Catat berhenti dari register" in page
    today = timezone.localdate()
    response = kader.post(reverse("couple_leave", args=[couple.pk]),
                          {"left_on": f"{today:%d/%m/%Y}", "left_reason": "pindah"})
    assert response.status_code == 302
    detail = main_text(kader.get(reverse("couple_detail", args=[couple.pk])))
    assert "Data diubah: tanggal berhenti dari register, alasan berhenti" in detail
    assert "eluar" not in re.sub(r'(href|action)="[^"]*"', "", detail)
