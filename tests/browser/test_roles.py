"""Each role's main path in headless Chromium, on a 360 px phone (the Django admin, desktop-only,
on a desktop): the kader keeps the register and sends the month's report, the PKB verifies and
returns reports, the OPD drills down and downloads the recap and closes the month, the admin sets
up wilayah and looks up cadres and downloads of personal data.

Every page a phone user sees must not scroll sideways.
"""

import datetime
import io

import openpyxl
import pytest
from playwright.sync_api import expect

from cadres.models import Cadre, Couple, ExportLog, Institution, Unit
from cadres.periods import current_period, period_label, period_str
from reports.models import ClosedPeriod, MonthlyReport, ReportStatus
from tests.register_factories import make_couple
from tests.report_factories import make_report

RT = "32.14.01.2001.001.001"
RT2 = "32.14.01.2001.001.002"
MESSAGE = ".alert-success[role=alert]"
DESKTOP = {"width": 1280, "height": 800}
PERIOD = current_period()  # the month being reported now: the previous calendar month
MONTH = period_str(PERIOD)


def fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways: {width} px"


def names(**units):
    for code, name in units.items():
        Unit.objects.filter(code=code).update(name=name)


@pytest.fixture
def village(tree):
    """Real-looking names for the tree of `tests/conftest.py`."""
    names(**{"32.14": "Purwakarta", "32.14.01": "Purwakarta", "32.14.02": "Campaka",
             "32.14.01.2001": "Ciseureuh", "32.14.01.2001.001": "RW 001", RT: "RT 001", RT2: "RT 002"})


def in_month(day):
    return PERIOD.replace(day=day)


def test_a_kader_keeps_the_register_and_sends_the_months_report(personas, login, live_server, village):
    before = PERIOD - datetime.timedelta(days=200)
    make_couple(RT, "pil", "swasta", since=before, wife_name="Siti", husband_name="Asep")
    iat = make_couple(RT, "iat", since=before, wife_name="Neneng", husband_name="Ujang")
    page = login(personas["kader"].user)
    page.wait_for_url(f"{live_server.url}/")

    # Home: their RT, with its register and its report of the month.
    unit = page.locator(".task-card")
    expect(unit).to_have_count(1)
    expect(unit).to_contain_text("RT 001")
    expect(unit).to_contain_text(RT)
    fits_the_phone(page)

    unit.get_by_role("link", name="Register PUS (2)").click()
    page.wait_for_url(f"**/register/{RT}/")
    expect(page.locator("[data-count=pus]")).to_have_text("2")
    expect(page.locator(".couple-list")).to_contain_text("Siti")
    fits_the_phone(page)

    # A new couple, on the register since the first of the month, using injections for the first time.
    page.get_by_role("link", name="Tambah pasangan").click()
    page.wait_for_url(f"**/register/{RT}/tambah/")
    page.fill("input[name=wife_name]", "Euis Komariah")
    page.fill("input[name=wife_birth_date]", "1995-08-17")
    page.fill("input[name=husband_name]", "Dadang")
    page.fill("input[name=children]", "1")
    page.fill("input[name=registered_on]", in_month(1).isoformat())
    page.select_option("select[name=status]", "suntik")
    page.select_option("select[name=place]", "pemerintah")
    page.get_by_label("Baru pertama kali ber-KB (peserta baru)").check()  # not a continuing user
    fits_the_phone(page)
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/pasangan/*/")
    expect(page.locator(MESSAGE)).to_have_text("Euis Komariah / Dadang ditambahkan ke register.")
    fits_the_phone(page)

    # Neneng, who wanted to wait, gets an implant on the 10th.
    page.goto(f"{live_server.url}/register/{RT}/")
    expect(page.locator("[data-count=pus]")).to_have_text("3")
    page.locator(f"a[href^='/pasangan/{iat.pk}/status/']").click()
    page.wait_for_url(f"**/pasangan/{iat.pk}/status/**")
    page.get_by_text("Implan", exact=True).click()
    page.fill("input[name=since]", in_month(10).isoformat())
    fits_the_phone(page)
    page.get_by_role("button", name="Simpan status").click()
    page.wait_for_url(f"**/register/{RT}/")
    expect(page.locator(MESSAGE)).to_contain_text("Peserta KB baru (PB)")
    expect(page.locator("[data-count=pa]")).to_have_text("3")
    expect(page.locator("[data-count=unmet_need]")).to_have_text("0")

    # The month's report, filled from the register: 3 PUS, all using a method, 2 new users.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Isi laporan").click()
    page.wait_for_url(f"**/laporan/{RT}/{MONTH}/")
    expect(page.locator("h1")).to_contain_text("RT 001")
    expect(page.locator("body")).to_contain_text(period_label(PERIOD))
    prefilled = {"pus": "3", "pil_swasta": "1", "suntik_pemerintah": "1", "implan_pemerintah": "1", "iat": "0",
                 "pb_suntik": "1", "pb_implan": "1", "pb_pil": "0"}
    for name, value in prefilled.items():
        expect(page.locator(f"input[name={name}]")).to_have_value(value)
    expect(page.locator("#balance .balance-text")).to_have_text("seimbang")
    fits_the_phone(page)

    page.click("button[value=draft]")
    expect(page.locator(MESSAGE)).to_have_text("Draf disimpan (versi 1).")
    expect(page.locator(".report-status [data-status]")).to_have_text("Draf")
    page.click("button[value=submit]")
    expect(page.locator(".send-summary")).to_be_visible()
    page.get_by_role("button", name="Ya, kirim laporan").click()
    expect(page.locator(MESSAGE)).to_have_text("Laporan dikirim ke PKB/PLKB.")

    # Sent: locked, read-only, its numbers on the page.
    expect(page.locator(".report-status [data-status]")).to_have_text("Dikirim")
    expect(page.locator("form.report-form")).to_have_count(0)
    expect(page.locator("input[name=pus]")).to_have_count(0)
    fits_the_phone(page)
    report = MonthlyReport.objects.get(rt_id=RT, period=PERIOD)
    assert (report.status, report.pus, report.implan_pemerintah, report.pb_suntik) == ("submitted", 3, 1, 1)


