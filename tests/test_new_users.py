"""New users as BKKBN counts them, end to end: a cadre writing her RT's existing users into the
register adds no PB; a month built in the register and sent as a report gives the same PB, PB
pasca and switches from both sources."""

import datetime

import pytest
from django.utils import timezone

from cadres.indicators import METHODS
from cadres.models import Unit
from reports.monthly.workflow import report_submit
from reports.numbers.recap import recap_for, to_jsonable
from reports.numbers.register_month import rt_counts
from tests.register_factories import bulk_couples, set_status, make_couple
from tests.report_factories import make_target

RT = "32.14.01.2001.001.001"
DESA = "32.14.01.2001"


def register_recap(code, period):
    return to_jsonable(recap_for(Unit.objects.get(code=code), period, "register"))


@pytest.fixture
def month():
    return timezone.localdate().replace(day=1)


def test_thirty_continuing_users_written_in_one_day_add_no_pb_and_leave_the_ppm_unchanged(
        client, personas, tree, month):
    make_target(DESA, month.year, suntik=10, pil=10)
    bulk_couples(RT, [[(month, "suntik", "pemerintah")]] * 3, registered=month, first_use="pb")  # 3 true PB
    before = register_recap(DESA, month)
    assert (before["pus"], before["pb"], before["ppm"]["pb_ytd_total"], before["ppm"]["pct"]) == (3, 3, 3, 15.0)

    client.force_login(personas["kader"].user)
    today = timezone.localdate()
    for number in range(30):  # the paper register, typed in one afternoon, as the form comes
        response = client.post(f"/register/{RT}/tambah/", {
            "wife_name": f"Istri {number}", "wife_age": "30", "husband_name": f"Suami {number}", "children": "2",
            "registered_on": today.strftime("%d/%m/%Y"), "status": "pil" if number % 2 else "suntik",
            "place": "pemerintah",
        })
        assert response.status_code == 302, response.content.decode()[:500]

    after = register_recap(DESA, month)
    assert (after["pus"], after["pa"]) == (33, 33)
    assert (after["pb"], after["ppm"]["pb_ytd_total"], after["ppm"]["pct"]) == (3, 3, 15.0)
    form = client.get(f"/laporan/{RT}/{month:%Y-%m}/").context["form"]
    assert sum(form[f"pb_{method}"].value() for method in METHODS) == 3
    assert form["pus"].value() == 33


def test_both_sources_agree_on_a_month_built_the_same_way(personas, tree):
    """November 2020 in two RTs of unequal size: the register's month, sent as the cadre's
    prefilled report, gives the same recap from the reports as from the register."""
    nov = datetime.date(2020, 11, 1)
    big, small = RT, "32.14.01.2001.001.002"
    bulk_couples(big, [[(datetime.date(2019, 3, 1), "suntik", "swasta")]] * 20)
    bulk_couples(big, [[(datetime.date(2019, 3, 1), "suntik", "swasta"), (datetime.date(2020, 11, 9), "implan",
                                                                            "pemerintah")]] * 4)  # GC
    bulk_couples(big, [[(datetime.date(2020, 2, 1), "hamil", ""), (datetime.date(2020, 11, 3), "iud", "swasta")]])
    bulk_couples(small, [[(datetime.date(2019, 3, 1), "ias", ""), (datetime.date(2020, 11, 20), "pil",
                                                                       "pemerintah")]] * 2)  # PB
    drop_out = make_couple(small, "kondom", "swasta", since=datetime.date(2019, 3, 1))
    set_status(drop_out, datetime.date(2020, 11, 4), "tial")
    for rt, counts in rt_counts(DESA, nov).items():
        report_submit(rt=Unit.objects.get(code=rt), period=nov, counts=counts, corrections={}, version=0,
                      by=personas["admin"].user)
    from_reports = to_jsonable(recap_for(Unit.objects.get(code=DESA), nov))
    from_register = register_recap(DESA, nov)
    keys = ("pus", "pa", "methods", "non_users", "pb", "pb_methods", "pb_pasca", "gc", "gc_methods", "gc_mkjp")
    assert {key: from_reports[key] for key in keys} == {key: from_register[key] for key in keys}
    assert (from_register["pb"], from_register["pb_pasca"], from_register["gc"], from_register["gc_mkjp"]) == (3, 1, 4, 4)
    assert from_register["gc_methods"]["implan"] == 4 and from_register["pb_methods"] == {
        "iud": 1, "implan": 0, "mow": 0, "mop": 0, "suntik": 0, "pil": 2, "kondom": 0}
