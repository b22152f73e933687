"""The monthly report on a 360 px phone: the kader fills it from the register and saves a draft,
sends it; the PKB returns it with a comment; the kader fixes and resends it; the PKB verifies it.
The desa's recap counts sent reports only: a draft or a returned report leaves it unchanged."""

import datetime

import pytest
from playwright.sync_api import expect

from cadres.models import Unit
from reports.models import MonthlyReport, ReportStatus
from reports.monthly.workflow import report_save_draft
from tests.register_factories import make_couple
from tests.report_factories import balanced_counts

RT = "32.14.01.2001.001.001"
RECAP = "/wilayah/32.14.01.2001/2020-11/rekap.json"
MESSAGE = ".alert-success[role=alert]"  # the page's message, not the balance line


@pytest.fixture
def register(tree):
    """Three couples on the RT's register at the end of November 2020."""
    make_couple(RT, "pil", "swasta")
    make_couple(RT, "suntik", "pemerintah")
    make_couple(RT, "iat")


@pytest.fixture
def recap(client, personas):
    client.force_login(personas["opd"].user)

    def figures():
        data = client.get(RECAP).json()
        return data["pus"], data["pa"], data["non_users"], data["reports"]["received"]

    return figures


NOTHING = (0, 0, {"hamil": 0, "ias": 0, "iat": 0, "tial": 0}, 0)


@pytest.fixture
def switch(login, live_server, page):
    """Logs in, logging out whoever was in first (the login fixture would click the navbar's
    logout button, the first submit button on the page, when someone is logged in)."""

    def switch_to(user):
        if page.locator(".account-menu").count():
            page.locator(".account-menu summary").click()
            page.get_by_role("button", name="Keluar").click()
            page.wait_for_url(f"{live_server.url}/accounts/login/")
        login(user)
        page.wait_for_url(f"{live_server.url}/")
        return page

    return switch_to


SENT = (4, 2, {"hamil": 1, "ias": 0, "iat": 1, "tial": 0}, 1)
FIXED = (4, 2, {"hamil": 0, "ias": 1, "iat": 1, "tial": 0}, 1)


def kader_fills_saves_and_sends(page, url, recap):
    page.goto(url)
    balance = page.locator("#balance .balance-text")
    expect(page.locator("input[name=pus]")).to_have_value("3")
    expect(balance).to_have_text("seimbang")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Live balance and reasons: one more couple, pregnant, not on the register yet.
    page.fill("input[name=pus]", "4")
    expect(balance).to_have_text("kurang 1")
    expect(page.locator("[data-reason-wrap=pus]")).to_be_visible()
    expect(page.locator("[data-reason-wrap=hamil]")).to_be_hidden()
    page.fill("input[name=hamil]", "1")
    expect(balance).to_have_text("seimbang")
    page.fill("input[name=alasan_pus]", "pasangan baru pindah ke RT")
    page.fill("input[name=alasan_hamil]", "istri pasangan baru sedang hamil")
    # One section at a time: opening PB closes the first section.
    page.click("details[data-section=pb] summary")
    expect(page.locator("details[data-section=pus]")).not_to_have_attribute("open", "")
    expect(page.locator("input[name=pb_pil]")).to_have_value("0")
    page.click("button[value=draft]")
    expect(page.locator(MESSAGE)).to_have_text("Draf disimpan (versi 1).")
    assert recap() == NOTHING
    page.click("button[value=submit]")
    expect(page.locator(".send-summary")).to_be_visible()
    page.get_by_role("button", name="Ya, kirim laporan").click()
    expect(page.locator(MESSAGE)).to_have_text("Laporan dikirim ke PKB/PLKB.")
    expect(page.locator("form.report-form")).to_have_count(0)
    expect(page.locator(".report-status [data-status]")).to_have_text("Dikirim")
    assert recap() == SENT


def pkb_returns_it_with_a_comment(page, queue_url):
    page.goto(queue_url)
    row = page.locator(f'.queue-row[data-rt="{RT}"]')
    expect(row).to_have_attribute("data-status", "submitted")
    expect(row.locator(".flags")).to_contain_text("2 angka diubah dari register")
    row.get_by_role("link", name="Kembalikan").click()
    page.fill("textarea[name=note]", "Hamil sudah dicatat bulan lalu, cek IAS")
    page.get_by_role("button", name="Kembalikan ke kader").click()
    expect(page.locator(MESSAGE)).to_contain_text("dikembalikan ke kader")
    expect(page.locator(f'.queue-row[data-rt="{RT}"]')).to_have_attribute("data-status", "returned")


