"""The page of one MKJP campaign, `/kampanye/<code>/<id>/`: its progress and its funnel over its
dates (prospects on its first day → counselled → referred → served), checked by number against a
drive built by hand; who may read it (everyone in scope, the OPD too: sums, no names), and its
query count, the same however many couples there are."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import Counselling
from reports.targets.campaigns import campaign_create
from tests.factories import make_unit, system_admin
from tests.register_factories import bulk_couples, make_couple, set_status

DESA = "32.14.01.2001"
RW_1, RW_2 = DESA + ".001", DESA + ".002"
RT = RW_1 + ".001"
D = datetime.date
OLD = D(2020, 1, 15)
MAY = {"start": D(2024, 5, 1), "end": D(2024, 5, 31)}
NAMES = ("Ani Rohaeni", "Bela Nuraeni", "Cici Suhaesih", "Dewi Kurniasih", "Euis Komariah", "Fitri Handayani")
# session, user, scope, the unit with its ancestors, campaign, progress (2), funnel (3), child units
# (the session is saved at most once in 5 minutes: kampungkb/session_refresh.py)
QUERIES = 11


def counsel(couple, day, outcome, reason="", referral=""):
    return Counselling.objects.create(couple=couple, date=day, outcome=outcome, reason=reason, referral=referral)


def make_campaign(code, name="Bulan MKJP", **dates):
    from cadres.models import Unit

    return campaign_create(unit=Unit.objects.get(code=code), by=system_admin(), name=name, **(dates or MAY),
                           iud=20, implan=30)


def url(campaign, code=None):
    return reverse("campaign_detail", args=[code or campaign.unit_id, campaign.pk])


def stage(body, name):
    """The number shown for a stage of the funnel."""
    return re.search(rf'data-stage="{name}">([^<]*)<', body).group(1)


def child_row(body, code):
    """The four numbers of a child unit's row: prospects, counselled, referred, served."""
    row = re.search(rf'<tr data-child="{re.escape(code)}">(.*?)</tr>', body, re.S).group(1)
    return re.findall(r'<td class="num">([^<]*)</td>', row)


@pytest.fixture
def drive(tree):
    """A May 2024 drive of the desa: four prospects in RW 001 on 1 May; three counselled in May
    (one only before), two referred, one served by a switch from injections to an implant."""
    make_unit(RW_2 + ".001")
    c = {wife.split()[0].lower(): wife for wife in NAMES}
    ani = make_couple(RT, "suntik", since=OLD, children=3, wife_name=c["ani"], husband_name="Asep Saepudin")
    bela = make_couple(RT, "tial", since=OLD, wife_name=c["bela"], husband_name="Budi Gunawan")
    cici = make_couple(RT, "pil", since=OLD, born=D(1980, 2, 1), wife_name=c["cici"], husband_name="Cecep Hidayat")
    dewi = make_couple(RT, "suntik", since=OLD, children=3, wife_name=c["dewi"], husband_name="Dadan Ramdani")
    make_couple(RT, "implan", since=OLD, children=4, wife_name=c["euis"], husband_name="Engkus Kusnadi")  # MKJP
    make_couple(RT, "hamil", since=D(2024, 3, 1), children=3, wife_name=c["fitri"], husband_name="Feri Ferdian")
    counsel(ani, D(2024, 5, 5), "belum", "takut")
    counsel(ani, D(2024, 5, 10), "tertarik", referral="puskesmas")
    set_status(ani, D(2024, 5, 15), "implan")  # a switch (GC) into MKJP: served
    counsel(bela, D(2024, 5, 6), "menolak", "mitos")
    counsel(cici, D(2024, 5, 7), "tertarik", referral="pelayanan")  # referred, not served
    counsel(dewi, D(2024, 4, 20), "belum", "biaya")  # before the start: not counted
    counsel(dewi, D(2024, 6, 3), "belum", "biaya")  # after the end: not counted
    return make_campaign(DESA)


def test_each_stage_of_the_drive_is_on_its_page(client, personas, drive):
    client.force_login(personas["pkb"].user)
    response = client.get(url(drive))
    assert response.status_code == 200
    body = response.content.decode()
    assert [stage(body, name) for name in ("prospects", "counselled", "referred", "served")] == ["4", "3", "2", "1"]
    assert "(75,00%)" in body and "(50,00%)" in body and "(25,00%)" in body  # shares of the 4 prospects
    assert child_row(body, RW_1) == ["4", "3", "2", "1"] and child_row(body, RW_2) == ["0", "0", "0", "0"]
    assert "Takut (rasa sakit, pemasangan): 1" in body and "Mitos atau kabar burung: 1" in body
    assert "Biaya" not in body  # Dewi's reasons fall outside the dates
    assert "Corong kampanye (1 Mei 2024 – 31 Mei 2024)" in body
    assert "ganti cara ke metode MKJP mana pun" in body
    assert 'data-campaign-figure="register"' in body and "campaign-actions" not in body  # the card, no buttons


