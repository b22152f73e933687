"""Each role's home at 360 px: the kader of an RT, the PPKBD of a desa, the PKB and the OPD see their
day's task on a page that never scrolls sideways and whose buttons are tap targets of 44 px."""

import pytest
from playwright.sync_api import expect

from cadres.models import Role
from cadres.periods import current_period
from reports.models import ReportStatus
from tests.factories import make_user
from tests.report_factories import make_report

RT, RT2 = "32.14.01.2001.001.001", "32.14.01.2001.001.002"
LAST_MONTH = current_period()  # the reporting month: last month
SHOTS = "/tmp/home-shots"


@pytest.fixture
def month(tree, personas):
    """Last month: one RT's report sent (waiting for the PKB), another verified."""
    make_report(RT, LAST_MONTH, status=ReportStatus.SUBMITTED, pus=3, ias=3)
    make_report(RT2, LAST_MONTH, status=ReportStatus.VERIFIED, pus=2, ias=2)
    return {**{name: persona.user for name, persona in personas.items()},
            "ppkbd": make_user("ppkbd", Role.KADER, "32.14.01.2001")}


def fits_the_phone_with_big_buttons(page, name):
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name}'s home scrolls sideways: {width} px"
    heights = page.eval_on_selector_all(
        "main .btn, main a.list-group-item",
        "nodes => nodes.filter(n => n.offsetParent).map(n => [n.textContent.trim(), n.getBoundingClientRect().height])",
    )
    assert heights, f"{name}'s home has no button"
    small = [(text, height) for text, height in heights if height < 44]
    assert small == [], f"{name}'s home has buttons under 44 px: {small}"


@pytest.mark.parametrize("name, expected", [
    ("kader", ".task-card"),
    ("ppkbd", "text=Kegiatan desa"),
    ("pkb", "text=Desa"),
    ("opd", "text=Laporan masuk"),
])
def test_each_roles_home_fits_the_phone_with_44_px_buttons(month, login, live_server, name, expected):
    page = login(month[name])
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(expected).first).to_be_visible()
    if name == "opd":
        expect(page.locator("main")).to_contain_text("2 / 4")
    fits_the_phone_with_big_buttons(page, name)
