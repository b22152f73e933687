"""The Peta PUS and the 6 Peran Bakti scorecard on a 360 px phone, on the demo data.

- kader_rt reads her RT's map on its dashboard (houses in walking order, the legend's counts add up
  to the PUS) and downloads peta.pdf: one A4 page with her RT and the wives' first names;
- the PKB downloads the desa's peta.pdf from the dashboard's toolbar: a page per RT with couples;
- the OPD gets the same RT's map as counts only, with the note saying why;
- the PPKBD opens her desa's scorecard, reads one institution's six roles with their reasons and
  enters its dues as "150.000": its Kemandirian is then met; the OPD reads the kabupaten's month
  and year tables;
- a cold load of the RT dashboard and of the scorecard weighs at most 150 KB.

Every page met on the way fits the phone, has 44 px targets and passes axe.
"""

import base64
import gzip
import re
import subprocess

from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from cadres.models import Institution, User
from cadres.models.imp import InstitutionKind
from cadres.periods import current_period, period_str
from cadres.register.peta import peta
from reports.models import SelfReliance
from reports.numbers.exports.tables import rt_label
from reports.scorecard.roles import IMP_KINDS
from tests.browser.conftest import PHONE
from tests.browser.test_activities import fits_the_phone_and_passes_axe, pdf_text, tall_enough
from tests.browser.test_every_page import AXE_RUN, AXE_SCRIPT, SMALL_CONTROLS, TARGET_PX
from tests.browser.test_screenshots import A4_AT_100_DPI, PDF_DPI, demo, first_page, log_in  # noqa: F401 (demo: a fixture)
from tests.register_factories import make_couple

DESA = "32.14.02.2001"
RT = "32.14.02.2001.001.001"
NOW = current_period()
MONTH = period_str(NOW)
NOTE = "Nama dan nomor rumah hanya untuk kader, PKB dan admin"
PAGE_BUDGET = 150 * 1024


def dashboard_url(live_server, code) -> str:
    return f"{live_server.url}/wilayah/{code}/{MONTH}/"


def scorecard_url(live_server, code) -> str:
    return f"{live_server.url}/peran-bakti/{code}/{MONTH}/"


def number(text: str) -> int:
    """An Indonesian count as shown (`1.234`)."""
    return int(text.strip().replace(".", ""))


def walk_key(house_number: str) -> tuple:
    """Numbers in numeric order, then any text, blanks ("–") last."""
    digits = re.match(r"\d+", house_number)
    return (house_number == "–", digits is None, int(digits.group()) if digits else 0)


def pdf_pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def render_page(pdf, page_number: int, stem):
    """Page `page_number` of the PDF as `stem`.png, at PDF_DPI."""
    subprocess.run(["pdftoppm", "-png", "-r", str(PDF_DPI), "-f", str(page_number), "-l", str(page_number),
                    "-singlefile", str(pdf), str(stem)], check=True)
    return Image.open(stem.with_suffix(".png"))


def an_a4_page_with_ink(image):
    assert image.size == A4_AT_100_DPI
    assert image.convert("L").getextrema()[0] < 64  # not blank: the title, boxes and legend are dark


def flat(text: str) -> str:
    return " ".join(text.split())


def has_word(text: str, word: str) -> bool:
    return re.search(rf"\b{re.escape(word)}\b", text) is not None


def fits_and_passes_axe_as_it_is(page):
    """The checks of `problems_on` on the page as it is now (an opened card stays open)."""
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        found.append(f"scrolls sideways: {width} px")
    small = page.evaluate(SMALL_CONTROLS, TARGET_PX)
    if small:
        found.append(f"controls under {TARGET_PX} px: {small}")
    page.evaluate(AXE_SCRIPT)
    found += [f"axe {v['impact']} {v['id']} ({v['help']}) ×{v['count']}: {v['targets']}"
              for v in page.evaluate(AXE_RUN, TARGET_PX)]
    assert found == [], f"{page.url}: {found}"


def download(page, link, tmp_path, expected_name):
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == expected_name
    pdf = tmp_path / expected_name
    download.value.save_as(pdf)
    return pdf


def wives_first_names(code) -> set[str]:
    return {house.first_name for rt_map in peta(code, NOW) for house in rt_map.houses if house.first_name}


