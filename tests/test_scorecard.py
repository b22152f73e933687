"""The 6 Peran Bakti scorecard: each role judged by hand-built facts, a desa built so that each
role is met or missed for a known reason, the kecamatan table's order, the year view, the
self-reliance entry, and the queries."""

import datetime

import pytest

from cadres.models import Cadre, Counselling, Institution, Unit
from reports.models import ReportStatus, SelfReliance
from reports.monthly.activities import desa_activity_save
from reports.monthly.deadlines import deadline, period_close
from reports.scorecard.roles import Facts, judge
from reports.scorecard.tables import child_rows, month_rows, year_rows
from tests.activity_factories import make_activity
from tests.factories import make_unit, make_user, system_admin
from tests.register_factories import make_couple
from tests.report_factories import make_report

D = datetime.date
NOV = D(2020, 11, 1)
DESA, RW, RT1, RT2 = "32.14.01.2001", "32.14.01.2001.001", "32.14.01.2001.001.001", "32.14.01.2001.001.002"


def test_each_role_is_judged_with_its_reason():
    empty = judge(Facts(kind="sub_ppkbd", board={"ketua"}, rts=2))
    assert [(r.key, r.met, r.reason) for r in empty] == [
        ("organising", False, "Belum ada sekretaris."),
        ("meetings", False, "Tidak ada pertemuan yang dicatat."),
        ("kie", False, "0 penyuluhan, 0 konseling."),
        ("recording", False, "Laporan RT tepat waktu 0 dari 2; register tidak diperbarui."),
        ("services", False, "0 hari pelayanan, 0 rujukan."),
        ("self_reliance", False, "Iuran Rp0, 0 kali ulang pil/kondom."),
    ]
    full = judge(Facts(kind="ppkbd", board={"ketua", "sekretaris", "bendahara"}, meetings=1, counselled=3, rts=2,
                       reports_on_time=2, register_changes=4, poktan_saved=True, poktan_active=1, dues=150000))
    assert [r.met for r in full] == [True] * 6
    assert full[3].reason == "Laporan tepat waktu, register diperbarui (4 perubahan)."
    assert full[5].reason == "Iuran Rp150.000, 0 kali ulang pil/kondom."
    unsaved = judge(Facts(kind="ppkbd", rts=0, register_changes=1))[3]
    assert (unsaved.met, unsaved.reason) == (False, "Angka poktan belum diisi.")


def on_time(rt, **counts):
    report = make_report(rt, NOV, status=ReportStatus.SUBMITTED, **counts)
    report.first_submitted_at = deadline(NOV) - datetime.timedelta(days=1)
    report.save()


@pytest.fixture
def desa(tree):
    """A PPKBD meeting every role but KIE; a Sub-PPKBD missing its sekretaris and its meeting; two
    POK KB: one with a late report and no register change, one doing its work."""
    admin = system_admin()
    ppkbd = Institution.objects.create(unit_id=DESA, kind="ppkbd", name="Melati")
    sub = Institution.objects.create(unit_id=RW, kind="sub_ppkbd", name="Mawar")
    pok1 = Institution.objects.create(unit_id=RT1, kind="pok_kb", name="Anggrek")
    pok2 = Institution.objects.create(unit_id=RT2, kind="pok_kb", name="Kenanga")
    for institution, positions in ((ppkbd, ["ketua", "sekretaris", "bendahara"]), (sub, ["ketua", "bendahara"]),
                                   (pok1, ["ketua"]), (pok2, ["ketua"])):
        for position in positions:
            Cadre.objects.create(institution=institution, name=f"{position} {institution.name}", position=position)
    Cadre.objects.create(institution=sub, name="Baru", position="sekretaris", since=D(2020, 12, 5))  # after Nov
    make_activity(DESA, kind="mini_lokakarya", by=admin)
    make_activity(RT2, kind="pertemuan", by=admin)
    make_activity(RT2, kind="kie", by=admin)
    make_activity(RW, kind="pelayanan", by=admin)  # a service day in the RW: its desa's too, not its RTs'
    late = make_report(RT1, NOV, status=ReportStatus.SUBMITTED, pil_pemerintah=1)
    late.first_submitted_at = deadline(NOV) + datetime.timedelta(days=2)
    late.save()
    on_time(RT2, pil_pemerintah=1)
    couple = make_couple(RT2, "pil", since=D(2019, 1, 5))
    make_couple(RT2, "suntik", since=D(2020, 11, 20))  # a couple added in November: a register change
    Counselling.objects.create(couple=couple, counsellor=admin, date=D(2020, 11, 8), outcome="tertarik",
                               referral="puskesmas")
    values = {f"{kind}_{name}": 0 for kind in ("bkb", "bkr", "bkl", "uppka", "pik_r")
              for name in ("families_targeted", "members", "members_pus", "members_pus_kb", "meetings")}
    desa_activity_save(desa=ppkbd.unit, period=NOV, values=values | {"bkb_members": 12}, version=1, by=admin)
    SelfReliance.objects.create(institution=ppkbd, period=NOV, dues=50000)
    return {"ppkbd": ppkbd, "sub": sub, "pok1": pok1, "pok2": pok2}