def test_a_campaign_not_started_says_when_its_funnel_starts(client, personas, tree):
    start = timezone.localdate() + datetime.timedelta(days=7)
    campaign = make_campaign(DESA, start=start, end=start + datetime.timedelta(days=30))
    client.force_login(personas["opd"].user)
    body = client.get(url(campaign)).content.decode()
    assert "Kampanye belum mulai: corong dihitung mulai" in body and 'data-stage="' not in body


def test_a_running_campaign_counts_until_today(client, personas, tree):
    today = timezone.localdate()
    campaign = make_campaign(DESA, start=today - datetime.timedelta(days=3), end=today + datetime.timedelta(days=20))
    counsel(make_couple(RT, "tial", since=OLD), today - datetime.timedelta(days=1), "belum", "jarak")
    counsel(make_couple(RT, "tial", since=OLD), today + datetime.timedelta(days=2), "belum", "jarak")  # not yet
    client.force_login(personas["admin"].user)
    body = client.get(url(campaign)).content.decode()
    assert (stage(body, "prospects"), stage(body, "counselled")) == ("2", "1")


@pytest.mark.parametrize("persona", ["kader", "outsider"])
def test_out_of_scope_the_page_is_not_found(client, personas, drive, persona):
    """The kader of one RT may not read her desa; the outsider is in another kabupaten."""
    client.force_login(personas[persona].user)
    response = client.get(url(drive))
    assert response.status_code == 404 and "Bulan MKJP" not in response.content.decode()


def test_a_campaign_of_another_unit_is_not_found(client, personas, drive):
    above = make_campaign("32.14.01", name="Kampanye kecamatan")
    client.force_login(personas["opd"].user)
    assert client.get(url(drive, code="32.14")).status_code == 404  # the desa's campaign under the kabupaten
    assert client.get(url(drive, code=RW_1)).status_code == 404  # ... under one of its RWs
    assert client.get(url(above, code=DESA)).status_code == 404  # the kecamatan's under one of its desa
    assert client.get(url(above)).status_code == 200


@pytest.mark.parametrize("persona", ["opd", "admin", "pkb"])
def test_readers_see_sums_and_no_names(client, personas, drive, persona):
    client.force_login(personas[persona].user)
    response = client.get(url(drive))
    assert response.status_code == 200
    body = response.content.decode()
    assert stage(body, "served") == "1"
    for name in NAMES + ("Asep", "Budi", "Cecep", "Dadan"):
        assert name.split()[0] not in body, name


def test_the_list_links_each_readable_campaign_to_its_funnel(client, personas, drive):
    client.force_login(personas["pkb"].user)
    body = client.get(reverse("campaigns", args=[DESA])).content.decode()
    assert f'href="{url(drive)}">Lihat corong</a>' in body
    client.force_login(personas["kader"].user)  # her RT's list shows the desa's campaign, not its page
    body = client.get(reverse("campaigns", args=[RT])).content.decode()
    assert "Bulan MKJP" in body and "Lihat corong" not in body


def grow():
    """Forty more prospects over three more RTs (one in another RW), each counselled and referred."""
    for code in (RW_1 + ".002", RW_2 + ".001", RW_1 + ".001"):
        histories = [[(OLD, "suntik", "swasta")]] * 10 + [[(OLD, "tial", "")]] * 4
        couples = bulk_couples(code, histories, born=D(1980, 1, 1))  # over 35: prospects
        Counselling.objects.bulk_create(
            Counselling(couple=couple, date=D(2024, 5, 20), outcome="belum", reason="efek", referral="swasta")
            for couple in couples)


def test_the_page_s_queries_do_not_grow_with_the_data(client, personas, drive, django_assert_max_num_queries,
                                                       django_assert_num_queries):
    client.force_login(personas["opd"].user)
    client.get("/healthz")  # the session's first save with its time, not the page's
    with django_assert_max_num_queries(QUERIES) as small:
        assert client.get(url(drive)).status_code == 200
    grow()
    with django_assert_num_queries(len(small)):
        body = client.get(url(drive)).content.decode()
    assert (stage(body, "prospects"), stage(body, "counselled"), stage(body, "referred")) == ("46", "45", "44")
    assert child_row(body, RW_2) == ["14", "14", "14", "0"]