def kader_fixes_and_resends(page, url):
    page.goto(url)
    balance = page.locator("#balance .balance-text")
    expect(page.locator(".return-comment")).to_contain_text("Hamil sudah dicatat bulan lalu, cek IAS")
    page.fill("input[name=hamil]", "0")
    expect(balance).to_have_text("kurang 1")
    page.fill("input[name=ias]", "1")
    expect(balance).to_have_text("seimbang")
    expect(page.locator("[data-reason-wrap=hamil]")).to_be_hidden()
    page.fill("input[name=alasan_ias]", "ingin anak segera")
    page.click("button[value=submit]")
    expect(page.locator(".send-summary")).to_be_visible()
    page.get_by_role("button", name="Ya, kirim laporan").click()
    expect(page.locator(MESSAGE)).to_have_text("Laporan dikirim ke PKB/PLKB.")


def pkb_verifies_it(page, queue_url):
    page.goto(queue_url)
    page.locator(f'.queue-row[data-rt="{RT}"]').get_by_role("button", name="Verifikasi").click()
    expect(page.locator(f'.queue-row[data-rt="{RT}"]')).to_have_attribute("data-status", "verified")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_report_goes_from_kader_to_pkb_and_back_and_counts_once_sent(personas, switch, live_server, register, recap):
    """The recap counts sent reports (submitted or verified): never a draft, nor a returned one."""
    url = f"{live_server.url}/laporan/{RT}/2020-11/"
    queue_url = f"{live_server.url}/verifikasi/32.14.01.2001/2020-11/"
    kader_fills_saves_and_sends(switch(personas["kader"].user), url, recap)
    pkb_returns_it_with_a_comment(switch(personas["pkb"].user), queue_url)
    assert recap() == NOTHING
    kader_fixes_and_resends(switch(personas["kader"].user), url)
    assert recap() == FIXED
    pkb_verifies_it(switch(personas["pkb"].user), queue_url)
    assert recap() == FIXED


def test_a_refused_save_keeps_the_kaders_input_on_the_page(personas, switch, live_server, register):
    page = switch(personas["kader"].user)
    page.goto(f"{live_server.url}/laporan/{RT}/2020-11/")
    # Meanwhile the PKB saves the same report.
    report_save_draft(rt=Unit.objects.get(code=RT), period=datetime.date(2020, 11, 1),
                      counts=balanced_counts(pus=3, pil_swasta=1, suntik_pemerintah=1, iat=1), corrections={},
                      version=0, by=personas["pkb"].user)
    page.fill("input[name=iat]", "0")
    page.fill("input[name=tial]", "1")
    page.fill("input[name=alasan_iat]", "berubah pikiran")
    page.fill("input[name=alasan_tial]", "tidak ingin anak lagi")
    page.click("button[value=draft]")
    expect(page.locator(".non-field-error")).to_contain_text("sudah diubah oleh pkb")
    expect(page.locator("input[name=tial]")).to_have_value("1")
    expect(page.locator("#balance .balance-text")).to_have_text("seimbang")
    page.click("button[value=draft]")  # a deliberate second save goes through
    expect(page.locator(MESSAGE)).to_have_text("Draf disimpan (versi 2).")


def test_a_stale_draft_saves_is_matched_to_the_register_and_sent_after_the_confirmation(personas, switch,
                                                                                        live_server, tree):
    """The register gained a couple after the draft was saved: the draft still saves, "Samakan
    dengan register" brings the register's numbers, "Kirim laporan" asks with the totals first."""
    before = datetime.date(2020, 8, 1)
    make_couple(RT, "pil", "swasta", since=before)
    make_couple(RT, "iat", since=before)
    report_save_draft(rt=Unit.objects.get(code=RT), period=datetime.date(2020, 11, 1), version=0,
                      by=personas["kader"].user, counts=balanced_counts(pus=2, pil_swasta=1, iat=1), corrections={})
    make_couple(RT, "implan", "pemerintah", since=before)
    page = switch(personas["kader"].user)
    page.goto(f"{live_server.url}/laporan/{RT}/2020-11/")
    expect(page.locator("input[name=pus]")).to_have_value("2")
    page.click("button[value=draft]")
    expect(page.locator(MESSAGE)).to_have_text("Draf disimpan (versi 2).")
    page.get_by_role("button", name="Samakan dengan register").click()
    expect(page.locator("input[name=pus]")).to_have_value("3")
    expect(page.locator("#balance .balance-text")).to_have_text("seimbang")
    expect(page.locator("#balance .balance-where")).to_be_hidden()  # nothing differs any more
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="/tmp/report_stale_360.png", full_page=True)
    page.click("button[value=submit]")
    page.wait_for_url(f"**/laporan/{RT}/2020-11/kirim/")
    expect(page.locator("[data-total=pus]")).to_have_text("3")
    expect(page.locator("[data-total=mkjp]")).to_have_text("1")
    assert MonthlyReport.objects.get().status == ReportStatus.DRAFT
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="/tmp/report_send_360.png", full_page=True)
    page.get_by_role("button", name="Ya, kirim laporan").click()
    expect(page.locator(MESSAGE)).to_have_text("Laporan dikirim ke PKB/PLKB.")
    report = MonthlyReport.objects.get()
    assert (report.status, report.pus, report.implan_pemerintah) == (ReportStatus.SUBMITTED, 3, 1)