def met(row) -> dict[str, bool]:
    return {role.key: role.met for role in row.roles}


def test_a_desa_whose_institutions_meet_or_miss_each_role_for_a_known_reason(desa):
    rows = {row.institution.name: row for row in month_rows(DESA, NOV)}
    assert met(rows["Melati"]) == {"organising": True, "meetings": True, "kie": True, "recording": False,
                                   "services": True, "self_reliance": True}
    assert rows["Melati"].roles[2].reason == "0 penyuluhan, 1 konseling."  # counselled in its desa
    assert rows["Melati"].roles[3].reason == "Laporan RT tepat waktu 1 dari 2."
    assert rows["Melati"].roles[4].reason == "1 hari pelayanan, 1 rujukan, 1 poktan aktif."  # the RW's, in its desa
    assert met(rows["Mawar"]) == {"organising": False, "meetings": False, "kie": True, "recording": False,
                                  "services": True, "self_reliance": False}
    assert rows["Mawar"].roles[0].reason == "Belum ada sekretaris."  # the new one starts in December
    assert rows["Mawar"].roles[4].reason == "1 hari pelayanan, 1 rujukan."
    assert met(rows["Anggrek"]) == {"organising": True, "meetings": False, "kie": False, "recording": False,
                                    "services": False, "self_reliance": False}
    assert rows["Anggrek"].roles[3].reason == "Laporan RT tepat waktu 0 dari 1; register tidak diperbarui."
    assert met(rows["Kenanga"]) == {"organising": True, "meetings": True, "kie": True, "recording": True,
                                    "services": True, "self_reliance": False}
    assert [row.institution.name for row in month_rows(DESA, NOV)] == ["Anggrek", "Mawar", "Melati", "Kenanga"]  # 1, 2, 5, 5
    assert [row.institution.name for row in month_rows(DESA, NOV, "nama")] == ["Melati", "Mawar", "Anggrek", "Kenanga"]


def test_the_kecamatan_table_counts_institutions_per_desa_weakest_first(desa, personas):
    Institution.objects.create(unit_id="32.14.01.2002", kind="ppkbd", name="Dahlia")  # no board, nothing done
    rows = child_rows(Unit.objects.get(code="32.14.01"), NOV, NOV)
    assert [(row.unit.code, row.total, row.met_counts, row.all_six) for row in rows] == [
        ("32.14.01.2001", 4, [3, 2, 3, 1, 3, 1], 0),
        ("32.14.01.2002", 1, [0, 0, 0, 0, 0, 0], 0),
    ]


def test_the_year_counts_the_months_with_all_six(desa):
    SelfReliance.objects.create(institution=desa["pok2"], period=NOV, dues=10000)
    rows = {row.institution.name: row for row in year_rows(RT2, 2020, NOV)}
    assert rows["Kenanga"].scores == [1] * 10 + [6, None]  # only its board before November; December not yet
    assert rows["Kenanga"].full_months == 1


def test_the_pages_show_the_roles_to_the_pkb_and_the_counts_to_the_opd(client, desa, personas):
    client.force_login(personas["pkb"].user)
    page = client.get(f"/peran-bakti/{DESA}/2020-11/")
    body = page.content.decode()
    assert page.status_code == 200 and f'data-institution="{desa["pok1"].pk}" data-score="1"' in body
    assert "Laporan RT tepat waktu 0 dari 1; register tidak diperbarui." in body
    assert f"/peran-bakti/imp/{desa['ppkbd'].pk}/2020-11/" in body  # the PKB may fill it in
    client.force_login(personas["opd"].user)
    page = client.get("/peran-bakti/32.14/2020-11/")
    assert [row.unit.code for row in page.context["child_rows"]] == ["32.14.01", "32.14.02"]
    assert "Isi iuran" not in client.get(f"/peran-bakti/{DESA}/2020-11/").content.decode()
    year = client.get("/peran-bakti/32.14.01/tahun/2020/")
    assert year.status_code == 200 and len(year.context["child_rows"][0].shares) == 12
    assert client.get("/peran-bakti/32.14.01/tahun/1999/").status_code == 404
    client.force_login(personas["outsider"].user)
    assert client.get(f"/peran-bakti/{DESA}/2020-11/").status_code == 404


