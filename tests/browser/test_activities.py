"""Activities as events on a 360 px phone, on the demo data: the PPKBD records a mini lokakarya with
two follow-ups and closes one a month later; the PKB reads the prospect funnel and a month's
activities; the OPD downloads the mini lokakarya pack; a photo is shrunk before it is stored.
Every page met on the way fits the phone, has 44 px targets and passes axe."""

import datetime
import io
import re
import subprocess

from django.utils import translation
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from cadres.models import Unit
from cadres.periods import add_months, current_period, period_str
from reports.models import Activity
from reports.numbers.recap import recap_for
from reports.templatetags.kb_format import angka, persen
from tests.browser.test_every_page import TARGET_PX, problems_on
from tests.browser.test_screenshots import A4_AT_100_DPI, demo, first_page, log_in  # noqa: F401 (demo: a fixture)

DESA = "32.14.02.2001"
NOW = current_period()
BEFORE = add_months(NOW, -1)  # the month before the one reported now: its next month is not in the future
MESSAGE = ".alert-success[role=alert]"
FOLLOW_UPS = ["Kunjungi PUS yang ragu memilih implan", "Ajak suami ikut konseling di Posyandu"]


def month_page(live_server, period) -> str:
    return f"{live_server.url}/kegiatan/{DESA}/{period_str(period)}/"


def fits_the_phone_and_passes_axe(page, url=None):
    """Not wider than the phone, buttons and inputs 44 px tall, no serious axe finding (the page is loaded again)."""
    found = problems_on(page, url or page.url)
    assert found == [], f"{page.url}: {found}"


def tall_enough(locator):
    box = locator.bounding_box()
    assert box["height"] >= TARGET_PX - 0.5, f"{locator} is {box['height']} px tall"


def follow_up(page, text):
    return page.locator(".follow-up", has_text=text)


def test_the_ppkbd_records_a_mini_lokakarya_and_closes_a_follow_up_the_next_month(demo, live_server, page):
    log_in(page, live_server, "kader")
    page.goto(month_page(live_server, BEFORE))
    fits_the_phone_and_passes_axe(page)
    record = page.get_by_role("link", name="+ Catat kegiatan")
    tall_enough(record)
    record.click()
    page.wait_for_url(f"**/kegiatan/{DESA}/{period_str(BEFORE)}/baru/")
    fits_the_phone_and_passes_axe(page)

    day = BEFORE + datetime.timedelta(days=20)
    form = page.locator("form.activity-event-form")
    page.fill("input[name=date]", day.strftime("%d/%m/%Y"))
    form.get_by_text("Mini lokakarya Kampung KB", exact=True).click()
    page.fill("input[name=place]", "Aula Posyandu Melati")
    form.get_by_text("MKJP", exact=True).click()
    form.get_by_text("KB pasca persalinan", exact=True).click()
    page.fill("input[name=speaker]", "Bidan Euis")
    page.fill("input[name=speaker_institution]", "Puskesmas Campaka")
    page.fill("input[name=audience]", "PUS dan tokoh masyarakat")
    page.fill("input[name=attendance]", "27")
    page.fill("textarea[name=summary]", "Bidan menjelaskan implan dan IUD.")
    page.fill("input[name=follow_up_1]", FOLLOW_UPS[0])
    page.fill("input[name=follow_up_2]", FOLLOW_UPS[1])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for label in ("Mini lokakarya Kampung KB", "MKJP"):
        tall_enough(form.get_by_text(label, exact=True))
    save = page.get_by_role("button", name="Simpan kegiatan")
    tall_enough(save)
    save.click()

    page.wait_for_url(month_page(live_server, BEFORE))
    expect(page.locator(MESSAGE)).to_have_text("Kegiatan Mini lokakarya Kampung KB disimpan.")
    mine = page.locator(".activity-list li", has_text="Aula Posyandu Melati")
    expect(mine).to_contain_text("Mini lokakarya Kampung KB")
    expect(mine).to_contain_text("27 peserta")
    expect(mine).to_contain_text("2 tindak lanjut terbuka")
    activity = Activity.objects.get(place="Aula Posyandu Melati")
    assert (activity.unit_id, activity.date, activity.kind, sorted(activity.topics), activity.attendance) == (
        DESA, day, "mini_lokakarya", ["kb_pasca", "mkjp"], 27)
    assert [f.text for f in activity.follow_ups.all()] == FOLLOW_UPS
    fits_the_phone_and_passes_axe(page)

    # The next month (the one reported now): both follow-ups are still open there.
    page.goto(month_page(live_server, NOW))
    for text in FOLLOW_UPS:
        expect(follow_up(page, text).get_by_role("button", name="Tandai selesai")).to_be_visible()
    fits_the_phone_and_passes_axe(page)
    done = follow_up(page, FOLLOW_UPS[0]).get_by_role("button", name="Tandai selesai")
    tall_enough(done)
    done.click()
    expect(page.locator(MESSAGE)).to_have_text(f"Tindak lanjut selesai: {FOLLOW_UPS[0]}")
    assert page.url == month_page(live_server, NOW)
    closed, still_open = follow_up(page, FOLLOW_UPS[0]), follow_up(page, FOLLOW_UPS[1])
    # Open at that month's end, a follow-up closed since stays on the month's list, marked done.
    expect(closed.get_by_role("button", name="Tandai selesai")).to_have_count(0)
    expect(closed.get_by_role("button", name="Buka lagi")).to_be_visible()
    expect(still_open.get_by_role("button", name="Tandai selesai")).to_be_visible()
    assert [f.closed_on is not None for f in activity.follow_ups.all()] == [True, False]
    fits_the_phone_and_passes_axe(page)

    page.goto(f"{live_server.url}/kegiatan/catatan/{activity.pk}/")
    expect(page.locator("h1")).to_have_text("Mini lokakarya Kampung KB")
    expect(page.locator(".activity-facts")).to_contain_text("Bidan Euis (Puskesmas Campaka)")
    expect(page.locator("[data-attendance]")).to_have_text("27")
    reopen = page.locator(".follow-up-list .follow-up", has_text=FOLLOW_UPS[0]).get_by_role("button", name="Buka lagi")
    expect(reopen).to_be_visible()
    tall_enough(reopen)
    expect(page.locator(".follow-up-list .follow-up", has_text=FOLLOW_UPS[0])).to_contain_text("selesai")
    expect(page.locator(".follow-up-list .follow-up", has_text=FOLLOW_UPS[1])
           .get_by_role("button", name="Tandai selesai")).to_be_visible()
    fits_the_phone_and_passes_axe(page)


