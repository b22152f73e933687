"""The PPKBD's desa activities: the poktan form at /kegiatan/<desa>/<period>/, desa_activity_save,
and desa_activity_sums over any subtree (shown on the PKB's queue); meetings and KIE sessions are
counted from the activities recorded as events (tests/test_activity_events.py)."""

import datetime

import pytest

from cadres.models import Role, Unit
from reports.models import DesaActivityReport, PoktanActivity
from reports.monthly.activities import activity_keys, desa_activity_save, desa_activity_sums
from reports.monthly.deadlines import period_close
from reports.monthly.events import activity_save
from reports.monthly.locking import StaleReport, WorkflowError
from tests.factories import make_user

DESA = "32.14.01.2001"
NOV = datetime.date(2020, 11, 1)
URL = f"/kegiatan/{DESA}/2020-11/"
EMPTY = {kind: dict.fromkeys(["families_targeted", "members", "members_pus", "members_pus_kb", "meetings"], 0)
         for kind in ["bkb", "bkr", "bkl", "uppka", "pik_r"]}


def activity(**values):
    return dict.fromkeys(activity_keys(), 0) | values


def post(version=0, **values):
    return {key: str(value) for key, value in activity(**values).items()} | {"version": str(version)}


@pytest.fixture
def ppkbd(tree):
    return make_user("ppkbd", Role.KADER, DESA)


def save(user, desa=DESA, version=0, **values):
    return desa_activity_save(desa=Unit.objects.get(code=desa), period=NOV, values=activity(**values),
                              version=version, by=user)


def meet(user, unit=DESA, kind="pertemuan", day=datetime.date(2020, 11, 10), times=1):
    """Records `times` activities of a kind: what the month's meetings and KIE sessions count."""
    values = {"date": day, "kind": kind, "place": "Balai desa", "topics": [], "speaker": "", "speaker_institution": "",
              "audience": "", "attendance": 10, "summary": ""}
    for _ in range(times):
        activity_save(unit=Unit.objects.get(code=unit), by=user, values=values)


def test_the_ppkbd_saves_the_desa_activities(client, ppkbd):
    client.force_login(ppkbd)
    page = client.get(URL)
    assert page.status_code == 200 and page.context["form"]["bkb_members"].value() is None
    assert "meetings" not in page.context["form"].fields  # counted from the activities recorded
    response = client.post(URL, post(bkb_families_targeted=40, bkb_members=25,
                                      bkb_members_pus=20, bkb_members_pus_kb=15, bkb_meetings=1))
    assert response.status_code == 302 and response.url == URL
    report = DesaActivityReport.objects.get()
    assert (report.meetings, report.kie_sessions, report.version, report.updated_by) == (0, 0, 1, ppkbd)
    bkb = report.poktan.get(kind="bkb")
    assert bkb.values() == {"families_targeted": 40, "members": 25, "members_pus": 20, "members_pus_kb": 15,
                            "meetings": 1}
    assert sorted(report.poktan.values_list("kind", flat=True)) == ["bkb", "bkl", "bkr", "pik_r", "uppka"]
    again = client.get(URL)
    assert again.context["form"]["bkb_members"].value() == 25 and again.context["form"]["version"].value() == 1
    assert report.history.first().history_user == ppkbd


def test_a_blank_or_impossible_number_is_an_error_naming_it(client, ppkbd):
    client.force_login(ppkbd)
    data = post(uppka_members=5, uppka_members_pus=6, pik_r_members=4, pik_r_members_pus=3, pik_r_members_pus_kb=4)
    data["bkr_meetings"] = ""
    response = client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "bkr_meetings": ["BKR: pertemuan wajib diisi (tulis 0 bila tidak ada)."],
        "uppka_members_pus": ["Anggota PUS tidak boleh lebih dari anggota (5)."],
        "pik_r_members_pus_kb": ["Anggota PUS ber-KB tidak boleh lebih dari anggota PUS (3)."],
    }
    assert DesaActivityReport.objects.count() == 0


