"""Screenshots of what users see, on the demo data: the dashboard on a 360 px phone and on a
desktop, the first page of the recap PDF as the OPD downloads it, the PPKBD's activities page and
activity form on a phone, and the first page of the mini lokakarya pack.

`make screenshots` (SCREENSHOTS=1) writes them to docs/screenshots/ for reviewers; otherwise they
go to a temporary directory and the test only checks them.
"""

import io
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from cadres.periods import current_period, period_str
from reports.demo.wilayah import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 800}
PDF_DPI = 100
A4_AT_100_DPI = (827, 1170)  # 210 × 297 mm, rounded up by pdftoppm


@pytest.fixture
def out_dir(tmp_path):
    if os.environ.get("SCREENSHOTS") == "1":
        folder = ROOT / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", stdout=io.StringIO())
    return f"/{period_str(current_period())}/"


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, locale="id-ID", reduced_motion="reduce")
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    yield page
    context.close()
    assert errors == []


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def open_dashboard(page, live_server, code, month):
    page.goto(f"{live_server.url}/wilayah/{code}{month}")
    # dashboard.js shows the chart boxes once Chart.js has drawn (no animation: reduced motion).
    page.wait_for_selector("#trend-chart-box:not([hidden])")
    page.wait_for_selector("#methods-chart-box:not([hidden])")


def shoot(page, path: Path, width: int):
    page.screenshot(path=path, full_page=True)
    image = Image.open(path)
    assert image.width == width and image.height >= page.viewport_size["height"]


def test_the_desa_dashboard_on_a_phone(demo, live_server, page, out_dir):
    page.emulate_media(reduced_motion="reduce")
    log_in(page, live_server, "pkb")
    open_dashboard(page, live_server, "32.14.02.2001", demo)
    assert page.locator("h1").inner_text().startswith("Desa Campaka")
    assert page.locator("[data-kpi=cpr]").inner_text().endswith("%")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # the table scrolls, not the page
    shoot(page, out_dir / "dashboard-desa-360.png", 360)


@pytest.mark.parametrize("username, code, name", [
    ("pkb", "32.14.02.2001", "dashboard-desa-1280.png"),
    ("opd", "32.14", "dashboard-kabupaten-1280.png"),
])
def test_the_dashboard_on_a_desktop(demo, live_server, desktop, out_dir, username, code, name):
    log_in(desktop, live_server, username)
    open_dashboard(desktop, live_server, code, demo)
    assert desktop.locator(".children-table tbody tr").count() > 1
    shoot(desktop, out_dir / name, DESKTOP["width"])


def test_the_first_page_of_the_recap_pdf(demo, live_server, desktop, out_dir, tmp_path):
    log_in(desktop, live_server, "pkb")
    open_dashboard(desktop, live_server, "32.14.02.2001", demo)
    with desktop.expect_download() as download:
        desktop.click("text=Unduh PDF")
    assert download.value.suggested_filename == f"rekap-32.14.02.2001-{demo.strip('/')}.pdf"
    pdf = tmp_path / "rekap.pdf"
    download.value.save_as(pdf)
    image = first_page(pdf, out_dir / "rekap-pdf-desa")
    assert image.size == A4_AT_100_DPI
    # Not a blank page: the letterhead and tables put dark pixels on it.
    assert image.convert("L").getextrema()[0] < 64


