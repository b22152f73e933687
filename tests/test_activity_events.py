"""Activities as events: recording one through the PPKBD's form, the counts of the monthly report
derived from them, follow-ups that stay open until closed, the photo kept small, bad input, edits
that meet another's, closed months, and the pages above the desa."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from cadres.models import Role
from cadres.periods import add_months, period_str
from reports.models import Activity, DesaActivityReport, FollowUp
from reports.monthly.deadlines import period_close
from reports.monthly.events import activity_delete, counts_by_child, open_follow_ups
from tests.activity_factories import activity_values, make_activity
from tests.factories import make_user

DESA = "32.14.01.2001"
RW = f"{DESA}.001"
NOV, DEC = datetime.date(2020, 11, 1), datetime.date(2020, 12, 1)
NEW = f"/kegiatan/{DESA}/2020-11/baru/"
MONTH = f"/kegiatan/{DESA}/2020-11/"


@pytest.fixture
def ppkbd(tree):
    return make_user("ppkbd", Role.KADER, DESA)


def form_data(**values):
    data = {"date": "14/11/2020", "kind": "mini_lokakarya", "place": "Balai desa", "topics": ["mkjp", "kespro"],
            "speaker": "Bidan Ani", "speaker_institution": "Puskesmas", "audience": "PUS dan kader",
            "attendance": "32", "summary": "Implan dan IUD dijelaskan.", "follow_up_1": "Kunjungi PUS yang takut",
            "follow_up_2": "Minta jadwal pelayanan", "follow_up_3": ""}
    return data | values


def test_the_ppkbd_records_a_mini_lokakarya_with_two_follow_ups(client, ppkbd):
    client.force_login(ppkbd)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, form_data())
    assert response.status_code == 302 and response.url == MONTH
    activity = Activity.objects.get()
    assert (activity.unit_id, activity.date, activity.kind, activity.attendance, activity.topics) == (
        DESA, datetime.date(2020, 11, 14), "mini_lokakarya", 32, ["mkjp", "kespro"])
    assert (activity.speaker, activity.speaker_institution, activity.created_by) == ("Bidan Ani", "Puskesmas", ppkbd)
    assert list(activity.follow_ups.values_list("text", "closed_on")) == [
        ("Kunjungi PUS yang takut", None), ("Minta jadwal pelayanan", None)]
    assert activity.history.get().history_user == ppkbd
    page = client.get(MONTH).content.decode()
    assert "Mini lokakarya Kampung KB" in page and "2 tindak lanjut terbuka" in page
    assert '<strong data-sum="meetings">1</strong>' in page


@pytest.mark.parametrize("kinds, meetings, kie", [
    (["mini_lokakarya", "pertemuan", "pertemuan_rutin"], 3, 0),
    (["kie", "kie"], 0, 2),
    (["pelatihan", "supervisi", "bimbingan", "pelayanan"], 0, 0),
    (["pertemuan", "kie", "pelayanan", "mini_lokakarya"], 2, 1),
])
def test_the_months_meetings_and_kie_sessions_are_counted_from_the_activities(tree, kinds, meetings, kie):
    for kind in kinds:
        make_activity(DESA, kind=kind)
    make_activity(RW, kind="pertemuan")  # a Sub-PPKBD meeting counts in its desa
    make_activity("32.14.01.2002", kind="kie")  # another desa: not this one's
    make_activity(DESA, kind="kie", date=datetime.date(2020, 10, 31))  # another month
    report = DesaActivityReport.objects.get(desa_id=DESA, period=NOV)
    assert (report.meetings, report.kie_sessions) == (meetings + 1, kie)


def test_moving_or_removing_an_activity_counts_both_months_again(client, ppkbd):
    activity = make_activity(DESA, kind="kie", by=ppkbd)
    client.force_login(ppkbd)
    response = client.post(f"/kegiatan/catatan/{activity.pk}/ubah/",
                           form_data(kind="kie", date="02/12/2020", version="1", follow_up_1="", follow_up_2=""))
    assert response.status_code == 302
    counts = dict(DesaActivityReport.objects.values_list("period", "kie_sessions"))
    assert counts == {NOV: 0, DEC: 1}
    activity.refresh_from_db()
    assert activity.version == 2
    activity_delete(activity, by=ppkbd)
    assert dict(DesaActivityReport.objects.values_list("period", "kie_sessions")) == {NOV: 0, DEC: 0}
    assert Activity.history.filter(history_type="-").get().history_user == ppkbd


def test_follow_ups_stay_open_next_month_until_someone_closes_one(client, ppkbd):
    this_month = timezone.localdate().replace(day=1)
    last_month = add_months(this_month, -1)
    activity = make_activity(DESA, follow_ups=["Kunjungi PUS yang takut", "Minta jadwal pelayanan"], by=ppkbd,
                             date=last_month + datetime.timedelta(days=9))
    first, second = activity.follow_ups.order_by("pk")
    client.force_login(ppkbd)
    url = f"/kegiatan/{DESA}/{period_str(this_month)}/"
    assert [f.text for f in client.get(url).context["open_follow_ups"]] == [first.text, second.text]
    response = client.post(f"/kegiatan/tindak-lanjut/{first.pk}/", {"action": "tutup", "next": url})
    assert response.status_code == 302 and response.url == url
    first.refresh_from_db()
    assert (first.closed_on, first.closed_by) == (timezone.localdate(), ppkbd)
    assert list(client.get(url).context["open_follow_ups"]) == [second]
    assert list(open_follow_ups(RW, this_month)) == [second]  # the RW's page shows its desa's
    assert list(open_follow_ups(DESA, last_month)) == [first, second]  # both were open when it ended
    client.post(f"/kegiatan/tindak-lanjut/{first.pk}/", {"action": "buka", "next": "https://evil.example/"})
    assert set(open_follow_ups(DESA, this_month)) == {first, second}
    assert FollowUp.history.filter(id=first.pk).count() == 3


def test_a_follow_up_closed_later_was_still_open_at_the_end_of_an_earlier_month(tree):
    activity = make_activity(DESA, follow_ups=["A"], date=datetime.date(2020, 10, 5))
    FollowUp.objects.filter(activity=activity).update(closed_on=datetime.date(2020, 12, 3))
    assert [f.text for f in open_follow_ups(DESA, datetime.date(2020, 10, 1))] == ["A"]
    assert [f.text for f in open_follow_ups(DESA, NOV)] == ["A"]
    assert list(open_follow_ups(DESA, DEC)) == []
    assert list(open_follow_ups(DESA, datetime.date(2020, 9, 1))) == []  # agreed later


def big_photo(size=(3000, 2000)) -> io.BytesIO:
    """A phone camera's photo: 6 megapixels of noise, 3.7 MB as a JPEG."""
    data = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(data, "JPEG", quality=85)
    data.seek(0)
    data.name = "foto.jpg"
    return data