def test_the_pkb_reads_the_prospect_funnel_and_the_months_activities(demo, live_server, page):
    log_in(page, live_server, "pkb")
    page.goto(f"{live_server.url}/prospek/{DESA}/")
    funnel = page.locator(".funnel")
    expect(funnel).to_be_visible()
    stages = {stage: int(funnel.locator(f"[data-stage={stage}]").inner_text().replace(".", ""))
              for stage in ("prospects", "counselled", "referred", "served")}
    assert stages["prospects"] > 0, stages
    fits_the_phone_and_passes_axe(page)

    page.goto(month_page(live_server, NOW))
    expect(page.locator("h1")).to_contain_text("Kegiatan desa")
    assert page.locator(".activity-list li").count() >= 2  # the demo's meeting and KIE session
    expect(page.locator(".activity-list")).to_contain_text("Penyuluhan KIE")
    fits_the_phone_and_passes_axe(page)

    # The demo counsels a third of the desa's prospects in the month reported now.
    assert 0 < stages["counselled"] <= stages["prospects"], stages


def pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def test_the_opd_downloads_the_mini_lokakarya_pack(demo, live_server, page, tmp_path):
    log_in(page, live_server, "opd")
    page.goto(month_page(live_server, NOW))
    fits_the_phone_and_passes_axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Bahan mini lokakarya (PDF)").click()
    assert download.value.suggested_filename == f"lokakarya-{DESA}-{period_str(NOW)}.pdf"
    pdf = tmp_path / "lokakarya.pdf"
    download.value.save_as(pdf)
    image = first_page(pdf, tmp_path / "page1")
    assert image.size == A4_AT_100_DPI
    assert image.convert("L").getextrema()[0] < 64  # not blank

    recap = recap_for(Unit.objects.get(code=DESA), NOW)
    with translation.override("id"):
        pus, cpr = angka(recap["pus"]), persen(recap["pct"]["cpr"])
    text = pdf_text(pdf)
    assert recap["pus"] > 0 and pus in text, (pus, text)
    assert cpr in text, (cpr, text)
    assert "corong prospek mkjp" in text.lower()
    counselled = re.search(r"Dikonseling +([0-9.]+)", text)
    assert counselled and int(counselled[1].replace(".", "")) > 0, text  # the demo counsels in this month
    assert "Perbarui Peta PUS tiap RT" in text  # this month's meeting's follow-up, open


def a_big_photo(path):
    """A 3000 × 2000 camera-like PNG (a gradient, shapes and grain): some 7 MB."""
    image = Image.linear_gradient("L").resize((3000, 2000)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for x in range(0, 3000, 150):
        draw.ellipse((x, 700, x + 120, 820), fill=(200, 40, 40))
    image = Image.blend(image, Image.effect_noise((3000, 2000), 40).convert("RGB"), 0.25)
    image.save(path, "PNG")
    return path


def test_a_photo_is_shrunk_on_the_phone_and_kept_small(demo, live_server, page, tmp_path):
    photo = a_big_photo(tmp_path / "kegiatan.png")
    log_in(page, live_server, "kader")
    page.goto(f"{month_page(live_server, NOW)}baru/")
    page.fill("input[name=date]", (NOW + datetime.timedelta(days=11)).strftime("%d/%m/%Y"))
    page.locator("form").get_by_text("Penyuluhan KIE", exact=True).click()
    page.fill("input[name=place]", "Rumah Ibu RT Foto")
    page.fill("input[name=attendance]", "15")
    page.set_input_files("input[name=photo_upload]", photo)
    try:  # photo_shrink.js says so once it has put the shrunk photo in the input; checked below
        expect(page.locator(".photo-size")).to_have_text(re.compile(r"Foto diperkecil: \d+ KB"))
    except AssertionError:
        pass
    sent = page.eval_on_selector("input[name=photo_upload]", "input => [input.files[0].type, input.files[0].size]")
    page.get_by_role("button", name="Simpan kegiatan").click()
    page.wait_for_url(month_page(live_server, NOW))
    page.locator(".activity-list li", has_text="Rumah Ibu RT Foto").get_by_role("link").click()
    page.wait_for_url("**/kegiatan/catatan/*/")
    shown = page.locator("img.activity-photo")
    shown.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=shown.element_handle())
    assert shown.evaluate("img => img.naturalWidth") <= 1024
    assert shown.evaluate("img => img.getBoundingClientRect().right") <= 360
    stored = bytes(Activity.objects.get(place="Rumah Ibu RT Foto").photo)
    assert len(stored) < 300 * 1024
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert max(image.size) <= 1024 and image.size == (1024, 683)
    assert sent[0] == "image/jpeg" and sent[1] < 300 * 1024, f"the phone sent {sent}: the photo was not shrunk first"
    fits_the_phone_and_passes_axe(page)