def first_page(pdf: Path, stem: Path) -> Image.Image:
    """The PDF's first page as `stem`.png, at PDF_DPI."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(PDF_DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    return Image.open(stem.with_suffix(".png"))


def test_the_mini_lokakarya_pack(demo, live_server, page, out_dir, tmp_path):
    log_in(page, live_server, "kader")
    page.goto(f"{live_server.url}/kegiatan/32.14.02.2001{demo}")
    with page.expect_download() as download:
        page.click("text=Bahan mini lokakarya (PDF)")
    assert download.value.suggested_filename == f"lokakarya-32.14.02.2001-{demo.strip('/')}.pdf"
    pdf = tmp_path / "lokakarya.pdf"
    download.value.save_as(pdf)
    image = first_page(pdf, out_dir / "lokakarya-pack")
    assert image.size == A4_AT_100_DPI
    assert image.convert("L").getextrema()[0] < 64


@pytest.mark.parametrize("username", ["kader_rt", "kader", "pkb", "opd", "admin"])
def test_each_roles_home_on_a_phone(demo, live_server, page, out_dir, username):
    log_in(page, live_server, username)
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, out_dir / f"home-{username}-360.png", 360)


@pytest.mark.parametrize(("username", "path", "name"), [
    ("kader_rt", "/tindak-lanjut/32.14.02.2001.001.001/", "follow-ups-kader-360.png"),
    ("kader", "/prospek/32.14.02.2001/", "prospects-ppkbd-360.png"),
])
def test_the_follow_up_list_and_the_prospects_on_a_phone(demo, live_server, page, out_dir, username, path, name):
    log_in(page, live_server, username)
    page.goto(f"{live_server.url}{path}")
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, out_dir / name, 360)


@pytest.mark.parametrize(("path", "name"), [
    ("", "activities-ppkbd-360.png"),
    ("baru/", "activity-form-360.png"),
])
def test_the_activities_and_the_activity_form_on_a_phone(demo, live_server, page, out_dir, path, name):
    log_in(page, live_server, "kader")
    page.goto(f"{live_server.url}/kegiatan/32.14.02.2001{demo}{path}")
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, out_dir / name, 360)


def test_the_peta_pus_on_a_phone_and_on_paper(demo, live_server, page, out_dir, tmp_path):
    """kader_rt's map on her RT's dashboard (the section, at the phone's full width), and the
    first page of her RT's peta.pdf."""
    log_in(page, live_server, "kader_rt")
    page.goto(f"{live_server.url}/wilayah/32.14.02.2001.001.001{demo}")
    section = page.locator("section.peta")
    assert section.locator("li.peta-house").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = section.bounding_box()
    scroll_y = page.evaluate("window.scrollY")
    top = max(0, box["y"] + scroll_y - 8)
    path = out_dir / "peta-rt-360.png"
    page.screenshot(path=path, full_page=True, clip={"x": 0, "y": top, "width": 360, "height": box["height"] + 16})
    assert Image.open(path).width == 360
    with page.expect_download() as download:
        page.click("text=Unduh Peta PUS (PDF)")
    assert download.value.suggested_filename == f"peta-32.14.02.2001.001.001-{demo.strip('/')}.pdf"
    pdf = tmp_path / "peta-rt.pdf"
    download.value.save_as(pdf)
    image = first_page(pdf, out_dir / "peta-pdf-rt")
    assert image.size == A4_AT_100_DPI
    assert image.convert("L").getextrema()[0] < 64


def test_the_first_page_of_the_desas_peta_pdf(demo, live_server, desktop, out_dir, tmp_path):
    log_in(desktop, live_server, "pkb")
    open_dashboard(desktop, live_server, "32.14.02.2001", demo)
    with desktop.expect_download() as download:
        desktop.locator(".dash-toolbar").get_by_role("link", name="Peta PUS", exact=True).click()
    assert download.value.suggested_filename == f"peta-32.14.02.2001-{demo.strip('/')}.pdf"
    pdf = tmp_path / "peta-desa.pdf"
    download.value.save_as(pdf)
    image = first_page(pdf, out_dir / "peta-pdf-desa")
    assert image.size == A4_AT_100_DPI
    assert image.convert("L").getextrema()[0] < 64


def test_the_desas_scorecard_on_a_phone(demo, live_server, page, out_dir):
    """The PPKBD's scorecard of her desa with her own PPKBD's card opened."""
    log_in(page, live_server, "kader")
    page.goto(f"{live_server.url}/peran-bakti/32.14.02.2001{demo}")
    card = page.locator("details.institution-score", has_text="PPKBD Campaka")
    card.locator("summary").click()
    assert card.locator("li[data-role]").count() == 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, out_dir / "scorecard-desa-360.png", 360)


@pytest.mark.parametrize("username", ["kader_rt", "pkb"])
def test_the_report_form_on_a_phone(demo, live_server, page, out_dir, username):
    """An RT's month as its cadre and its PKB open it: the form's counts, reasons and history as
    rendered in Python (reports/templatetags/kb_fields.py), at 360 px."""
    log_in(page, live_server, username)
    page.goto(f"{live_server.url}/laporan/32.14.02.2001.001.001{demo}")
    assert page.locator("input[name=pus]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, out_dir / f"report-form-{username.split('_')[0]}-360.png", 360)
