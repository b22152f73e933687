"""The register pages on a 360 px phone: a couple added by the wife's age and one by a date typed
17/08/1995, the desa's RTs under their RW, and every register page narrower than the phone with
every tap target at least 44 px tall."""

import datetime

from django.utils import timezone

from cadres.models import Couple
from cadres.register.forms import estimated_birth_date
from cadres.register.queries import years_before
from tests.factories import make_unit
from tests.register_factories import make_couple

RT = "32.14.01.2001.001.001"
DESA = "32.14.01.2001"

# Visible links, buttons, inputs, selects and summaries in <main> lower than 44 px; a radio or a
# checkbox counts by its label, the thing a thumb taps (a btn-check's input is hidden).
SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    'main a, main button, main input:not([type=hidden]), main select, main summary'))
  .filter(e => e.offsetParent !== null && !e.classList.contains('btn-check'))
  .map(e => (e.type === 'radio' || e.type === 'checkbox') ? (e.labels[0] || e) : e)
  .map(e => [e.tagName, (e.innerText || e.name || '').trim().slice(0, 40), Math.round(e.getBoundingClientRect().height)])
  .filter(([, , height]) => height < 44)"""


def check_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url
    assert page.evaluate(SMALL_TARGETS) == [], page.url


def test_a_kader_adds_one_couple_by_age_and_one_by_a_typed_date(personas, login, live_server):
    today = timezone.localdate()
    page = login(personas["kader"].user)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/register/{RT}/tambah/")
    check_phone(page)
    page.fill("input[name=wife_name]", "Nining")
    page.fill("input[name=wife_age]", "38")
    page.fill("input[name=husband_name]", "Ujang")
    page.select_option("select[name=status]", "iat")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/pasangan/*/")
    assert page.locator(".wife-age").inner_text() == "± 38 tahun (perkiraan)"
    check_phone(page)
    nining = Couple.objects.get(wife_name="Nining")
    assert (nining.wife_birth_date, nining.wife_birth_date_estimated) == (estimated_birth_date(38, today), True)

    page.goto(f"{live_server.url}/register/{RT}/tambah/")
    assert page.locator("input[name=wife_birth_date]").get_attribute("placeholder") == "hh/bb/tttt"
    page.fill("input[name=wife_name]", "Euis")
    page.fill("input[name=wife_birth_date]", "17/08/1995")
    page.fill("input[name=husband_name]", "Dadang")
    page.fill("input[name=children]", "2")
    page.select_option("select[name=status]", "pil")
    page.select_option("select[name=place]", "swasta")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/pasangan/*/")
    assert "17 Agustus 1995" in page.locator(".couple-data").inner_text()
    euis = Couple.objects.get(wife_name="Euis")
    assert (euis.wife_birth_date, euis.wife_birth_date_estimated, euis.children) == (
        datetime.date(1995, 8, 17), False, 2)

    page.goto(f"{live_server.url}/pasangan/{euis.pk}/ubah/")
    assert page.locator("input[name=wife_birth_date]").input_value() == "17/08/1995"
    page.fill("input[name=wife_birth_date]", "31/02/1995")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_selector(".form-error-list")
    assert "Tanggal lahir istri: bukan tanggal yang benar" in page.locator(".form-error-list").inner_text()
    check_phone(page)

    page.goto(f"{live_server.url}/register/{RT}/")
    rows = page.locator(".couple-row")
    assert rows.count() == 2
    assert "± 38 tahun (perkiraan)" in rows.filter(has_text="Nining").inner_text()
    month = page.locator(".register-links a").first
    assert month.inner_text().startswith("Laporan ")
    month.click()
    page.wait_for_url(f"**/laporan/{RT}/*/")


def test_every_register_page_fits_the_phone_with_44_px_targets(personas, login, live_server):
    today = timezone.localdate()
    make_unit(f"{DESA}.002.001", "001")
    couple = make_couple(RT, "implan", wife_name="Siti Nurhalimah binti Abdurrahman", husband_name="Asep",
                         born=years_before(today, 36), children=3)
    make_couple(f"{DESA}.002.001", "tial", wife_name="Euis", born=years_before(today, 30))
    urls = [f"/register/{RT}/", f"/register/{RT}/tambah/", f"/pasangan/{couple.pk}/",
            f"/pasangan/{couple.pk}/ubah/", f"/pasangan/{couple.pk}/status/", f"/pasangan/{couple.pk}/keluar/"]
    page = login(personas["kader"].user)
    page.wait_for_url(f"{live_server.url}/")
    for url in urls:
        page.goto(live_server.url + url)
        check_phone(page)
        assert "Keluar" not in page.locator("main").inner_text(), url
    page.goto(f"{live_server.url}/register/{RT}/")
    page.locator(".register-filters summary").click()
    check_phone(page)  # the filters' checkboxes, open

    page.context.clear_cookies()
    page = login(personas["pkb"].user)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/register/{DESA}/")
    check_phone(page)
    groups = page.locator(".register-units tbody.rw-group")
    assert groups.count() == 2
    assert [groups.nth(i).locator("tr").count() for i in range(2)] == [3, 2]  # RW row + its RTs
    assert groups.nth(1).locator(".rw-row td").first.inner_text() == "1"
    groups.nth(1).locator(".unit-row a").click()
    page.wait_for_url(f"**/register/{DESA}.002.001/")
    assert page.locator(".couple-row").count() == 1
    check_phone(page)


def test_the_add_form_asks_one_question_about_before_the_register_by_the_status(personas, login, live_server):
    page = login(personas["kader"].user)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/register/{RT}/tambah/")
    first_use, ever_used = page.locator("#div_id_first_use"), page.locator("#div_id_ever_used")
    assert first_use.is_visible() and not ever_used.is_visible()  # no status chosen yet
    page.select_option("select[name=status]", "iat")
    assert ever_used.is_visible() and not first_use.is_visible()
    page.select_option("select[name=status]", "implan")
    assert first_use.is_visible() and not ever_used.is_visible()
    assert page.locator("input[name=first_use][value=lama]").is_checked()  # the default: a continuing user
    page.fill("input[name=wife_name]", "Rina")
    page.fill("input[name=wife_age]", "31")
    page.fill("input[name=husband_name]", "Dedi")
    page.select_option("select[name=place]", "pemerintah")
    page.get_by_label("Baru pertama kali ber-KB (peserta baru)").check()
    check_phone(page)
    page.screenshot(path="/tmp/couple_add_360.png", full_page=True)
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/pasangan/*/")
    assert page.locator(".current-status [data-kind=pb]").inner_text() == "PB"
    assert page.locator(".before-register").inner_text() == "Baru pertama kali ber-KB (peserta baru)"
    check_phone(page)
    page.screenshot(path="/tmp/couple_detail_360.png", full_page=True)
    rina = Couple.objects.get(wife_name="Rina")
    assert [(row.status, row.kind) for row in rina.statuses.all()] == [("implan", "pb")]


def test_a_kader_opens_her_follow_up_list_and_records_a_repeat_injection(personas, login, live_server):
    today = timezone.localdate()
    late = make_couple(RT, "suntik", since=today - datetime.timedelta(days=100), wife_name="Ani")
    make_couple(RT, "implan", since=today - datetime.timedelta(days=100), wife_name="Bela")
    page = login(personas["kader"].user)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Tindak lanjut: siapa dikunjungi").click()
    page.wait_for_url(f"**/tindak-lanjut/{RT}/")
    row = page.locator(f"[data-section=ulang] [data-couple='{late.pk}']")
    assert "terlambat" in row.inner_text() and "Bela" not in page.locator("[data-section=ulang]").inner_text()
    check_phone(page)
    page.screenshot(path="/tmp/follow_ups_360.png", full_page=True)
    row.get_by_role("button", name="Ulang hari ini").click()
    page.wait_for_url("**/tindak-lanjut/*/?dicatat=*")
    assert "layanan ulang dicatat" in page.locator(".alert-success").first.inner_text()
    assert page.locator(f"[data-section=ulang] [data-couple='{late.pk}']").count() == 0  # not due for 3 months
    check_phone(page)
    page.get_by_role("button", name="Batalkan").click()
    page.wait_for_url(f"**/tindak-lanjut/{RT}/")
    assert page.locator(f"[data-section=ulang] [data-couple='{late.pk}']").count() == 1
    assert not late.services.exists()


def test_a_kader_counsels_a_prospect_and_says_why_she_hesitates(personas, login, live_server):
    today = timezone.localdate()
    prospect = make_couple(RT, "suntik", since=today - datetime.timedelta(days=400), children=3, wife_name="Rina")
    page = login(personas["kader"].user)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/prospek/{RT}/")
    assert page.locator("[data-stage=prospects]").inner_text() == "1"
    check_phone(page)
    page.locator(f"[data-couple='{prospect.pk}']").get_by_role("link", name="Catat konseling").click()
    page.wait_for_url(f"**/pasangan/{prospect.pk}/konseling/**")
    page.get_by_text("Belum memutuskan", exact=True).click()
    page.get_by_text("Takut (rasa sakit, pemasangan)", exact=True).click()
    page.get_by_text("Puskesmas", exact=True).click()
    check_phone(page)
    page.screenshot(path="/tmp/counselling_360.png", full_page=True)
    page.get_by_role("button", name="Simpan konseling").click()
    page.wait_for_url(f"**/prospek/{RT}/")
    assert page.locator("[data-stage=counselled]").inner_text() == "1"
    assert page.locator("[data-stage=referred]").inner_text() == "1"
    assert "Takut (rasa sakit, pemasangan): 1" in page.locator(".funnel-reasons").inner_text()
    check_phone(page)
    page.screenshot(path="/tmp/prospects_360.png", full_page=True)