def test_a_pkb_verifies_one_report_returns_another_and_sees_the_verified_numbers(
        personas, login, live_server, village):
    make_report(RT, PERIOD, status=ReportStatus.SUBMITTED, pus=10, pil_pemerintah=6, iud_swasta=2, hamil=2)
    make_report(RT2, PERIOD, status=ReportStatus.SUBMITTED, pus=5, suntik_swasta=3, tial=2)
    page = login(personas["pkb"].user)
    page.wait_for_url(f"{live_server.url}/")

    desa = page.locator(".coverage").filter(has_text="Ciseureuh")
    expect(page.locator(".coverage")).to_have_count(2)
    fits_the_phone(page)
    desa.get_by_role("link", name="Dasbor").click()
    page.wait_for_url(f"**/wilayah/32.14.01.2001/{MONTH}/")
    expect(page.locator("[data-kpi=pus]")).to_have_text("15")
    fits_the_phone(page)

    page.goto(f"{live_server.url}/")
    desa.get_by_role("link", name="Verifikasi").click()
    page.wait_for_url(f"**/verifikasi/32.14.01.2001/{MONTH}/")
    expect(page.locator(".queue-row[data-status=submitted]")).to_have_count(2)
    fits_the_phone(page)

    page.locator(f'.queue-row[data-rt="{RT}"]').get_by_role("button", name="Verifikasi").click()
    expect(page.locator(MESSAGE)).to_have_text("Laporan RT 001 diverifikasi.")
    expect(page.locator(f'.queue-row[data-rt="{RT}"]')).to_have_attribute("data-status", "verified")

    page.locator(f'.queue-row[data-rt="{RT2}"]').get_by_role("link", name="Kembalikan").click()
    page.wait_for_url(f"**/laporan/{RT2}/{MONTH}/kembalikan/**")
    fits_the_phone(page)
    page.fill("textarea[name=note]", "TIAL 2 tetapi bulan lalu 0: mohon dicek")
    page.get_by_role("button", name="Kembalikan ke kader").click()
    expect(page.locator(MESSAGE)).to_contain_text("dikembalikan ke kader")
    returned = page.locator(f'.queue-row[data-rt="{RT2}"]')
    expect(returned).to_have_attribute("data-status", "returned")
    expect(returned.locator(".return-comment")).to_contain_text("TIAL 2 tetapi bulan lalu 0")
    fits_the_phone(page)

    # The dashboard counts the verified report only: 10 PUS, 8 PA (2 of them IUD).
    page.goto(f"{live_server.url}/wilayah/32.14.01.2001/{MONTH}/")
    expect(page.locator("[data-kpi=pus]")).to_have_text("10")
    expect(page.locator("[data-kpi=pa]")).to_have_text("8")
    expect(page.locator("[data-kpi=cpr]")).to_have_text("80,00%")
    expect(page.locator("[data-kpi=mkjp]")).to_have_text("25,00%")
    fits_the_phone(page)


