"""Every URL the project has, walked from the URL patterns, for every persona, in and out of scope.

A new URL cannot slip past: a pattern that is not classified below fails the first test.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cadres import access
from cadres.codes import CODE_LENGTHS
from cadres.models import Couple, Institution, Unit, subtree_q
from cadres.periods import current_period, period_str
from reports.models import Activity, Campaign
from reports.targets.campaigns import campaign_create
from tests import fuzz_stats
from tests.activity_factories import make_activity
from tests.conftest import RT_CODES
from tests.factories import system_admin
from tests.register_factories import make_couple

# Pages for anyone, logged in or not.
PUBLIC = {"login", "healthz", "favicon", "service_worker"}
# Pages about the user themselves: logged-in users get 200, nobody else's data is on them.
PERSONAL = {"home", "password_change", "password_change_done"}
# Pages that only answer POST.
POST_ONLY = {"logout"}
# Scoped pages that change something: readers who may not write (the OPD) get 403 inside.
WRITE_PAGES = {"couple_add", "couple_edit", "couple_status", "couple_leave", "report_send", "counselling_new",
               "activity_new", "activity_edit", "activity_delete", "self_reliance"}
# Scoped buttons (POST only, no page of their own): a GET is refused (405); a POST inside the
# scope by a writer does its work and redirects, by the OPD 403, from outside 404.
POST_BUTTONS = {"couple_repeat", "follow_up_toggle"}
# Scoped pages only some roles may open, even inside their scope: the others get 403 there.
ROLE_PAGES = {name: {"pkb", "admin"} for name in ("report_verify", "report_verify_all", "report_return", "report_reopen")}
# Register rows are personal data: the OPD, who works with recaps, may not download them, nor
# read a couple's pages or the follow-up list, which name couples.
ROLE_PAGES.update({name: {"kader", "pkb", "admin", "outsider"} for name in ("register_xlsx", "couple_detail",
                                                                             "follow_ups")})
# PPM targets are set by the OPD of the kabupaten (or an admin); everyone reads campaigns.
ROLE_PAGES["targets"] = {"opd", "admin"}
ROLE_PAGES.update({name: {"opd", "admin"} for name in ("campaign_new", "campaign_edit", "campaign_delete")})
# Scoped pages whose <code> must be an RT: sampled with the first RT under the persona's unit.
RT_PAGES = {"couple_add", "report", "report_send", "report_verify", "report_return", "report_reopen", "peta_pdf"}
# Activities belong to a desa, RW or RT, the lokakarya pack to a desa: sampled with the persona's
# unit (or the first desa under a unit above), and <pk> is then its activity (or that activity's
# follow-up). The pack of an RT cadre's desa is not hers: 404 inside too.
DESA_PAGES = {"activity_new", "activity_detail", "activity_edit", "activity_delete", "activity_photo",
              "follow_up_toggle", "lokakarya_pack"}
# URL kwargs that name a scoped object; <pk> is a couple, in the first RT under the unit (an IMP
# institution under it for the self-reliance entry);
# <campaign> a campaign of the unit itself.
SCOPED_KWARGS = {"code", "pk", "campaign"}
PERIOD = "2020-11"


def walk(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: staff only, tested in test_admin.py
            yield from walk(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern


def named_patterns():
    return {pattern.name: pattern for pattern in walk(get_resolver().url_patterns)}


def scoped_names():
    return sorted(
        name for name, pattern in named_patterns().items() if SCOPED_KWARGS & set(pattern.pattern.converters)
    )


def first_rt(code):
    """The first RT under a unit (or the code itself when there is none, e.g. an unknown unit)."""
    rts = Unit.objects.subtree(code).at_level("rt").order_by("code").values_list("code", flat=True)
    return rts.first() or code


def first_desa(code):
    """The unit itself at desa, RW or RT level, or the first desa under a unit above."""
    if len(code) < CODE_LENGTHS["desa"]:
        desas = Unit.objects.subtree(code).at_level("desa").order_by("code").values_list("code", flat=True)
        return desas.first()
    return code if len(code) >= CODE_LENGTHS["desa"] else None


def object_pk(name, code):
    """The <pk> sample: a couple in the first RT under the unit, or for an activity page the first
    desa's activity (or its follow-up)."""
    if name == "self_reliance":
        institution = Institution.objects.filter(subtree_q(code, "unit__code")).order_by("unit_id").first()
        return institution.pk if institution else 0
    if name in DESA_PAGES:
        activity = Activity.objects.filter(unit_id=first_desa(code) or "-").order_by("pk").first()
        if name == "follow_up_toggle":
            return activity.follow_ups.first().pk if activity else 0
        return activity.pk if activity else 0
    couple = Couple.objects.filter(rt_id=first_rt(code)).order_by("pk").first()
    return couple.pk if couple else 0


