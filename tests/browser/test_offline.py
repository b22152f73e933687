"""Offline for the cadre on a 360 px phone, on the demo data: kader_rt opens her report
form and the add-couple form with signal, loses it, saves a report draft and adds a couple (both
wait in the outbox: "Menunggu sinyal: 2"), gets the signal back and both arrive once; a resend of
the same submission is applied once (replay); a report changed meanwhile comes back as a conflict
with a link to its page; after logout nothing of hers is kept on the phone."""

from django.db.models import F
from playwright.sync_api import expect

from cadres.models import Couple
from cadres.periods import current_period, period_str
from reports.models import MonthlyReport
from tests.browser.test_every_page import AXE_RUN, AXE_SCRIPT, SMALL_CONTROLS, TARGET_PX
from tests.browser.test_peta_scorecard import PAGE_BUDGET, cold_load
from tests.browser.test_screenshots import demo, log_in  # noqa: F401 (demo: a fixture)

RT = "32.14.02.2001.001.001"
NOW = current_period()
BADGE = "#outbox"
WIFE = "Sari Sinyal"

LEFT_ON_THE_PHONE = """async () => {
  const databases = indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [];
  const cached = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) cached.push(new URL(request.url).pathname);
  }
  return {databases, localStorage: localStorage.length, sessionStorage: sessionStorage.length,
          pages: cached.filter(path => !path.startsWith("/static/"))};
}"""

RESEND_TWICE = """async (key) => {
  const form = document.querySelector("form.couple-form");
  const data = new URLSearchParams(new FormData(form));
  data.set("wife_name", "Replay Sekali"); data.set("wife_age", "30"); data.set("husband_name", "Ujang");
  data.set("status", "iat"); data.set("idempotency_key", key);
  const send = () => fetch(location.href, {method: "POST", body: data, credentials: "same-origin",
                                                          redirect: "manual", headers: {"X-Idempotency-Key": key}});
  const first = await send();
  const second = await send();
  return [first.type, second.type];
}"""


def report_url(live_server):
    return f"{live_server.url}/laporan/{RT}/{period_str(NOW)}/"


def add_url(live_server):
    return f"{live_server.url}/register/{RT}/tambah/"


def the_report():
    return MonthlyReport.objects.filter(rt_id=RT, period=NOW).first()


