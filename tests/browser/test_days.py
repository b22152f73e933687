"""Each role's day on a 360 px phone: the kader's stale draft saves, "Samakan dengan register" fixes
it, sending asks first and then locks; a returned report shows on her home; the PKB verifies one
report after another without going back to the queue."""

import datetime

import pytest
from playwright.sync_api import expect

from cadres.models import Unit
from cadres.periods import current_period, period_str
from reports.models import MonthlyReport, ReportStatus
from reports.monthly.workflow import report_return, report_save_draft, report_submit
from tests.register_factories import make_couple
from tests.report_factories import balanced_counts, make_report

RT, RT2 = "32.14.01.2001.001.001", "32.14.01.2001.001.002"
PERIOD = current_period()
MONTH = period_str(PERIOD)
MESSAGE = ".alert-success[role=alert]"


def fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways: {width} px"


@pytest.fixture
def stale_draft(tree, personas):
    """A draft saved from a register of 2 couples; a third couple was added to the register since."""
    before = PERIOD - datetime.timedelta(days=100)
    make_couple(RT, "pil", "swasta", since=before)
    make_couple(RT, "iat", since=before)
    report_save_draft(rt=Unit.objects.get(code=RT), period=PERIOD, version=0, by=personas["kader"].user,
                      counts=balanced_counts(pus=2, pil_swasta=1, iat=1), corrections={})
    make_couple(RT, "implan", "pemerintah", since=before)


def test_the_kaders_stale_draft_saves_samakan_fixes_it_and_sending_asks_first(personas, login, live_server,
                                                                               stale_draft):
    page = login(personas["kader"].user)
    page.wait_for_url(f"{live_server.url}/")
    task = page.locator(".task-card")
    expect(task).to_have_attribute("data-status", "draft")
    fits_the_phone(page)
    task.get_by_role("link", name="Lanjutkan draf").click()
    page.wait_for_url(f"**/laporan/{RT}/{MONTH}/")

    # The register now has 3 couples: the draft's 2 differ, and the draft still saves.
    expect(page.locator("input[name=pus]")).to_have_value("2")
    page.click("details[data-section=pa] summary")
    page.fill("input[name=pil_swasta]", "2")
    expect(page.locator("#balance .balance-text")).to_have_text("lebih 1")
    page.fill("input[name=pil_swasta]", "3")
    expect(page.locator("#balance .balance-text")).to_have_text("lebih 2")
    expect(page.locator("#balance .balance-where")).to_contain_text("PUS 2 (register 3)")
    page.click("button[value=draft]")
    expect(page.locator(MESSAGE)).to_have_text("Draf disimpan (versi 2).")
    assert MonthlyReport.objects.get().pil_swasta == 3
    fits_the_phone(page)

    page.get_by_role("button", name="Samakan dengan register").click()
    expect(page.locator(".synced")).to_be_visible()
    expect(page.locator("input[name=pus]")).to_have_value("3")
    expect(page.locator("input[name=implan_pemerintah]")).to_have_value("1")
    expect(page.locator("#balance .balance-text")).to_have_text("seimbang")
    assert MonthlyReport.objects.get().pus == 2  # nothing saved yet

    page.click("button[value=submit]")
    page.wait_for_url(f"**/laporan/{RT}/{MONTH}/kirim/")
    expect(page.locator("[data-total=pus]")).to_have_text("3")
    expect(page.locator("[data-total=mkjp]")).to_have_text("1")
    assert MonthlyReport.objects.get().status == ReportStatus.DRAFT  # asked, not yet sent
    fits_the_phone(page)
    page.get_by_role("button", name="Ya, kirim laporan").click()
    expect(page.locator(MESSAGE)).to_have_text("Laporan dikirim ke PKB/PLKB.")
    expect(page.locator("form.report-form")).to_have_count(0)
    report = MonthlyReport.objects.get()
    assert (report.status, report.pus, report.implan_pemerintah) == (ReportStatus.SUBMITTED, 3, 1)


def test_a_returned_report_shows_on_the_kaders_home(personas, login, live_server, tree):
    report = report_submit(rt=Unit.objects.get(code=RT), period=PERIOD, counts=balanced_counts(pus=2, ias=2),
                           corrections={}, version=0, by=personas["kader"].user)
    report_return(report=report, comment="IAS dua? tolong cek", by=personas["pkb"].user)
    page = login(personas["kader"].user)
    page.wait_for_url(f"{live_server.url}/")
    task = page.locator(".task-card")
    expect(task).to_have_attribute("data-status", "returned")
    expect(task.locator(".return-comment")).to_contain_text("IAS dua? tolong cek")
    fits_the_phone(page)
    task.get_by_role("link", name="Perbaiki laporan").click()
    expect(page.locator(".return-comment")).to_contain_text("IAS dua? tolong cek")


def test_the_pkb_verifies_the_next_report_without_going_back(personas, login, live_server, tree):
    for code in (RT, RT2):
        make_report(code, PERIOD, status=ReportStatus.SUBMITTED, pus=3, ias=3)
    page = login(personas["pkb"].user)
    page.wait_for_url(f"{live_server.url}/")
    waiting = page.locator(".waiting [data-unit='32.14.01.2001']")
    expect(waiting).to_have_attribute("data-waiting", "2")
    fits_the_phone(page)
    waiting.click()
    page.locator(f'.queue-row[data-rt="{RT}"]').get_by_role("link", name="RT").first.click()
    page.wait_for_url(f"**/laporan/{RT}/{MONTH}/")
    page.get_by_role("button", name="Verifikasi, lalu laporan berikutnya").click()
    page.wait_for_url(f"**/laporan/{RT2}/{MONTH}/")
    expect(page.locator(MESSAGE)).to_contain_text("diverifikasi")
    fits_the_phone(page)
    page.get_by_role("link", name="Kembalikan ke kader").click()
    page.fill("textarea[name=note]", "PUS turun? cek register")
    page.get_by_role("button", name="Kembalikan ke kader").click()
    page.wait_for_url(f"**/verifikasi/32.14.01.2001/{MONTH}/")
    expect(page.locator(".alert-info[role=alert]")).to_have_text("Semua laporan yang dikirim sudah diperiksa.")
    assert dict(MonthlyReport.objects.values_list("rt_id", "status")) == {RT: "verified", RT2: "returned"}