def sample_url(name, code):
    """A concrete URL for a scoped pattern; every kwarg needs a sample here."""
    campaign = Campaign.objects.filter(unit_id=code).order_by("pk").first()
    samples = {
        "code": first_rt(code) if name in RT_PAGES else (first_desa(code) or code) if name in DESA_PAGES else code,
        "period": PERIOD,
        "pk": object_pk(name, code),
        "campaign": campaign.pk if campaign else 0,
        "year": 2020,
    }
    if name == "lokakarya_pack":  # a desa's, also from an RW
        samples["code"] = samples["code"][: CODE_LENGTHS["desa"]]
    kwargs = {}
    for kwarg in named_patterns()[name].pattern.converters:
        assert kwarg in samples, f"add a sample value for <{kwarg}> of URL {name!r} to this test"
        kwargs[kwarg] = samples[kwarg]
    return reverse(name, kwargs=kwargs)


def test_every_url_is_classified():
    unnamed = [str(pattern.pattern) for pattern in walk(get_resolver().url_patterns) if not pattern.name]
    assert unnamed == [], "every URL needs a name so that this test can check it"
    unclassified = set(named_patterns()) - PUBLIC - PERSONAL - POST_ONLY - set(scoped_names())
    assert unclassified == set(), "classify these URLs in test_urls_scope.py"


def test_there_are_scoped_urls_to_check():
    assert {"dashboard", "register", "couple_detail", "campaign_detail"} <= set(scoped_names())
    assert WRITE_PAGES | POST_BUTTONS | RT_PAGES | set(ROLE_PAGES) <= set(scoped_names()), "these sets name scoped URLs"


@pytest.fixture
def couples(tree):
    """One couple in every RT, so that every <pk> sample has a couple in the persona's units."""
    return [make_couple(code) for code in RT_CODES]


@pytest.fixture
def institutions(tree):
    """An IMP institution in every desa, RW and RT, for the self-reliance entry's samples."""
    kinds = {"desa": "ppkbd", "rw": "sub_ppkbd", "rt": "pok_kb"}
    return [Institution.objects.create(unit=unit, kind=kinds[unit.level], name=unit.code)
            for unit in Unit.objects.all() if unit.level in kinds]


@pytest.fixture
def activities(tree):
    """One activity with a follow-up and a photo in every desa, RW and RT, for the activity pages."""
    return [make_activity(unit.code, follow_ups=["Kunjungan rumah"], photo=b"\xff\xd8 jpeg")
            for unit in Unit.objects.all() if unit.level in ("desa", "rw", "rt")]


@pytest.fixture
def campaigns(tree):
    """One campaign in every unit, so that every <campaign> sample has one in the persona's unit."""
    return [campaign_create(unit=unit, by=system_admin(), name=f"Kampanye {unit.code}", start=datetime.date(2020, 11, 1),
                            end=datetime.date(2020, 11, 30), iud=1) for unit in Unit.objects.all()]


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_urls_answer_everyone(client, db, name):
    expected = 301 if name == "favicon" else 200  # a redirect to the static icon
    assert client.get(reverse(name)).status_code == expected


@pytest.mark.parametrize("name", sorted(PERSONAL))
def test_personal_urls_need_a_login(client, personas, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for persona in personas.values():
        client.force_login(persona.user)
        assert client.get(url).status_code == 200, persona.user.username


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_urls_refuse_get(client, personas, name):
    client.force_login(personas["kader"].user)
    assert client.get(reverse(name)).status_code == 405


def scoped_cases():
    for name in scoped_names():
        for persona in ["kader", "pkb", "opd", "admin", "outsider"]:
            yield name, persona


@pytest.mark.parametrize("name, persona_name", list(scoped_cases()))
def test_scoped_urls_answer_only_inside_the_scope(client, personas, couples, campaigns, activities, institutions,
                                                  name, persona_name):
    persona = personas[persona_name]
    fuzz_stats.url_checks += 2
    anonymous = client.get(sample_url(name, persona.inside))
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))

    client.force_login(persona.user)
    writes = name in WRITE_PAGES | POST_BUTTONS
    refused = (writes and persona_name == "opd") or persona_name not in ROLE_PAGES.get(name, {persona_name})
    ask = client.post if name in POST_BUTTONS else client.get
    inside = 403 if refused else (302 if name in POST_BUTTONS else 200)
    if name == "lokakarya_pack":  # the pack of the desa above: a PPKBD's, not an RT cadre's
        inside = 200 if access.can_see(persona.user, persona.inside[: CODE_LENGTHS["desa"]]) else 404
    assert ask(sample_url(name, persona.inside)).status_code == inside
    if name in POST_BUTTONS:
        assert client.get(sample_url(name, persona.inside)).status_code == 405
    if persona.outside:
        response = ask(sample_url(name, persona.outside))
        assert response.status_code in (403, 404)
        assert persona.outside not in response.content.decode()