def fits_and_passes_axe(page):
    """The page as it is now (the badge or the outbox's messages shown): 360 px, 44 px targets, axe."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate(SMALL_CONTROLS, TARGET_PX) == []
    page.evaluate(AXE_SCRIPT)
    assert page.evaluate(AXE_RUN, TARGET_PX) == []


def badge_says(page, count):
    expect(page.locator(BADGE)).to_be_visible()
    expect(page.locator(f"{BADGE} .outbox-count")).to_have_text(str(count))


def test_the_cadre_works_offline_and_her_work_arrives_once(demo, live_server, page):
    context = page.context
    log_in(page, live_server, "kader_rt")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(report_url(live_server))
    hamil = int(page.input_value("input[name=hamil]") or 0)
    version = int(page.input_value("input[name=version]"))
    page.goto(add_url(live_server))
    couples = Couple.objects.filter(rt_id=RT).count()

    context.set_offline(True)
    page.goto(report_url(live_server))  # from the phone: the service worker's copy
    page.fill("input[name=hamil]", str(hamil + 3))
    page.reload()  # a closed tab: the draft comes back from the phone
    expect(page.locator("input[name=hamil]")).to_have_value(str(hamil + 3))
    expect(page.locator("#outbox-list")).to_contain_text("dipulihkan")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator("#outbox-list")).to_contain_text("Menunggu sinyal")
    badge_says(page, 1)
    assert page.url == report_url(live_server)

    page.goto(add_url(live_server))
    badge_says(page, 1)  # on every page
    page.fill("input[name=wife_name]", WIFE)
    page.fill("input[name=wife_age]", "29")
    page.fill("input[name=husband_name]", "Asep")
    page.select_option("select[name=status]", "iat")
    page.get_by_role("button", name="Simpan", exact=True).click()
    badge_says(page, 2)
    assert Couple.objects.filter(wife_name=WIFE).count() == 0
    fits_and_passes_axe(page)

    context.set_offline(False)
    expect(page.locator(BADGE)).to_be_hidden()
    expect(page.locator("#outbox-list")).to_contain_text("Terkirim")
    assert Couple.objects.filter(wife_name=WIFE).count() == 1
    assert Couple.objects.filter(rt_id=RT).count() == couples + 1
    report = the_report()
    assert (report.hamil, report.version) == (hamil + 3, version + 1)

    # The same submission sent twice (a lost answer, a double tap): applied once.
    page.goto(add_url(live_server))
    assert page.evaluate(RESEND_TWICE, "replay-key-0001") == ["opaqueredirect", "opaqueredirect"]
    assert Couple.objects.filter(wife_name="Replay Sekali").count() == 1

    # A conflict: she edits offline while the PKB's change raises the report's version.
    page.goto(report_url(live_server))
    context.set_offline(True)
    page.fill("input[name=hamil]", str(hamil + 5))
    page.get_by_role("button", name="Simpan draf").click()
    badge_says(page, 1)
    MonthlyReport.objects.filter(pk=report.pk).update(version=F("version") + 1, hamil=hamil + 4)
    context.set_offline(False)
    conflict = page.locator(".outbox-item[data-state=konflik]")
    expect(conflict).to_contain_text("Konflik")
    expect(conflict.get_by_role("link")).to_have_attribute("href", f"/laporan/{RT}/{period_str(NOW)}/")
    expect(page.locator(BADGE)).to_be_hidden()
    assert the_report().hamil == hamil + 4  # never forced
    page.goto(f"{live_server.url}/")
    conflict = page.locator(".outbox-item[data-state=konflik]")
    expect(conflict).to_be_visible()  # never dropped silently
    fits_and_passes_axe(page)

    # She settles it on the report's page: her next save there clears the conflict.
    conflict.get_by_role("link").click()
    page.wait_for_url(report_url(live_server))
    page.fill("input[name=hamil]", str(hamil + 5))
    page.get_by_role("button", name="Simpan draf").click()
    page.wait_for_url(report_url(live_server))
    expect(page.locator(".outbox-item")).to_have_count(0)
    assert the_report().hamil == hamil + 5
    page.fill("input[name=hamil]", str(hamil + 6))  # a draft kept on the phone, for the logout below

    left = page.evaluate(LEFT_ON_THE_PHONE)
    assert "kkb" in left["databases"] and left["pages"], left
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/accounts/login/")
    left = page.evaluate(LEFT_ON_THE_PHONE)
    assert left == {"databases": [], "localStorage": 0, "sessionStorage": 0, "pages": []}, left


def test_the_worker_is_served_from_the_root_and_the_cadres_pages_stay_light(demo, live_server, browser, page):
    response = page.request.get(f"{live_server.url}/sw.js")
    assert response.status == 200
    assert response.headers["content-type"] == "application/javascript"
    assert response.headers["service-worker-allowed"] == "/"
    assert "no-cache" in response.headers["cache-control"] and "max-age" not in response.headers["cache-control"]
    assert "worker-src 'self'" in response.headers["content-security-policy"]
    for url in (report_url(live_server), add_url(live_server)):
        weight = cold_load(browser, live_server, "kader_rt", url)
        assert any(path.endswith("/js/outbox.js") for path, *_ in weight["rows"]), weight["rows"]
        assert weight["deployed"] <= PAGE_BUDGET, f"{url}: {weight['deployed'] / 1024:.1f} KB > 150 KB"


def test_what_waits_on_a_shared_phone_is_not_sent_as_the_next_account(demo, live_server, page):
    """Her session ran out (no logout) and another cadre logs in on the same phone: kader_rt's
    waiting couple is cleared from the phone, never sent in the other account's name."""
    context = page.context
    log_in(page, live_server, "kader_rt")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.goto(add_url(live_server))
    context.set_offline(True)
    page.fill("input[name=wife_name]", "Bukan Punya Kader")
    page.fill("input[name=wife_age]", "33")
    page.fill("input[name=husband_name]", "Dedi")
    page.select_option("select[name=status]", "iat")
    page.get_by_role("button", name="Simpan", exact=True).click()
    badge_says(page, 1)
    context.clear_cookies()  # her session runs out before the signal comes back
    context.set_offline(False)
    page.wait_for_timeout(500)
    badge_says(page, 1)  # not sent without her session (nor taken for done by the login redirect)
    log_in(page, live_server, "kader")
    expect(page.locator(BADGE)).to_be_hidden()
    page.wait_for_function("() => localStorage.getItem('kkb-user') !== null")
    assert all(not path.startswith(("/register/", "/laporan/")) for path in page.evaluate(LEFT_ON_THE_PHONE)["pages"])
    assert page.evaluate("""() => new Promise(resolve => {
      const open = indexedDB.open("kkb", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("outbox", {keyPath: "key"});
      open.onsuccess = () => { const get = open.result.transaction("outbox").objectStore("outbox").getAll();
                              get.onsuccess = () => { resolve(get.result.length); open.result.close(); }; };
    })""") == 0
    assert Couple.objects.filter(wife_name="Bukan Punya Kader").count() == 0