def test_the_photo_is_stored_small_and_served_only_in_scope(client, ppkbd, personas):
    client.force_login(ppkbd)
    assert client.post(NEW, form_data(photo_upload=big_photo())).status_code == 302
    activity = Activity.objects.get()
    stored = Image.open(io.BytesIO(activity.photo))
    assert stored.format == "JPEG" and max(stored.size) == 1024 and len(activity.photo) < 300_000
    response = client.get(f"/kegiatan/catatan/{activity.pk}/foto/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "foto/" in client.get(f"/kegiatan/catatan/{activity.pk}/").content.decode()
    client.force_login(personas["outsider"].user)
    assert client.get(f"/kegiatan/catatan/{activity.pk}/foto/").status_code == 404


def test_a_file_that_is_not_an_image_is_refused_naming_the_field(client, ppkbd):
    client.force_login(ppkbd)
    text = io.BytesIO(b"bukan gambar")
    text.name = "foto.jpg"
    response = client.post(NEW, form_data(photo_upload=text))
    assert response.status_code == 200
    assert response.context["form"].errors["photo_upload"] == [
        "Foto tidak dapat dibaca: kirim berkas gambar JPG atau PNG."]
    assert Activity.objects.count() == FollowUp.objects.count() == 0


@pytest.mark.parametrize("changes, field, message", [
    ({"date": "11/14/2020"}, "date", "Tulis hari/bulan/tahun"),
    ({"date": "14/11/2099"}, "date", "tidak boleh sesudah hari ini"),
    ({"kind": "rapat"}, "kind", "pilihan yang valid"),
    ({"place": " "}, "place", "tidak boleh kosong"),
    ({"attendance": "-3"}, "attendance", "0"),
    ({"attendance": "banyak"}, "attendance", "Jumlah peserta harus bilangan bulat."),
    ({"attendance": "10000"}, "attendance", "9999"),
    ({"topics": ["narkoba"]}, "topics", "pilihan yang valid"),
    ({"follow_up_1": "x" * 201}, "follow_up_1", "200"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(client, ppkbd, changes, field, message):
    client.force_login(ppkbd)
    response = client.post(NEW, form_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field] and message in errors[field][0]
    assert Activity.objects.count() == FollowUp.objects.count() == DesaActivityReport.objects.count() == 0


def test_two_edits_from_the_same_version_meet_a_conflict_not_an_overwrite(client, ppkbd, personas):
    activity = make_activity(DESA, by=ppkbd)
    url = f"/kegiatan/catatan/{activity.pk}/ubah/"
    client.force_login(personas["pkb"].user)
    assert client.post(url, form_data(version="1", attendance="40")).status_code == 302
    client.force_login(ppkbd)
    response = client.post(url, form_data(version="1", attendance="12"))
    assert response.status_code == 409
    assert "sudah diubah oleh pkb" in response.context["form"].non_field_errors()[0]
    assert response.context["form"]["attendance"].value() == "12"
    activity.refresh_from_db()
    assert (activity.attendance, activity.version) == (40, 2)


def test_a_closed_month_refuses_new_and_changed_activities(client, ppkbd, personas):
    activity = make_activity(DESA, by=ppkbd)
    period_close(kabupaten="32.14", period=NOV, by=personas["opd"].user)
    client.force_login(ppkbd)
    response = client.post(NEW, form_data())
    assert "sudah ditutup oleh OPD KB" in response.context["form"].non_field_errors()[0]
    response = client.post(f"/kegiatan/catatan/{activity.pk}/ubah/", form_data(version="1", date="02/12/2020"))
    assert "sudah ditutup oleh OPD KB" in response.context["form"].non_field_errors()[0]
    assert Activity.objects.get().date == datetime.date(2020, 11, 10)
    assert "record-activity" not in client.get(MONTH).content.decode()


def test_an_rt_cadre_records_her_rts_activities_only_and_the_opd_only_reads(client, personas):
    activity = make_activity(DESA)
    rt = personas["kader"].inside
    client.force_login(personas["kader"].user)
    assert client.post(f"/kegiatan/{rt}/2020-11/baru/", form_data(kind="pertemuan")).status_code == 302
    assert DesaActivityReport.objects.get(desa_id=DESA).meetings == 2  # a POK KB's meeting counts in its desa
    assert client.get(f"/kegiatan/catatan/{activity.pk}/").status_code == 404  # the desa's is not hers
    assert client.get("/kegiatan/32.14.01/2020-11/baru/").status_code == 404  # a kecamatan: neither
    client.force_login(personas["opd"].user)
    assert client.get(f"/kegiatan/catatan/{activity.pk}/").status_code == 200
    assert client.post(NEW, form_data()).status_code == 403
    assert client.post(f"/kegiatan/catatan/{activity.pk}/hapus/").status_code == 403
    follow_up = make_activity(DESA, follow_ups=["A"]).follow_ups.get()
    assert client.post(f"/kegiatan/tindak-lanjut/{follow_up.pk}/").status_code == 403
    assert Activity.objects.count() == 3 and FollowUp.objects.filter(closed_on__isnull=False).count() == 0


def test_removing_asks_first_then_removes(client, ppkbd):
    activity = make_activity(DESA, follow_ups=["A"], by=ppkbd)
    client.force_login(ppkbd)
    page = client.get(f"/kegiatan/catatan/{activity.pk}/hapus/")
    assert page.status_code == 200 and "Ya, hapus" in page.content.decode()
    assert Activity.objects.count() == 1
    response = client.post(f"/kegiatan/catatan/{activity.pk}/hapus/")
    assert response.status_code == 302 and response.url == MONTH
    assert Activity.objects.count() == FollowUp.objects.count() == 0


def test_above_the_desa_the_counts_per_unit_take_a_constant_number_of_queries(
        client, personas, django_assert_max_num_queries):
    make_activity(DESA, kind="mini_lokakarya")
    make_activity(RW, kind="pertemuan")
    make_activity("32.14.01.2002", kind="kie")
    make_activity("32.14.02.2001", kind="pelatihan")
    assert counts_by_child("32.14", NOV) == {"32.14.01": {"mini_lokakarya": 1, "pertemuan": 1, "kie": 1},
                                             "32.14.02": {"pelatihan": 1}}
    client.force_login(personas["opd"].user)
    with django_assert_max_num_queries(13) as queries:
        page = client.get("/kegiatan/32.14.01/2020-11/")
    rows = {child.code: (numbers, total) for child, numbers, total in page.context["child_rows"]}
    assert rows[DESA] == ([1, 1, 0, 0, 0], 2) and rows["32.14.01.2002"] == ([0, 0, 1, 0, 0], 1)
    for day in range(1, 20):
        make_activity("32.14.01.2002", kind="kie", date=datetime.date(2020, 11, day))
    with django_assert_max_num_queries(len(queries)):
        client.get("/kegiatan/32.14.01/2020-11/")
    assert activity_values()["kind"] == "pertemuan"
