"""The register's forms (add, edit, status, leaving, the list's filters) fuzzed through their views with
hypothesis: never a 500; a refused form writes nothing and says why; an accepted one leaves valid data."""

import datetime
import pytest
from hypothesis import given
from hypothesis import strategies as st
from cadres.models import Couple, CoupleStatus
from tests import fuzz_stats
from tests.register_factories import make_couple
from tests.form_fuzz import (
    NIK, RT, check_register_invariants, client_of, fuzz, is_ours, names_a_field, odd_values, posts, register_state,
)


@pytest.fixture
def couple(tree):
    return make_couple(RT, "pil", "swasta", since=datetime.date(2020, 1, 15), wife_name="Siti", nik=NIK)


@pytest.fixture
def kader(personas):
    return client_of(personas["kader"].user)


def reset(couple):
    """Back to the couple of the fixture: one status, still on the register."""
    CoupleStatus.objects.filter(couple=couple).exclude(pk=couple.first_status_pk).delete()
    CoupleStatus.objects.filter(pk=couple.first_status_pk).update(status="pil", place="swasta", until=None,
                                                                  since=couple.registered_on, is_pb=True)
    Couple.objects.filter(pk=couple.pk).update(**couple.baseline)


@pytest.fixture
def resettable(couple):
    couple.first_status_pk = couple.statuses.get().pk
    couple.baseline = Couple.objects.filter(pk=couple.pk).values(
        "wife_name", "wife_birth_date", "husband_name", "children", "youngest_birth_date", "nik", "address",
        "registered_on", "left_on", "left_reason").get()
    return couple


COUPLE = {"wife_name": "Siti Aminah", "wife_birth_date": "1990-05-01", "husband_name": "Asep", "children": "2",
          "youngest_birth_date": "2018-07-01", "nik": "", "address": "Jl. Melati 3", "registered_on": "2021-03-01"}


@st.composite
def couple_adds(draw):
    status = draw(st.sampled_from(["pil", "iud", "hamil", "tial"]))
    valid = COUPLE | {"status": status, "place": "pemerintah" if status in ("pil", "iud") else ""}
    if draw(st.booleans()):
        valid["nik"] = NIK
    return draw(posts(valid))


def test_no_couple_to_add_gives_a_server_error_or_half_a_couple(kader, tree):
    url = f"/register/{RT}/tambah/"
    added = []

    @fuzz(80)
    @given(couple_adds())
    def check(data):
        fuzz_stats.generated_inputs += 1
        before = register_state()
        couples, statuses = Couple.objects.count(), CoupleStatus.objects.count()
        response = kader.post(url, data)
        if response.status_code == 302:
            added.append(data)
            assert (Couple.objects.count(), CoupleStatus.objects.count()) == (couples + 1, statuses + 1)
            check_register_invariants(Couple.objects.latest("pk").pk)
        else:
            assert response.status_code == 200
            assert register_state() == before, "a refused couple writes nothing"
            assert names_a_field(response)

    check()
    assert added, "some couples were good enough to be added"


def test_no_edit_of_a_couple_gives_a_server_error_or_a_partial_write(kader, resettable):
    url = f"/pasangan/{resettable.pk}/ubah/"
    valid = COUPLE | {"registered_on": "2020-01-15", "left_on": "", "left_reason": ""}
    saved = []

    @fuzz(70)
    @given(posts(valid) | posts(valid | {"left_on": "2022-02-02", "left_reason": "pindah"}))
    def check(data):
        fuzz_stats.generated_inputs += 1
        reset(resettable)
        before = register_state()
        response = kader.post(url, data)
        if response.status_code == 302:
            saved.append(data)
            check_register_invariants(resettable.pk)
        else:
            assert response.status_code == 200
            assert register_state() == before, "a refused edit writes nothing"
            assert names_a_field(response)

    check()
    assert saved


STATUS = {"status": "suntik", "place": "pemerintah", "since": "2021-03-01", "cycle_months": "1", "expected_birth": ""}