# a. The RT cadre's map, on the dashboard and on paper.

def test_kader_rt_reads_her_rts_map_and_downloads_it(demo, live_server, page, tmp_path):
    # Besides the demo's houses "1".."N": one not numbered yet (last on the map) and a "12A" (after 12).
    make_couple(RT, "pil", wife_name="Zahra Tanpa Nomor", house_number="")
    make_couple(RT, "suntik", wife_name="Yanti Duabelas", house_number="12A")
    log_in(page, live_server, "kader_rt")
    page.goto(dashboard_url(live_server, RT))
    section = page.locator("section.peta")
    expect(section).to_be_visible()
    expect(section.locator("h2")).to_contain_text("Peta PUS")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The houses in walking order: by house number, blanks last.
    houses = section.locator("li.peta-house")
    numbers = [text.strip() for text in section.locator(".peta-number").all_inner_texts()]
    assert len(numbers) == houses.count() > 0
    assert numbers == sorted(numbers, key=walk_key), numbers
    assert numbers[-1] == "–" and numbers[numbers.index("12") + 1] == "12A", numbers
    names = [text.strip() for text in section.locator(".peta-name").all_inner_texts()]
    expected = peta(RT, NOW)[0].houses
    assert names == [house.first_name for house in expected] and names[-1] == "Zahra"
    assert numbers == [house.number or "–" for house in expected]
    # Each box inside the phone, coloured (not the page's white).
    for box in houses.all():
        rect = box.bounding_box()
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= PHONE["width"], rect
    assert "rgb(255, 255, 255)" not in set(houses.evaluate_all(
        "boxes => boxes.map(box => getComputedStyle(box).backgroundColor)"))

    # The legend: a row per colour whose counts add up to the PUS, and equal the boxes of that colour.
    legend = {row.get_attribute("data-legend"): number(row.locator("td.num").inner_text())
              for row in section.locator("tr[data-legend]").all()}
    pus = number(section.locator("[data-figure=pus]").inner_text())
    assert sum(legend.values()) == pus == houses.count(), (legend, pus)
    for status, n in legend.items():
        assert section.locator(f"li.peta-house[data-status={status}]").count() == n, status
    assert number(section.locator("[data-figure=pa]").inner_text()) <= pus
    assert number(section.locator("[data-figure=mkjp]").inner_text()) <= number(
        section.locator("[data-figure=pa]").inner_text())
    fits_the_phone_and_passes_axe(page)

    button = page.get_by_role("link", name="Unduh Peta PUS (PDF)")
    tall_enough(button)
    pdf = download(page, button, tmp_path, f"peta-{RT}-{MONTH}.pdf")
    assert pdf_pages(pdf) == 1
    an_a4_page_with_ink(first_page(pdf, tmp_path / "peta-rt"))
    text = pdf_text(pdf)
    assert rt_label(RT) == "RT 001 / RW 001" and "RT 001 / RW 001" in text, text
    shown = [name for name in names if has_word(text, name)]
    assert shown, (names, text)
    assert re.search(rf"PUS\s+{pus}\b", text), text  # the same PUS as on the page


# b. The PKB's desa map: a page per RT.

def test_the_pkb_downloads_the_desas_map_a_page_per_rt(demo, live_server, page, tmp_path):
    log_in(page, live_server, "pkb")
    page.goto(dashboard_url(live_server, DESA))
    expect(page.locator("section.peta")).to_have_count(0)  # the map itself is on the RT's dashboard
    toolbar = page.locator(".dash-toolbar")
    button = toolbar.get_by_role("link", name="Peta PUS", exact=True)
    tall_enough(button)
    fits_the_phone_and_passes_axe(page)
    pdf = download(page, button, tmp_path, f"peta-{DESA}-{MONTH}.pdf")

    rts = [rt_map.rt for rt_map in peta(DESA, NOW)]
    assert len(rts) > 1, rts
    pages = pdf_pages(pdf)
    assert pages == len(rts), (pages, rts)
    an_a4_page_with_ink(render_page(pdf, 1, tmp_path / "peta-desa-1"))
    an_a4_page_with_ink(render_page(pdf, pages, tmp_path / "peta-desa-last"))
    # Each page is one RT, in the order of their codes.
    for number_, rt in ((1, rts[0]), (pages, rts[-1])):
        text = subprocess.run(["pdftotext", "-f", str(number_), "-l", str(number_), "-layout", str(pdf), "-"],
                              check=True, capture_output=True, text=True).stdout
        assert rt_label(rt) in text, (rt, text)


