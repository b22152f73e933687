"""The PKB's morning on a 360 px phone: the queue lists what waits (flagged first), a report
verified from its page leads to the next one, a returned one shows its numbers and flags, and
verify-all asks first, leaving flagged reports aside. No page is wider than the phone."""

import os

from playwright.sync_api import expect

from cadres.periods import add_months, current_period, period_str
from reports.models import MonthlyReport, ReportStatus
from tests.report_factories import make_report

RT1, RT2, RT3 = "32.14.01.2001.001.001", "32.14.01.2001.001.002", "32.14.01.2001.002.001"
RT4 = "32.14.01.2001.002.002"
PERIOD = current_period()
MONTH = period_str(PERIOD)
QUEUE = f"/verifikasi/32.14.01.2001/{MONTH}/"
SHOTS = os.environ.get("PKB_SHOTS")  # a folder to keep screenshots of each page in, when asked


def fits_the_phone(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways: {width} px"


def statuses():
    return dict(MonthlyReport.objects.filter(period=PERIOD).values_list("rt_id", "status"))


def test_the_pkb_verifies_returns_and_verifies_the_rest_without_going_back(personas, login, live_server, tree):
    make_report(RT2, add_months(PERIOD, -1), pus=5, ias=5)
    make_report(RT4, add_months(PERIOD, -1), pus=5, ias=5)
    for code, pus in ((RT1, 3), (RT2, 10), (RT3, 4), (RT4, 20)):  # RT2 and RT4 doubled or more: flagged
        make_report(code, PERIOD, status=ReportStatus.SUBMITTED, pus=pus, ias=pus)
    page = login(personas["pkb"].user)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(live_server.url + QUEUE)
    assert page.locator(".waiting-list a").evaluate_all("links => links.map(a => a.dataset.rt)") == [RT2, RT4, RT1, RT3]
    expect(page.locator(".rw-heading")).to_have_count(2)
    fits_the_phone(page, "1-queue")

    page.locator(f'.waiting-list a[data-rt="{RT2}"]').click()
    page.wait_for_url(f"**/laporan/{RT2}/{MONTH}/?then=next")
    fits_the_phone(page, "2-report")
    button = page.get_by_role("button", name="Verifikasi, lalu laporan berikutnya")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_url(f"**/laporan/{RT4}/{MONTH}/")  # the next flagged one, without the queue
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("diverifikasi")

    page.get_by_role("link", name="Kembalikan ke kader").click()
    expect(page.locator(".note-numbers .report-table")).to_be_visible()
    expect(page.locator(".flags")).to_contain_text("PUS berubah")
    fits_the_phone(page, "3-return")
    page.fill("textarea[name=note]", "PUS naik 4 kali lipat? cek register")
    page.get_by_role("button", name="Kembalikan ke kader").click()
    page.wait_for_url(f"**/laporan/{RT1}/{MONTH}/")
    assert MonthlyReport.objects.get(rt_id=RT4, period=PERIOD).return_comment == "PUS naik 4 kali lipat? cek register"

    page.goto(live_server.url + QUEUE)
    page.get_by_role("link", name="Verifikasi sekaligus").click()
    page.wait_for_url(f"**{QUEUE}semua/")
    assert page.locator(".verify-list li").evaluate_all("items => items.map(li => li.dataset.rt)") == [RT1, RT3]
    fits_the_phone(page, "4-verify-all")
    page.get_by_role("button", name="Ya, verifikasi 2 laporan").click()
    page.wait_for_url(f"**{QUEUE}")
    expect(page.locator(".alert-success[role=alert]")).to_have_text("2 laporan diverifikasi.")
    fits_the_phone(page, "5-queue-after")
    assert statuses() == {RT1: "verified", RT2: "verified", RT3: "verified", RT4: "returned"}


def test_the_kabupaten_queue_is_short_and_fits_the_phone(personas, login, live_server, tree):
    make_report(RT1, PERIOD, status=ReportStatus.SUBMITTED, pus=3, ias=3)
    page = login(personas["opd"].user)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/verifikasi/32.14/{MONTH}/")
    expect(page.locator("details.kecamatan-group")).to_have_count(2)
    expect(page.locator(".silent-desa").first).to_contain_text("1 desa belum ada laporan")
    fits_the_phone(page, "6-kabupaten")
