"""The OPD's day on a 360 px phone, on the demo kabupaten (Purwakarta, 17 kecamatan): the PPM
targets, a campaign created and deleted, the kabupaten dashboard, and closing the month after
its summary. No page scrolls sideways.

With OPD_SHOTS=<folder> the pages are also saved there as PNG, for a person to look at.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cadres.models import Unit
from cadres.periods import current_period, period_label, period_str
from reports.demo.wilayah import DEMO_PASSWORD
from reports.models import Campaign, ClosedPeriod, MonthlyReport

YEAR = current_period().year
MONTH = period_str(current_period())


@pytest.fixture
def opd(live_server, page):
    call_command("seed_demo", stdout=io.StringIO())
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "opd")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def fits(page, name):
    """No sideways scroll at 360 px; saved for a look when OPD_SHOTS is set."""
    assert page.viewport_size["width"] == 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    if os.environ.get("OPD_SHOTS"):
        page.screenshot(path=Path(os.environ["OPD_SHOTS"]) / f"{name}.png", full_page=True)


def test_the_target_page_fits_and_shows_five_digits(opd, live_server):
    opd.goto(f"{live_server.url}/target/32.14/{YEAR}/")
    fits(opd, "targets")
    first = opd.locator("input[type=number]").first
    first.fill("39400")
    assert first.evaluate("el => el.scrollWidth <= el.clientWidth")  # all five digits visible
    assert first.bounding_box()["height"] >= 44
    assert opd.locator("fieldset.target-row").count() == 18  # the kabupaten and its 17 kecamatan


def test_the_opd_creates_and_deletes_a_campaign(opd, live_server):
    opd.goto(f"{live_server.url}/kampanye/32.14/")
    fits(opd, "campaigns")
    opd.get_by_role("link", name="Kampanye baru").click()
    fits(opd, "campaign-new")
    opd.get_by_label("Nama kampanye").fill("Bulan MKJP")
    opd.get_by_label("Mulai").fill(f"{YEAR}-01-01")
    opd.get_by_label("Selesai").fill(f"{YEAR}-01-31")
    opd.get_by_label("Target Implan").fill("12345")
    opd.get_by_role("button", name="Simpan kampanye").click()
    expect(opd.locator(".alert-success")).to_contain_text("Kampanye Bulan MKJP disimpan.")
    card = opd.locator("article.campaign", has_text="Bulan MKJP")
    expect(card).to_contain_text("Target 12.345 akseptor")
    fits(opd, "campaigns-with-one")
    card.get_by_role("link", name="Hapus").click()
    expect(opd.locator("h1")).to_have_text("Hapus kampanye?")
    assert Campaign.objects.filter(name="Bulan MKJP").exists()
    fits(opd, "campaign-delete")
    opd.get_by_role("button", name="Ya, hapus kampanye Bulan MKJP").click()
    expect(opd.locator(".alert-success")).to_contain_text("Kampanye Bulan MKJP dihapus.")
    assert not Campaign.objects.filter(name="Bulan MKJP").exists()


def test_the_kabupaten_dashboard_fits(opd, live_server):
    opd.goto(f"{live_server.url}/wilayah/32.14/{MONTH}/")
    expect(opd.locator(".children-table tbody tr")).to_have_count(17)
    expect(opd.locator(".scroll-cue").first).to_be_visible()
    expect(opd.locator(".coverage-line")).to_contain_text("diverifikasi")
    fits(opd, "dashboard-kabupaten")


def test_the_opd_closes_the_month_after_its_summary(opd, live_server):
    opd.goto(f"{live_server.url}/periode/32.14/{MONTH}/tutup/")
    expected = int(opd.locator(".closing-summary [data-figure=expected]").inner_text().replace(".", ""))
    assert expected > 0
    with_rts = {rt[:8] for rt in Unit.objects.subtree("32.14").at_level("rt").values_list("code", flat=True)}
    expect(opd.locator(".closing-children li")).to_have_count(len(with_rts))
    expect(opd.locator(".closing-no-rt")).to_contain_text("Belum ada RT terdaftar: ")
    fits(opd, "closing")
    opd.locator("main").get_by_role("link", name="Tutup periode", exact=True).click()
    expect(opd.locator(".closing-confirm")).to_contain_text(f"Tutup periode {period_label(current_period())}:")
    assert not ClosedPeriod.objects.exists()
    fits(opd, "closing-confirm")
    opd.get_by_role("button", name="Ya, tutup").click()
    expect(opd.locator(".alert-success")).to_contain_text("ditutup")
    assert list(ClosedPeriod.objects.values_list("unit_id", flat=True)) == ["32.14"]
    fits(opd, "closed")


def test_an_rt_without_a_report_says_so_instead_of_zeros(opd, live_server):
    counted = MonthlyReport.objects.counted().filter(period=current_period()).values("rt_id")
    rt = Unit.objects.subtree("32.14").at_level("rt").exclude(code__in=counted).order_by("code").first()
    opd.goto(f"{live_server.url}/wilayah/{rt.code}/{MONTH}/")
    expect(opd.locator(".no-data")).to_contain_text("Belum ada data untuk bulan ini.")
    expect(opd.locator("[data-kpi]")).to_have_count(0)
    expect(opd.locator("#methods-chart-box")).to_have_count(0)
    fits(opd, "dashboard-rt-no-data")