# c. The OPD: counts, no names.

def test_the_opd_gets_the_rts_map_without_names(demo, live_server, page, tmp_path):
    names = wives_first_names(RT)
    assert names
    log_in(page, live_server, "opd")
    page.goto(dashboard_url(live_server, RT))
    section = page.locator("section.peta")
    expect(section).to_contain_text(NOTE)
    expect(section.locator("li.peta-house")).to_have_count(0)
    expect(section.locator(".peta-name")).to_have_count(0)
    pus = number(section.locator("[data-figure=pus]").inner_text())
    assert sum(number(cell) for cell in section.locator("tr[data-legend] td.num").all_inner_texts()) == pus > 0
    fits_the_phone_and_passes_axe(page)

    pdf = download(page, page.get_by_role("link", name="Unduh Peta PUS (PDF)"), tmp_path, f"peta-{RT}-{MONTH}.pdf")
    assert pdf_pages(pdf) == 1
    an_a4_page_with_ink(first_page(pdf, tmp_path / "peta-opd"))
    text = pdf_text(pdf)
    assert NOTE in flat(text), text
    leaked = sorted(name for name in names if has_word(text, name))
    assert leaked == [], f"the OPD's peta.pdf names {leaked}"
    assert re.search(rf"PUS\s+{pus}\b", text), text


# d. The scorecard: the PPKBD's desa, her dues, and the OPD's kabupaten.

def test_the_ppkbd_reads_the_scorecard_and_enters_her_dues(demo, live_server, page, browser, tmp_path):
    ppkbd = Institution.objects.get(unit_id=DESA, kind=InstitutionKind.PPKBD)
    log_in(page, live_server, "kader")
    page.goto(scorecard_url(live_server, DESA))
    expect(page.locator("h1")).to_contain_text("6 Peran Bakti")
    cards = page.locator("details.institution-score")
    expected = Institution.objects.filter(unit__code__startswith=DESA, kind__in=IMP_KINDS).count()
    expect(cards).to_have_count(expected)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    fits_the_phone_and_passes_axe(page)

    card = page.locator(f"details.institution-score[data-institution='{ppkbd.pk}']")
    summary = card.locator("summary")
    tall_enough(summary)
    summary.click()
    expect(card).to_have_attribute("open", "")
    roles = card.locator("li[data-role]")
    expect(roles).to_have_count(6)
    assert [role.get_attribute("data-role") for role in roles.all()] == [
        "organising", "meetings", "kie", "recording", "services", "self_reliance"]
    for role in roles.all():
        expect(role).to_be_visible()
        assert role.locator(".small.text-muted").inner_text().strip(), role.inner_text()  # a reason
    met = card.locator("li[data-role][data-met='1']").count()
    expect(card.locator(".score")).to_have_text(f"{met}/6")
    kemandirian = card.locator("li[data-role=self_reliance]")
    expect(kemandirian).to_have_attribute("data-met", "0")  # the demo collects no dues
    fits_and_passes_axe_as_it_is(page)  # with the card open

    enter = card.get_by_role("link", name="Isi iuran/jimpitan bulan ini")
    tall_enough(enter)
    enter.click()
    page.wait_for_url(f"**/peran-bakti/imp/{ppkbd.pk}/{MONTH}/")
    fits_the_phone_and_passes_axe(page)
    dues = page.locator("input[name=dues]")
    tall_enough(dues)
    dues.fill("150.000")
    save = page.get_by_role("button", name="Simpan")
    tall_enough(save)
    save.click()

    page.wait_for_url(scorecard_url(live_server, DESA))
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("disimpan")
    assert SelfReliance.objects.get(institution=ppkbd, period=NOW).dues == 150000
    card = page.locator(f"details.institution-score[data-institution='{ppkbd.pk}']")
    kemandirian = card.locator("li[data-role=self_reliance]")
    expect(kemandirian).to_have_attribute("data-met", "1")
    expect(kemandirian).to_contain_text("Rp150.000")
    expect(card.locator(".score")).to_have_text(f"{met + 1}/6")
    fits_the_phone_and_passes_axe(page)
    card.locator("summary").click()
    fits_and_passes_axe_as_it_is(page)

    # The OPD: the kabupaten's month (a row per kecamatan) and its year.
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    opd = context.new_page()
    log_in(opd, live_server, "opd")
    opd.goto(scorecard_url(live_server, "32.14"))
    table = opd.locator("table.scorecard-children")
    expect(table).to_be_visible()
    assert table.locator("tbody tr").count() >= 1
    kecamatan = table.locator("tbody tr[data-unit='32.14.02']")
    # The PPKBD's dues count for her kecamatan: column 6 of the roles (after the unit and the IMP count).
    assert number(kecamatan.locator("td").nth(6).inner_text()) >= 1
    assert table.locator("xpath=ancestor::div[contains(@class, 'table-responsive')]").count() == 1
    assert opd.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    fits_the_phone_and_passes_axe(opd)

    opd.get_by_role("link", name=f"Setahun {NOW.year}").click()
    opd.wait_for_url(f"**/peran-bakti/32.14/tahun/{NOW.year}/")
    year = opd.locator("table.scorecard-year")
    expect(year).to_be_visible()
    assert year.locator("tbody tr[data-unit]").count() >= 1
    assert year.locator("xpath=ancestor::div[contains(@class, 'table-responsive')]").count() == 1
    assert opd.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    fits_the_phone_and_passes_axe(opd)
    context.close()


