"""/wilayah/<code>/<period>/rekap.json: the recap (docs/interfaces.md) for logged-in users in scope."""

import datetime

import pytest
from django.urls import reverse

from cadres.models import Unit
from reports.numbers.recap import recap_for, to_jsonable
from tests.report_factories import make_report


@pytest.fixture
def reports(tree):
    make_report("32.14.01.2001.001.001", "2020-11", pus=30, suntik_pemerintah=20, iat=3, pb_suntik=2)
    make_report("32.14.01.2001.001.002", "2020-11", pus=10, iud_swasta=4)
    make_report("32.14.01.2002.001.001", "2020-11", pus=8, pil_swasta=8)
    make_report("32.15.01.2001.001.001", "2020-11", pus=99)


def url(code, period="2020-11"):
    return f"/wilayah/{code}/{period}/rekap.json"


def test_the_url_has_a_name():
    assert reverse("recap_json", kwargs={"code": "32.14", "period": "2020-11"}) == url("32.14")


def test_it_gives_the_recap_to_a_user_in_scope(client, personas, reports):
    client.force_login(personas["pkb"].user)
    response = client.get(url("32.14.01.2001"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    recap = response.json()
    assert recap == to_jsonable(recap_for(Unit.objects.get(code="32.14.01.2001"), datetime.date(2020, 11, 1)))
    assert (recap["pus"], recap["pa"], recap["pct"]["cpr"]) == (40, 24, 60.0)
    assert recap["reports"] == {"expected": 2, "received": 2}
    assert [child["unit"]["code"] for child in recap["children"]] == ["32.14.01.2001.001"]


def test_the_opd_sees_its_kabupaten(client, personas, reports):
    client.force_login(personas["opd"].user)
    recap = client.get(url("32.14")).json()
    assert recap["pus"] == 48
    assert recap["reports"] == {"expected": 4, "received": 3}
    assert '"cpr": 66.67' in client.get(url("32.14")).content.decode()  # 32/48, a JSON number


def test_a_kader_sees_their_rt(client, personas, reports):
    client.force_login(personas["kader"].user)
    recap = client.get(url("32.14.01.2001.001.001")).json()
    assert recap["unit"]["level"] == "rt" and recap["pus"] == 30 and recap["children"] == []


@pytest.mark.parametrize("persona", ["kader", "pkb", "opd", "outsider"])
def test_it_is_404_outside_the_scope(client, personas, reports, persona):
    client.force_login(personas[persona].user)
    response = client.get(url(personas[persona].outside))
    assert response.status_code == 404
    assert personas[persona].outside not in response.content.decode()


def test_anonymous_users_are_sent_to_the_login_page(client, reports):
    response = client.get(url("32.14"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_bad_period_or_unknown_unit_is_404(client, personas, reports):
    client.force_login(personas["admin"].user)
    assert client.get(url("32.14", "2020-13")).status_code == 404
    assert client.get(url("32.14", "abc")).status_code == 404
    assert client.get(url("99.99")).status_code == 404


def test_the_dashboard_still_answers(client, personas, reports):
    client.force_login(personas["pkb"].user)
    assert client.get("/wilayah/32.14.01.2001/2020-11/").status_code == 200