def test_an_opd_drills_down_downloads_the_recap_and_closes_the_month(personas, login, live_server, village):
    make_report(RT, PERIOD, pus=10, pil_pemerintah=6, iud_swasta=2, hamil=2)
    make_report("32.14.02.2001.001.001", PERIOD, pus=20, implan_pemerintah=5, suntik_swasta=10, iat=5)
    page = login(personas["opd"].user)
    page.wait_for_url(f"{live_server.url}/")
    fits_the_phone(page)

    page.get_by_role("link", name="Dasbor").click()
    page.wait_for_url(f"**/wilayah/32.14/{MONTH}/")
    expect(page.locator("h1")).to_contain_text("Purwakarta")
    expect(page.locator("[data-kpi=pus]")).to_have_text("30")
    expect(page.locator(".children-table tbody tr")).to_have_count(2)
    fits_the_phone(page)

    page.locator(".children-table").get_by_role("link", name="Campaka").click()
    page.wait_for_url(f"**/wilayah/32.14.02/{MONTH}/")
    expect(page.locator("h1")).to_contain_text("Campaka")
    expect(page.locator("[data-kpi=pus]")).to_have_text("20")
    expect(page.locator("[data-kpi=pa]")).to_have_text("15")
    expect(page.locator("[data-kpi=mkjp]")).to_have_text("33,33%")
    fits_the_phone(page)

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Unduh PDF").click()
    assert pdf.value.suggested_filename == f"rekap-32.14.02-{MONTH}.pdf"
    assert open(pdf.value.path(), "rb").read(5) == b"%PDF-"

    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Unduh Excel").click()
    assert xlsx.value.suggested_filename == f"rekap-32.14.02-{MONTH}.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(open(xlsx.value.path(), "rb").read()))
    cells = [cell for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row]
    assert any("Campaka" in str(cell) for cell in cells) and 20 in cells

    # Closing the month, from home: the summary first, then a confirmation page repeating it.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Tutup periode").click()
    expect(page.locator(".period-open")).to_contain_text("masih terbuka")
    expect(page.locator(".closing-summary [data-figure=expected]")).to_have_text("4")
    fits_the_phone(page)
    page.locator("main").get_by_role("link", name="Tutup periode").click()
    expect(page.locator(".closing-confirm")).to_contain_text("laporan belum masuk")
    assert not ClosedPeriod.objects.exists()
    page.get_by_role("button", name="Ya, tutup").click()
    expect(page.locator(MESSAGE)).to_have_text(f"Periode {period_label(PERIOD)} ditutup.")
    expect(page.get_by_role("link", name="Buka lagi periode ini")).to_be_visible()
    fits_the_phone(page)
    assert list(ClosedPeriod.objects.values_list("unit_id", "period")) == [("32.14", PERIOD)]


def test_an_admin_adds_an_rt_searches_cadres_and_reads_the_export_log(personas, login, live_server, village):
    ppkbd = Institution.objects.create(unit_id="32.14.01.2001", kind="ppkbd", name="Mawar")
    Cadre.objects.create(institution=ppkbd, name="Euis Sumiati", phone="081234567890", position="ketua")
    Cadre.objects.create(institution=ppkbd, name="Imas Masitoh", phone="085712345678", position="anggota")
    ExportLog.objects.create(user=personas["pkb"].user, kind="register_xlsx", unit_code="32.14.01.2001", rows=12)
    page = login(personas["admin"].user)
    page.wait_for_url(f"{live_server.url}/")
    fits_the_phone(page)

    page.set_viewport_size(DESKTOP)  # the Django admin is made for a desktop
    page.locator(".account-menu summary").click()
    page.get_by_role("link", name="Admin").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.locator("body")).to_contain_text("Pengaturan wilayah, IMP, kader dan akun")

    page.locator("tr.model-unit").get_by_role("link", name="Tambah").click()
    page.wait_for_url("**/admin/cadres/unit/add/")
    page.fill("input[name=code]", "32.14.01.2001.001.003")
    page.fill("input[name=name]", "RT 003")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/cadres/unit/")
    expect(page.locator(".messagelist .success")).to_contain_text("berhasil ditambahkan")
    assert Unit.objects.get(code="32.14.01.2001.001.003").parent_id == "32.14.01.2001.001"

    page.goto(f"{live_server.url}/admin/")
    page.locator("tr.model-cadre").get_by_role("link", name="Kader").click()
    page.fill("#searchbar", "Euis")
    page.press("#searchbar", "Enter")
    page.wait_for_url("**/admin/cadres/cadre/?q=Euis")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("Euis Sumiati")

    page.goto(f"{live_server.url}/admin/")
    page.locator("tr.model-exportlog").get_by_role("link").first.click()
    page.wait_for_url("**/admin/cadres/exportlog/")
    row = page.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("pkb")
    expect(row).to_contain_text("32.14.01.2001")
    expect(row).to_contain_text("12")
    assert Couple.objects.count() == 0  # nothing else was touched
