"""Every URL of the scope matrix, for every role, in Chromium on a 360 px phone: no page scrolls
sideways, and axe-core finds no serious or critical accessibility violation (contrast, labels,
names, and tap targets of at least 44 px).

The URLs come from the URL patterns (the same walk as `tests/test_urls_scope.py`), so a new page
is checked as soon as it exists. A role is checked on a URL where the server answers it with an
HTML page (200); downloads (JSON, PDF, workbooks) and refused pages are skipped. Failures are
collected per role and reported together.
"""

import datetime
import io
from pathlib import Path

import axe_playwright_python
import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from cadres.models import Role, Unit
from reports.models import Campaign, ReportStatus
from reports.monthly.events import follow_up_close
from tests.activity_factories import make_activity
from tests.factories import make_user, system_admin
from tests.register_factories import make_couple
from tests.report_factories import make_report, make_target
from tests.test_urls_scope import PERIOD, PERSONAL, PUBLIC, sample_url, scoped_names

AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
TARGET_PX = 44
# WCAG 2.x A and AA, WCAG 2.2's target size (raised to 44 px, the size of a thumb) and axe's best
# practices; only serious and critical findings fail.
AXE_RUN = """async (minSize) => {
  axe.configure({checks: [{id: "target-size", options: {minSize: minSize}}]});
  const results = await axe.run(document, {
    resultTypes: ["violations"],
    rules: {"target-size": {enabled: true}},
  });
  return results.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 4).map(n => n.target.join(" ")),
                count: v.nodes.length}));
}"""

# axe lets a small target pass when it has room around it; buttons and inputs must be 44 px all the
# same (checkboxes and radios count by their label).
SMALL_CONTROLS = """(minSize) => Array.from(document.querySelectorAll(
    ".btn, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea, " +
    "label:has(> input[type=checkbox]), label:has(> input[type=radio]), .form-check:has(input)"))
  .filter(el => el.offsetParent !== null)
  .filter(el => el.getBoundingClientRect().height < minSize - 0.5)
  .map(el => el.tagName.toLowerCase() + (el.name ? "[name=" + el.name + "]" : "") + " '" +
       (el.innerText || el.value || "").trim().slice(0, 30) + "' " + Math.round(el.getBoundingClientRect().height) + " px")
"""

RT = "32.14.01.2001.001.001"


def _photo() -> bytes:
    output = io.BytesIO()
    Image.linear_gradient("L").resize((1024, 683)).convert("RGB").save(output, "JPEG", quality=70)
    return output.getvalue()


PHOTO = _photo()  # an activity's photo as the server keeps it: a JPEG, 1024 px on its longer side

# Each role at its own top unit, as its users log in: the scope matrix's samples are drawn below it.
ROLES = {
    "kader": (Role.KADER, [RT]),
    "ppkbd": (Role.KADER, ["32.14.01.2001"]),
    "pkb": (Role.PKB, ["32.14.01.2001", "32.14.01.2002"]),
    "opd": (Role.OPD, ["32.14"]),
    "admin": (Role.ADMIN, []),
}


@pytest.fixture
def pages_with_data(tree):
    """Registers, reports in every state, a target, campaigns and activities: pages show their full content."""
    for code in tree:
        make_couple(code, "pil", wife_name="Siti Aminah", husband_name="Asep")
        make_couple(code, "implan", wife_name="Euis", husband_name="Dadang")
        make_couple(code, "iat", wife_name="Neneng", husband_name="Ujang")
    make_report("32.14.01.2001.001.002", PERIOD, status=ReportStatus.SUBMITTED, pil_pemerintah=2, implan_swasta=1, iat=1)
    make_report("32.14.01.2002.001.001", PERIOD, status=ReportStatus.VERIFIED, pil_pemerintah=2, implan_swasta=1, iat=1)
    make_report("32.14.02.2001.001.001", PERIOD, status=ReportStatus.RETURNED, pil_pemerintah=1, implan_pemerintah=1, iat=1)
    make_report(RT, "2020-10", pil_pemerintah=2, implan_pemerintah=1)
    make_target("32.14", 2020, implan=40, iud=20, suntik=100, pil=80, kondom=10)
    Campaign.objects.create(unit_id="32.14", name="Pelayanan MKJP", start=datetime.date(2020, 11, 1),
                            end=datetime.date(2020, 11, 30), implan=50, iud=30)
    # The campaign's page of a desa, and an activity with its follow-ups (one closed) and a photo in
    # every desa and RW: the month's activities, the activity, its form and the delete page.
    Campaign.objects.create(unit_id="32.14.01.2001", name="Safari KB Desa", start=datetime.date(2020, 11, 1),
                            end=datetime.date(2020, 11, 30), implan=5, iud=3)
    for unit in [unit for unit in Unit.objects.all() if unit.level in ("desa", "rw")]:
        activity = make_activity(unit.code, follow_ups=["Kunjungan rumah ke PUS yang takut implan",
                                                        "Perbarui Peta PUS tiap RT"],
                                 photo=PHOTO, kind="mini_lokakarya", topics=["mkjp", "kb_pasca"],
                                 speaker="Bidan Desa", speaker_institution="Puskesmas", audience="PUS",
                                 summary="Bidan menjelaskan implan dan IUD.")
        follow_up_close(activity.follow_ups.last(), by=system_admin())


def urls_for(units) -> list[str]:
    urls = [reverse(name) for name in sorted(PUBLIC | PERSONAL)]
    for code in units[:1] or ["32.14"]:
        urls += [sample_url(name, code) for name in scoped_names()]
    return list(dict.fromkeys(urls))


def html_pages(user, urls) -> list[str]:
    """The URLs the server answers this user with an HTML page."""
    client = Client()
    client.force_login(user)
    return [url for url in urls if _is_html(client.get(url))]


def _is_html(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def problems_on(page, url) -> list[str]:
    page.goto(url)
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > page.viewport_size["width"]:
        found.append(f"scrolls sideways: {width} px")
    small = page.evaluate(SMALL_CONTROLS, TARGET_PX)
    if small:
        found.append(f"controls under {TARGET_PX} px: {small[:6]}" + (f" (+{len(small) - 6})" if len(small) > 6 else ""))
    page.evaluate(AXE_SCRIPT)
    for violation in page.evaluate(AXE_RUN, TARGET_PX):
        found.append(f"axe {violation['impact']} {violation['id']} ({violation['help']}) ×{violation['count']}: "
                     f"{violation['targets']}")
    return found


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_the_phone_and_passes_axe(role, pages_with_data, live_server, page):
    level, units = ROLES[role]
    user = make_user(f"check_{role}", level, *units)
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    urls = html_pages(user, urls_for(units))
    assert len(urls) >= 10, urls  # the walk found the role's pages
    failures = {}
    for url in urls:
        found = problems_on(page, live_server.url + url)
        if found:
            failures[url] = found
    report = "\n".join(f"{url}\n  " + "\n  ".join(found) for url, found in failures.items())
    assert not failures, f"{role}: {len(failures)} of {len(urls)} pages fail\n{report}"
