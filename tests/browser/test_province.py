"""A province's dashboard at 360 px, as an admin (or a province office) reads it: the sums of its
kabupaten, the reports in per kabupaten, and in place of the RT list a pointer to the kabupaten's
dashboards; the page fits the phone and passes axe."""

import pytest
from playwright.sync_api import expect

from cadres.models import Unit
from reports.numbers.recap import recap_for
from cadres.periods import current_period
from tests.browser.conftest import PHONE
from tests.browser.test_activities import fits_the_phone_and_passes_axe
from tests.browser.test_screenshots import demo, log_in, open_dashboard, out_dir  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_the_admin_reads_the_provinces_dashboard_on_a_phone(demo, live_server, page, out_dir):  # noqa: F811
    log_in(page, live_server, "admin")
    open_dashboard(page, live_server, "32", demo)
    recap = recap_for(Unit.objects.get(code="32"), current_period())
    kpi = page.locator('[data-kpi="reports"]')
    expect(kpi).to_have_text(f"{recap['reports']['received']}/{recap['reports']['expected']}")
    expect(page.locator("#missing-heading")).to_be_visible()
    expect(page.get_by_text("Jumlah per Kabupaten/Kota ada di tabel")).to_be_visible()
    expect(page.locator(".missing-list")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    fits_the_phone_and_passes_axe(page)
    page.screenshot(path=str(out_dir / "dashboard-provinsi-360.png"), full_page=True)