def test_no_status_change_gives_a_server_error_or_a_partial_write(kader, resettable):
    url = f"/pasangan/{resettable.pk}/status/"
    next_values = st.sampled_from(["", f"/pasangan/{resettable.pk}/", "abc", "home", "couple_detail",
                                   "https://evil.example/", "//evil.example", "javascript:alert(1)", "/\\evil"])
    saved = []

    @fuzz(70)
    @given(posts(STATUS | {"next": f"/register/{RT}/"}, odd_values | next_values), st.booleans())
    def check(data, left):
        fuzz_stats.generated_inputs += 1
        reset(resettable)
        if left:
            Couple.objects.filter(pk=resettable.pk).update(left_on="2022-06-01", left_reason="cerai")
        before = register_state()
        response = kader.post(url, data)
        if response.status_code == 302:
            saved.append(data)
            assert is_ours(response.url)
            check_register_invariants(resettable.pk)
        else:
            assert response.status_code == 200
            assert register_state() == before, "a refused status writes nothing"
            assert names_a_field(response)

    check()
    assert saved


def test_no_counselling_gives_a_server_error_or_a_partial_write(kader, couple):
    from cadres.models import Counselling

    url = f"/pasangan/{couple.pk}/konseling/"
    body = {"date": "2021-03-01", "outcome": "belum", "reason": "takut", "note": "", "referral": "puskesmas"}
    choices = st.sampled_from(["tertarik", "menolak", "mitos", "lain", "swasta", "TERTARIK", "x" * 300])
    saved = []

    @fuzz(50)
    @given(posts(body, odd_values | choices))
    def check(data):
        fuzz_stats.generated_inputs += 1
        before = Counselling.objects.count()
        response = kader.post(url, data)
        if response.status_code == 302:
            saved.append(data)
            assert is_ours(response.url)
            Counselling.objects.order_by("-pk").first().full_clean()
        else:
            assert response.status_code == 200
            assert Counselling.objects.count() == before, "a refused counselling writes nothing"
            assert names_a_field(response)

    check()
    assert saved


def test_no_leaving_gives_a_server_error_or_a_partial_write(kader, resettable):
    url = f"/pasangan/{resettable.pk}/keluar/"
    saved = []

    @fuzz(50)
    @given(posts({"left_on": "2022-06-01", "left_reason": "meninggal"},
                 odd_values | st.sampled_from(["cerai", "pindah", "CERAI", "lainnya"])))
    def check(data):
        fuzz_stats.generated_inputs += 1
        reset(resettable)
        before = register_state()
        response = kader.post(url, data)
        if response.status_code == 302:
            saved.append(data)
            couple = Couple.objects.get(pk=resettable.pk)
            assert couple.left_on >= couple.registered_on and couple.left_reason
            check_register_invariants(resettable.pk)
        else:
            assert response.status_code == 200
            assert register_state() == before, "a refused leaving writes nothing"
            assert names_a_field(response)

    check()
    assert saved


def test_no_register_filter_gives_a_server_error(kader, personas, couple):
    pkb = client_of(personas["pkb"].user)
    filters = {"q": "Siti", "status": "pil", "group": "non_mkjp", "risk": "on", "left": "", "page": "1"}
    odd = odd_values | st.sampled_from(["aktif", "mkjp", "iud", "hamil", "on", "2", "999", "last"])

    @fuzz(50)
    @given(posts(filters, odd), st.sampled_from([(kader, RT), (pkb, "32.14.01.2001.001"), (pkb, "32.14.01.2001")]))
    def check(data, client_and_code):
        fuzz_stats.generated_inputs += 1
        client, code = client_and_code
        response = client.get(f"/register/{code}/", data)
        assert response.status_code == 200
        assert all(row.rt_id == RT for row in response.context["couples"])

    check()


def test_a_status_change_with_a_next_that_is_not_a_path_goes_back_to_the_register(kader, couple):
    """`redirect` took a word for the name of a URL pattern: NoReverseMatch, a 500."""
    for next_value in ["abc", "עברית", "couple_detail", "https://evil.example/"]:
        data = STATUS | {"next": next_value, "since": f"2021-03-{1 + len(next_value) % 20:02d}"}
        response = kader.post(f"/pasangan/{couple.pk}/status/", data)
        assert (response.status_code, response.url) == (302, f"/register/{RT}/")
    response = kader.post(f"/pasangan/{couple.pk}/status/", STATUS | {"next": f"/pasangan/{couple.pk}/"})
    assert (response.status_code, response.url) == (302, f"/pasangan/{couple.pk}/")