# e. Page weight on a cold load.

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


def cold_load(browser, live_server, username, url) -> dict:
    """Loads `url` logged in as `username` in a new context with no cache; the bytes of every response.

    `wire` is what came over the socket (CDP's encodedDataLength: headers and body as sent). The
    test server serves static files uncompressed, where production serves them gzipped
    (collectstatic's .gz files, nginx gzip_static; pages are gzipped by the application in both):
    `deployed` counts each uncompressed text response at its gzip -9 size instead."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    responses, finished = {}, {}
    cdp.on("Network.responseReceived", lambda event: responses.__setitem__(event["requestId"], event["response"]))
    cdp.on("Network.loadingFinished", lambda event: finished.__setitem__(event["requestId"], event["encodedDataLength"]))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    rows = []
    for request_id, wire in finished.items():
        response = responses.get(request_id)
        if response is None or response["url"].startswith("data:"):  # not fetched: inline in a stylesheet
            continue
        headers = {key.lower(): value for key, value in response["headers"].items()}
        deployed = wire
        if "content-encoding" not in headers and response["mimeType"].startswith(COMPRESSIBLE):
            body = cdp.send("Network.getResponseBody", {"requestId": request_id})
            raw = base64.b64decode(body["body"]) if body["base64Encoded"] else body["body"].encode()
            deployed = wire - len(raw) + min(len(raw), len(gzip.compress(raw, 9, mtime=0)))
        rows.append((response["url"].removeprefix(live_server.url), wire, deployed, headers.get("content-encoding", "")))
    assert page.url == url  # not sent to the login page
    context.close()
    return {"rows": rows, "wire": sum(row[1] for row in rows), "deployed": sum(row[2] for row in rows)}


def test_the_rt_dashboard_and_the_scorecard_weigh_at_most_150_kb(demo, live_server, browser):
    for username, url in (("kader_rt", dashboard_url(live_server, RT)), ("kader", scorecard_url(live_server, DESA))):
        weight = cold_load(browser, live_server, username, url)
        print(f"\n{username} {url.removeprefix(live_server.url)}: {len(weight['rows'])} responses, "
              f"{weight['wire'] / 1024:.1f} KB over the test server's wire, "
              f"{weight['deployed'] / 1024:.1f} KB as deployed (static files gzipped)")
        for path, wire, deployed, encoding in sorted(weight["rows"], key=lambda row: -row[1]):
            print(f"  {wire / 1024:7.1f} KB {deployed / 1024:7.1f} KB {encoding or '-':5} {path}")
        assert any(path.startswith("/wilayah/") or path.startswith("/peran-bakti/") for path, *_ in weight["rows"])
        assert weight["deployed"] <= PAGE_BUDGET, f"{url}: {weight['deployed'] / 1024:.1f} KB > 150 KB"
