"""The cadre's register on a 360 px phone: the list, adding a couple, a status in two taps."""

import datetime

from django.utils import timezone

from cadres.models import Couple
from cadres.register.queries import years_before
from tests.register_factories import make_couple

RT = "32.14.01.2001.001.001"


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def count(page, key):
    return page.locator(f"[data-count={key}]").inner_text()


def test_a_kader_adds_a_couple_and_changes_its_status_in_two_taps(personas, login, live_server):
    today = timezone.localdate()
    make_couple(RT, "implan", wife_name="Siti Nurhalimah binti Abdurrahman", husband_name="Asep Saepudin",
                born=years_before(today, 36), children=3, since=today - datetime.timedelta(days=90))
    page = login(personas["kader"].user)
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/register/{RT}/")
    assert (count(page, "pus"), count(page, "pa"), count(page, "unmet_need")) == ("1", "1", "0")
    assert fits_the_phone(page)

    page.click("text=Tambah pasangan")
    page.wait_for_url(f"**/register/{RT}/tambah/")
    assert fits_the_phone(page)
    page.fill("input[name=wife_name]", "Nining")
    page.fill("input[name=wife_birth_date]", "1996-03-14")
    page.fill("input[name=husband_name]", "Ujang")
    page.fill("input[name=children]", "1")
    page.fill("input[name=registered_on]", (today - datetime.timedelta(days=30)).isoformat())
    page.select_option("select[name=status]", "iat")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/pasangan/*/")
    assert "Nining / Ujang ditambahkan ke register." in page.locator(".alert-success").inner_text()
    assert fits_the_phone(page)

    page.goto(f"{live_server.url}/register/{RT}/")
    assert (count(page, "pus"), count(page, "pa"), count(page, "unmet_need")) == ("2", "1", "1")

    couple = Couple.objects.get(wife_name="Nining")
    page.locator(f"a[href^='/pasangan/{couple.pk}/status/']").click()
    page.wait_for_url(f"**/pasangan/{couple.pk}/status/**")
    assert fits_the_phone(page)
    page.get_by_text("Suntik", exact=True).click()  # tap 1: the status (the place is pre-filled)
    page.get_by_role("button", name="Simpan status").click()  # tap 2: confirm
    page.wait_for_url(f"**/register/{RT}/")
    assert "Peserta KB baru (PB)" in page.locator(".alert-success").inner_text()
    assert (count(page, "pus"), count(page, "pa"), count(page, "unmet_need")) == ("2", "2", "0")
    assert page.locator("[data-count=mkjp] + .count-note").inner_text() == "50,00% dari PA"
    assert fits_the_phone(page)

    row = couple.statuses.order_by("since").last()
    assert (row.status, row.place, row.since, row.is_pb) == ("suntik", "pemerintah", today, True)


def test_bad_input_shows_messages_and_the_filters_fit_the_phone(personas, login, live_server):
    page = login(personas["kader"].user)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/register/{RT}/tambah/")
    page.fill("input[name=wife_name]", "Nining")
    page.fill("input[name=husband_name]", "Ujang")
    page.select_option("select[name=status]", "pil")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_selector(".form-error-list")
    errors = page.locator(".form-error-list").inner_text()
    assert "Tanggal lahir istri: Isi tanggal lahir istri, atau umurnya bila tanggalnya tidak diketahui." in errors
    assert "Tempat pelayanan: Tempat pelayanan wajib diisi untuk metode KB." in errors
    assert fits_the_phone(page)

    page.goto(f"{live_server.url}/register/32.14.01.2001.001.001/")
    page.locator(".register-filters summary").click()
    page.check("input[name=left]")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url("**left=on**")
    assert page.locator(".register-filters input[name=left]").is_checked()
    assert fits_the_phone(page)


def test_a_ppkbd_level_user_sees_the_rts_of_a_desa_on_the_phone(personas, login, live_server):
    today = timezone.localdate()
    make_couple(RT, "pil", wife_name="Ani", born=years_before(today, 30))
    make_couple("32.14.01.2001.001.002", "tial", wife_name="Euis", born=years_before(today, 30))
    page = login(personas["pkb"].user)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/register/32.14.01.2001/")
    assert (count(page, "pus"), count(page, "pa"), count(page, "unmet_need")) == ("2", "1", "1")
    assert page.locator(".register-units tr.unit-row").count() == 2
    assert page.locator(".couple-row").count() == 2
    assert fits_the_phone(page)
    page.locator(".register-units .unit-row a").first.click()
    page.wait_for_url(f"**/register/{RT}/")
    assert page.locator(".couple-row").count() == 1