def test_the_sums_over_a_subtree_take_one_query(ppkbd, personas, django_assert_num_queries):
    meet(ppkbd, times=2)
    meet(ppkbd, kind="kie")
    save(ppkbd, version=1, bkb_members=10, bkb_members_pus=8, bkb_meetings=1)
    meet(personas["pkb"].user, unit="32.14.01.2002.001", kind="pertemuan_rutin")  # an RW's counts in its desa
    meet(personas["pkb"].user, unit="32.14.01.2002", kind="kie", times=4)
    meet(personas["pkb"].user, unit="32.14.01.2002", kind="pelatihan")  # coaching: neither
    save(personas["pkb"].user, desa="32.14.01.2002", version=1, bkb_members=5, bkl_families_targeted=9)
    meet(personas["admin"].user, unit="32.14.02.2001", kind="mini_lokakarya", times=7)
    with django_assert_num_queries(1):
        sums = desa_activity_sums("32.14.01", NOV)
    assert sums == {
        "reports": 2, "meetings": 3, "kie_sessions": 5,
        "poktan": EMPTY | {
            "bkb": {"families_targeted": 0, "members": 15, "members_pus": 8, "members_pus_kb": 0, "meetings": 1},
            "bkl": {"families_targeted": 9, "members": 0, "members_pus": 0, "members_pus_kb": 0, "meetings": 0},
        },
    }
    assert desa_activity_sums("32.14", NOV)["meetings"] == 10
    assert desa_activity_sums(DESA, NOV)["meetings"] == 2
    assert desa_activity_sums(f"{DESA}.001", NOV) == {"reports": 0, "meetings": 0, "kie_sessions": 0, "poktan": EMPTY}


def test_the_queue_and_the_kecamatan_page_show_the_sums(client, ppkbd, personas):
    meet(ppkbd, times=2)
    meet(ppkbd, kind="kie", times=3)
    save(ppkbd, version=1, pik_r_members=12)
    client.force_login(personas["pkb"].user)
    queue = client.get(f"/verifikasi/{DESA}/2020-11/").content.decode()
    assert '<strong data-sum="meetings">2</strong>' in queue and '<strong data-sum="kie_sessions">3</strong>' in queue
    client.force_login(personas["opd"].user)
    page = client.get("/kegiatan/32.14.01/2020-11/")
    assert page.context["sums"]["poktan"]["pik_r"]["members"] == 12
    assert f'href="/kegiatan/{DESA}/2020-11/"' in page.content.decode()  # a kecamatan lists its desa


def test_only_writers_in_scope_save_activities(client, personas, ppkbd):
    client.force_login(personas["opd"].user)
    assert client.get(URL).status_code == 200 and "form" not in client.get(URL).context
    assert client.post(URL, post(bkb_members=1)).status_code == 403
    client.force_login(personas["kader"].user)  # an RT's kader does not see the desa
    assert client.post(URL, post(bkb_members=1)).status_code == 404
    assert DesaActivityReport.objects.count() == 0
    with pytest.raises(WorkflowError) as error:
        save(personas["kader"].user)
    assert error.value.message == "Anda tidak boleh mengisi kegiatan desa ini."


def test_a_second_save_from_the_same_version_is_refused_and_keeps_the_input(client, ppkbd, personas):
    save(personas["pkb"].user, bkb_members=1)
    client.force_login(ppkbd)
    response = client.post(URL, post(version=0, bkb_members=5))
    assert response.status_code == 409
    assert "sudah diubah oleh pkb" in response.context["form"].non_field_errors()[0]
    assert response.context["form"]["bkb_members"].value() == "5"
    assert response.context["form"]["version"].value() == "1"
    with pytest.raises(StaleReport):
        save(ppkbd, version=0, bkb_members=6)
    assert PoktanActivity.objects.get(kind="bkb").members == 1


def test_a_closed_month_refuses_activities(client, ppkbd, personas):
    period_close(kabupaten="32.14", period=NOV, by=personas["opd"].user)
    client.force_login(ppkbd)
    assert "form" not in client.get(URL).context
    response = client.post(URL, post(bkb_members=1))
    assert "sudah ditutup oleh OPD KB" in response.context["form"].non_field_errors()[0]
    assert DesaActivityReport.objects.count() == PoktanActivity.objects.count() == 0


def test_rw_and_rt_pages_say_the_poktan_numbers_belong_to_the_desa(client, personas):
    client.force_login(personas["kader"].user)
    page = client.get("/kegiatan/32.14.01.2001.001.001/2020-11/")
    assert page.status_code == 200 and page.context["can_record"]  # a POK KB records its own meetings
    assert "Angka poktan dilaporkan oleh PPKBD untuk seluruh desa." in page.content.decode()