@pytest.mark.parametrize("name, persona_name", [(n, p) for n in sorted(WRITE_PAGES) for p in ["opd", "outsider"]])
def test_write_pages_refuse_a_post_from_readers_and_outsiders(client, personas, couples, activities, institutions,
                                                              name, persona_name):
    """The OPD may not write inside its scope (403); an outsider learns nothing (404); no change."""
    persona = personas[persona_name]
    url = sample_url(name, "32.14.02" if persona_name == "opd" else "32.14.01.2001")
    before = (Couple.objects.count(), list(Couple.objects.values_list("left_on", flat=True)),
              list(Activity.objects.values_list("pk", "version")))
    assert client.post(url, {}).status_code == 302  # anonymous: to the login page
    client.force_login(persona.user)
    data = {"left_on": "2024-01-01", "left_reason": "cerai", "status": "pil", "place": "swasta", "since": "2024-01-01"}
    assert client.post(url, data).status_code == (403 if persona_name == "opd" else 404)
    assert (Couple.objects.count(), list(Couple.objects.values_list("left_on", flat=True)),
            list(Activity.objects.values_list("pk", "version"))) == before


@pytest.mark.parametrize("name", scoped_names())
def test_scoped_urls_are_404_for_unknown_units_and_bad_periods(client, personas, couples, campaigns, activities,
                                                              institutions, name):
    client.force_login(personas["admin"].user)
    ask = client.post if name in POST_BUTTONS else client.get
    assert ask(sample_url(name, "99.99")).status_code == 404
    if "period" in named_patterns()[name].pattern.converters:
        good = sample_url(name, "32.14")
        assert client.get(good.replace(PERIOD, "2020-13")).status_code == 404


def test_the_home_page_links_to_the_current_month(client, personas):
    client.force_login(personas["pkb"].user)
    body = client.get("/").content.decode()
    assert f"/wilayah/32.14.01.2001/{period_str(current_period())}/" in body
    assert f"/wilayah/32.14.01.2002/{period_str(current_period())}/" in body
    assert "32.14.02" not in body


def test_the_home_page_links_to_the_register_of_each_unit(client, personas):
    client.force_login(personas["kader"].user)
    assert "/register/32.14.01.2001.001.001/" in client.get("/").content.decode()


def test_the_home_page_links_kader_to_their_report_and_pkb_to_their_queue(client, personas):
    period = period_str(current_period())
    client.force_login(personas["kader"].user)
    body = client.get("/").content.decode()
    assert f"/laporan/32.14.01.2001.001.001/{period}/" in body and "/verifikasi/" not in body
    client.force_login(personas["pkb"].user)
    body = client.get("/").content.decode()
    assert f"/verifikasi/32.14.01.2001/{period}/" in body and "/laporan/" not in body


def test_months_beyond_2100_are_not_found_rather_than_a_crash(client, personas):
    client.force_login(personas["pkb"].user)
    for url in ("/verifikasi/32.14.01.2001/9999-12/", "/laporan/32.14.01.2001.001.001/9999-12/",
                "/wilayah/32.14.01.2001/9999-12/"):
        assert client.get(url).status_code == 404, url


def test_the_register_offers_its_download_only_to_those_who_may_take_it(client, personas):
    client.force_login(personas["kader"].user)
    assert "/register/32.14.01.2001.001.001/unduh.xlsx" in client.get("/register/32.14.01.2001.001.001/").content.decode()
    client.force_login(personas["opd"].user)
    assert "unduh.xlsx" not in client.get("/register/32.14.01.2001/").content.decode()
