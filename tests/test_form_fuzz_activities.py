"""The activity forms fuzzed through their views with hypothesis: recording an activity, changing
one (with a version), the follow-up button, and an IMP's self-reliance entry. No input gives a server error; a refused form
writes nothing (no activity, no follow-up, no count) and names a field."""

import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cadres.models import Role
from reports.models import Activity, DesaActivityReport, FollowUp
from tests import fuzz_stats
from tests.activity_factories import make_activity
from tests.factories import make_user
from tests.form_fuzz import client_of, fuzz, is_ours, names_a_field, odd_values, posts, rows

DESA = "32.14.01.2001"
VALID = {"date": "14/11/2020", "kind": "mini_lokakarya", "place": "Balai desa", "topics": ["mkjp", "pup"],
         "speaker": "Bidan Ani", "speaker_institution": "Puskesmas", "audience": "PUS", "attendance": "32",
         "summary": "Ringkasan", "follow_up_1": "Kunjungan rumah", "follow_up_2": "", "follow_up_3": ""}
CHOICES = st.sampled_from(["kie", "pelayanan", "MINI_LOKAKARYA", "hiv", "napza", "lainnya", "14/11/2020",
                           "31/11/2020", "1/1/2020", "9999", "10000", "0"])


def state():
    return rows(Activity), rows(FollowUp), rows(DesaActivityReport)


@pytest.fixture
def ppkbd(tree):
    return client_of(make_user("ppkbd", Role.KADER, DESA))


def test_no_new_activity_gives_a_server_error_or_a_partial_write(ppkbd):
    url = f"/kegiatan/{DESA}/2020-11/baru/"
    saved = []

    @fuzz(60)
    @given(posts(VALID, odd_values | CHOICES))
    @example(VALID)
    def check(data):
        fuzz_stats.generated_inputs += 1
        before = state()
        response = ppkbd.post(url, data)
        if response.status_code == 302:
            saved.append(data)
            assert is_ours(response.url)
            activity = Activity.objects.order_by("-pk").first()
            activity.full_clean()
            assert activity.date <= datetime.date.today()
        else:
            assert response.status_code == 200
            assert state() == before, "a refused activity writes nothing"
            assert names_a_field(response) or "non-field-error" in response.content.decode()

    check()
    assert saved


def test_no_change_to_an_activity_gives_a_server_error_or_a_partial_write(ppkbd, tree):
    activity = make_activity(DESA)
    url = f"/kegiatan/catatan/{activity.pk}/ubah/"
    versions = st.sampled_from(["0", "1", "2", "-1", "2147483647", ""])

    @fuzz(40)
    @given(posts(VALID | {"version": "1"}, odd_values | CHOICES | versions))
    def check(data):
        fuzz_stats.generated_inputs += 1
        Activity.objects.filter(pk=activity.pk).update(version=1)
        before = state()
        response = ppkbd.post(url, data)
        assert response.status_code in (200, 302, 409)
        if response.status_code != 302:
            assert state()[:2] == before[:2], "a refused change writes nothing"

    check()


def test_no_follow_up_button_gives_a_server_error(ppkbd, tree):
    follow_up = make_activity(DESA, follow_ups=["A"]).follow_ups.get()

    @fuzz(30)
    @given(posts({"action": "tutup", "next": f"/kegiatan/{DESA}/2020-11/"},
                 odd_values | st.sampled_from(["buka", "tutup", "//evil.example", "https://evil.example/"])))
    def check(data):
        fuzz_stats.generated_inputs += 1
        response = ppkbd.post(f"/kegiatan/tindak-lanjut/{follow_up.pk}/", data)
        assert response.status_code == 302 and is_ours(response.url)

    check()


def test_no_self_reliance_entry_gives_a_server_error_or_a_wrong_number(ppkbd, tree):
    from cadres.models import Institution
    from reports.models import SelfReliance

    institution = Institution.objects.create(unit_id=DESA, kind="ppkbd", name="Melati")
    url = f"/peran-bakti/imp/{institution.pk}/2020-11/"
    amounts = st.sampled_from(["150000", "150.000", "Rp 150.000", "1.5", "150,000", "999999999", "1000000000",
                               "0", " 12 ", "Rp", "1.00.000"])

    @fuzz(50)
    @given(posts({"dues": "150000", "note": "jimpitan", "version": "0"}, odd_values | amounts))
    def check(data):
        fuzz_stats.generated_inputs += 1
        SelfReliance.objects.all().delete()
        response = ppkbd.post(url, data)
        if response.status_code == 302:
            dues = data["dues"][-1] if isinstance(data["dues"], (list, tuple)) else data["dues"]  # the last, as Django reads it
            typed = str(dues).strip().removeprefix("Rp").strip().replace(".", "")
            assert SelfReliance.objects.get().dues == int(typed)
        else:
            assert response.status_code in (200, 409)  # 409: a version that was never saved
            assert SelfReliance.objects.count() == 0, "a refused entry writes nothing"

    check()
