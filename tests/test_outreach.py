"""MKJP prospects, counselling and the funnel, checked by number against the register; who sees
names and reasons (cadres, PKB, admins) and who sees only sums (the OPD)."""

import datetime

import pytest
from django.urls import reverse

from cadres.models import Counselling
from cadres.register.outreach import funnel, prospect_list
from tests.factories import make_unit
from tests.register_factories import make_couple, set_status

RT = "32.14.01.2001.001.001"
OTHER_RT = "32.14.01.2001.002.001"
DESA = "32.14.01.2001"
D = datetime.date
NOV, END = D(2026, 11, 1), D(2026, 11, 27)
OLD = D(2020, 1, 15)


def counsel(couple, day, outcome, reason="", referral=""):
    return Counselling.objects.create(couple=couple, date=day, outcome=outcome, reason=reason, referral=referral)


@pytest.fixture
def drive(tree):
    """A November drive in one desa: who is a prospect, who was counselled, referred, served."""
    make_unit(OTHER_RT)
    c = {
        "ani": make_couple(RT, "suntik", since=OLD, children=3, wife_name="Ani"),  # counselled twice, switches
        "bela": make_couple(RT, "tial", since=OLD, wife_name="Bela"),  # refuses: myths
        "cici": make_couple(RT, "pil", since=OLD, born=D(1986, 2, 1), wife_name="Cici"),  # over 35, not reached
        "dewi": make_couple(RT, "iat", since=OLD, born=D(1996, 1, 1), wife_name="Dewi"),  # 1 child, 30: no
        "euis": make_couple(RT, "implan", since=OLD, children=4, wife_name="Euis"),  # already MKJP
        "fitri": make_couple(RT, "hamil", since=D(2026, 9, 1), children=3, wife_name="Fitri"),  # pregnant
        "gina": make_couple(RT, "ias", since=OLD, children=3, wife_name="Gina"),  # never used: a PB into IUD
        "hana": make_couple(RT, "suntik", since=OLD, children=3, wife_name="Hana"),  # counselled in October
        "iis": make_couple(OTHER_RT, "pil", since=OLD, children=3, wife_name="Iis"),  # the other RW
    }
    counsel(c["ani"], D(2026, 11, 5), "belum", "takut")
    counsel(c["ani"], D(2026, 11, 10), "tertarik", referral="puskesmas")
    set_status(c["ani"], D(2026, 11, 15), "implan")  # a switch into MKJP: served
    counsel(c["bela"], D(2026, 11, 6), "menolak", "mitos")
    counsel(c["gina"], D(2026, 11, 7), "tertarik", referral="pelayanan")
    set_status(c["gina"], D(2026, 11, 20), "iud")  # a first use: PB into MKJP, served
    counsel(c["hana"], D(2026, 10, 20), "belum", "biaya")
    counsel(c["iis"], D(2026, 11, 8), "belum", "suami")
    return c


def test_the_funnel_of_an_rt_equals_the_register(drive):
    rt = funnel(RT, NOV, END)
    assert rt.stages == {"prospects": 5, "counselled": 3, "referred": 2, "served": 2}  # Ani, Bela, Cici, Gina, Hana
    assert {key: n for key, n in rt.reasons.items() if n} == {"takut": 1, "mitos": 1}
    assert rt.children == {}


def test_the_funnel_of_a_desa_sums_its_rws(drive, django_assert_num_queries):
    with django_assert_num_queries(3):
        desa = funnel(DESA, NOV, END)
    assert desa.stages == {"prospects": 6, "counselled": 4, "referred": 2, "served": 2}
    assert desa.children == {DESA + ".001": {"prospects": 5, "counselled": 3, "referred": 2, "served": 2},
                             DESA + ".002": {"prospects": 1, "counselled": 1, "referred": 0, "served": 0}}
    assert {key: n for key, n in desa.reasons.items() if n} == {"takut": 1, "mitos": 1, "suami": 1}


def test_today_s_prospects_carry_their_last_counselling(drive):
    today = prospect_list(RT, END)
    # Ani and Gina use MKJP now; Bela, Cici and Hana are still to reach.
    assert [(c.wife_name, c.last_outcome_label) for c in today] == [
        ("Bela", "Menolak"), ("Cici", ""), ("Hana", "Belum memutuskan")]


def test_a_kader_records_a_counselling_with_a_reason(client, personas, drive):
    client.force_login(personas["kader"].user)
    url = reverse("counselling_new", args=[drive["cici"].pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"date": "2026-11-20", "outcome": "belum"})
    assert refused.status_code == 200 and "Pilih alasan belum memilih MKJP." in refused.content.decode()
    response = client.post(url, {"date": "20/11/2026", "outcome": "belum", "reason": "efek", "note": "takut gemuk",
                                 "referral": ""})
    assert response.status_code == 302 and response.url == f"/prospek/{RT}/"
    saved = Counselling.objects.get(couple=drive["cici"])
    assert (saved.outcome, saved.reason, saved.note, saved.counsellor) == (
        "belum", "efek", "takut gemuk", personas["kader"].user)


@pytest.mark.parametrize(("persona", "names", "status"), [
    ("kader", True, 200), ("pkb", True, 200), ("admin", True, 200), ("opd", False, 200), ("outsider", False, 404),
])
def test_names_and_reasons_only_for_those_who_counsel(client, personas, drive, persona, names, status):
    client.force_login(personas[persona].user)
    response = client.get(reverse("prospects", args=[RT if persona == "kader" else DESA]))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert ("Bela" in body) == names and 'data-stage="prospects"' in body
        counselling = client.get(reverse("counselling_new", args=[drive["bela"].pk]))
        assert counselling.status_code == (200 if persona in ("kader", "pkb", "admin") else 403)