def test_the_self_reliance_entry_saves_meets_a_conflict_and_names_bad_input(client, desa, personas):
    url = f"/peran-bakti/imp/{desa['pok2'].pk}/2020-11/"
    client.force_login(personas["kader"].user)  # the RT1 kader: not RT2's
    assert client.get(url).status_code == 404
    kader2 = make_user("kader2", "kader", RT2)
    client.force_login(kader2)
    assert client.post(url, {"dues": "25000", "note": "jimpitan", "version": "0"}).status_code == 302
    entry = SelfReliance.objects.get(institution=desa["pok2"])
    assert (entry.dues, entry.updated_by, entry.history.get().history_user) == (25000, kader2, kader2)
    assert [r.met for r in month_rows(RT2, NOV)[0].roles][5] is True
    response = client.post(url, {"dues": "30000", "note": "", "version": "0"})  # opened before the save
    assert response.status_code == 409 and "sudah diubah oleh kader2" in response.content.decode()
    for typed in ("25,5", "-5", "2.50", "dua puluh", "1.000.000.000"):
        response = client.post(url, {"dues": typed, "note": "", "version": "1"})
        assert response.status_code == 200 and list(response.context["form"].errors) == ["dues"], typed
    assert SelfReliance.objects.get(institution=desa["pok2"]).dues == 25000
    assert client.post(url, {"dues": "Rp 40.000", "note": "", "version": "1"}).status_code == 302
    assert SelfReliance.objects.get(institution=desa["pok2"]).dues == 40000  # dots group thousands, as Indonesians write them
    client.force_login(personas["opd"].user)
    assert client.post(url, {"dues": "1", "note": "", "version": "2"}).status_code == 403
    period_close(kabupaten="32.14", period=NOV, by=personas["opd"].user)
    client.force_login(kader2)
    response = client.post(url, {"dues": "1", "note": "", "version": "2"})
    assert "sudah ditutup oleh OPD KB" in response.content.decode() and SelfReliance.objects.get(institution=desa["pok2"]).dues == 40000


def test_the_scorecard_takes_the_same_queries_whatever_the_number_of_institutions(
        client, desa, personas, django_assert_max_num_queries):
    client.force_login(personas["pkb"].user)
    with django_assert_max_num_queries(20) as queries:
        client.get(f"/peran-bakti/{DESA}/2020-11/")
    for number in range(3, 9):
        rt = f"{DESA}.002.00{number}"
        make_unit(rt)
        institution = Institution.objects.create(unit_id=rt, kind="pok_kb", name=f"POK {number}")
        Cadre.objects.create(institution=institution, name="Ketua", position="ketua")
        make_activity(rt, kind="pertemuan")
        on_time(rt, pil_pemerintah=2)
    with django_assert_max_num_queries(len(queries)):
        page = client.get(f"/peran-bakti/{DESA}/2020-11/")
    assert len(page.context["rows"]) == 10
    with django_assert_max_num_queries(len(queries) + 1):  # the year: the same tables, once each
        client.get(f"/peran-bakti/{DESA}/tahun/2020/")


def test_the_kecamatan_table_puts_the_desa_with_the_smallest_share_meeting_all_six_first(desa):
    SelfReliance.objects.create(institution=desa["pok2"], period=NOV, dues=10000)  # Kenanga: all six
    Institution.objects.create(unit_id="32.14.01.2002", kind="ppkbd", name="Dahlia")
    kecamatan = Unit.objects.get(code="32.14.01")
    rows = child_rows(kecamatan, NOV, NOV)
    assert [(row.unit.code, row.all_six, row.total, str(row.all_six_pct)) for row in rows] == [
        ("32.14.01.2002", 0, 1, "0.00"), ("32.14.01.2001", 1, 4, "25.00")]
    assert [row.unit.code for row in child_rows(kecamatan, NOV, NOV, "nama")] == ["32.14.01.2001", "32.14.01.2002"]
