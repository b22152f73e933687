import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cadres.models import Couple, CoupleStatus
from cadres.register import risk_flags, status_on
from tests.register_factories import make_couple, set_status

RT = "32.14.01.2001.001.001"
D = datetime.date


def pb_rows(couple):
    return [(row.since, row.status, row.is_pb) for row in couple.statuses.order_by("since")]


def test_the_status_on_a_date_is_the_latest_row_on_or_before_it(tree):
    couple = make_couple(RT, "pil", since=D(2020, 1, 10))
    set_status(couple, D(2021, 3, 1), "implan")
    set_status(couple, D(2020, 6, 1), "hamil")  # entered late: the rows are linked again

    assert status_on(couple, D(2020, 1, 9)) is None
    assert status_on(couple, D(2020, 1, 10)).status == "pil"
    assert status_on(couple, D(2020, 5, 31)).status == "pil"
    assert status_on(couple, D(2020, 6, 1)).status == "hamil"
    assert status_on(couple, D(2021, 2, 28)).status == "hamil"
    assert status_on(couple, D(2030, 1, 1)).status == "implan"
    for day in [D(2020, 1, 9), D(2020, 1, 10), D(2020, 5, 31), D(2020, 6, 1), D(2021, 2, 28), D(2030, 1, 1)]:
        in_force = [row.status for row in CoupleStatus.objects.on(day)]
        assert in_force == ([status_on(couple, day).status] if status_on(couple, day) else [])


def test_a_first_method_is_a_pb(tree):
    couple = make_couple(RT, "suntik", since=D(2020, 1, 10))
    assert pb_rows(couple) == [(D(2020, 1, 10), "suntik", True)]


def test_a_switch_of_method_is_not_a_pb(tree):
    couple = make_couple(RT, "pil", since=D(2020, 1, 10))
    set_status(couple, D(2020, 4, 1), "implan")
    assert pb_rows(couple) == [(D(2020, 1, 10), "pil", True), (D(2020, 4, 1), "implan", False)]


def test_a_restart_after_a_birth_is_a_pb(tree):
    couple = make_couple(RT, "pil", since=D(2020, 1, 10))
    set_status(couple, D(2020, 3, 1), "hamil")
    set_status(couple, D(2021, 1, 5), "suntik")
    assert pb_rows(couple) == [
        (D(2020, 1, 10), "pil", True), (D(2020, 3, 1), "hamil", False), (D(2021, 1, 5), "suntik", True)
    ]


def test_starting_after_wanting_a_child_is_a_pb_but_not_using_is_none(tree):
    couple = make_couple(RT, "ias", since=D(2020, 1, 10))
    set_status(couple, D(2020, 2, 1), "tial")
    set_status(couple, D(2020, 3, 1), "mow")
    assert [is_pb for *_, is_pb in pb_rows(couple)] == [False, False, True]


def test_a_row_inserted_in_the_past_recomputes_the_next_one(tree):
    couple = make_couple(RT, "hamil", since=D(2020, 1, 10))
    set_status(couple, D(2020, 9, 1), "pil")  # PB: after pregnancy
    set_status(couple, D(2020, 5, 1), "suntik")  # a method found out later: now pil is a switch
    assert pb_rows(couple) == [
        (D(2020, 1, 10), "hamil", False), (D(2020, 5, 1), "suntik", True), (D(2020, 9, 1), "pil", False)
    ]


def test_a_second_change_on_the_same_day_replaces_the_first(tree):
    couple = make_couple(RT, "pil", since=D(2020, 1, 10))
    set_status(couple, D(2020, 1, 10), "kondom", "swasta")
    assert pb_rows(couple) == [(D(2020, 1, 10), "kondom", True)]
    assert couple.statuses.get().place == "swasta"


def test_a_method_needs_a_place_and_a_non_user_has_none(tree):
    couple = make_couple(RT, "pil", since=D(2020, 1, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        CoupleStatus.objects.create(couple=couple, since=D(2020, 2, 1), status="iud", place="")
    with pytest.raises(IntegrityError), transaction.atomic():
        CoupleStatus.objects.create(couple=couple, since=D(2020, 2, 1), status="hamil", place="swasta")


def test_a_couple_must_live_in_an_rt_and_have_a_valid_nik(tree):
    with pytest.raises(ValidationError) as error:
        make_couple("32.14.01.2001", nik="1234")
    assert set(error.value.message_dict) == {"rt", "nik"}
    assert Couple.objects.count() == 0


def test_the_nik_is_shown_masked(tree):
    couple = make_couple(RT, nik="3214014101900001")
    assert couple.masked_nik == "3214********0001"


def test_wives_aged_15_to_49_count_as_pus(tree):
    on = D(2020, 11, 30)
    make_couple(RT, born=D(1971, 12, 1), wife_name="49 tahun")  # 48 on the day
    make_couple(RT, born=D(1970, 12, 1), wife_name="masih 49")  # 49
    make_couple(RT, born=D(1970, 11, 30), wife_name="50 tahun")  # turned 50 that day
    make_couple(RT, born=D(2005, 11, 30), wife_name="15 tahun")  # turned 15 that day
    make_couple(RT, born=D(2005, 12, 1), wife_name="14 tahun")
    names = set(Couple.objects.pus_on(on).values_list("wife_name", flat=True))
    assert names == {"49 tahun", "masih 49", "15 tahun"}


def test_couples_that_left_or_came_later_are_not_pus(tree):
    make_couple(RT, wife_name="pindah", left_on=D(2020, 11, 30), left_reason="pindah")
    make_couple(RT, wife_name="cerai besok", left_on=D(2020, 12, 1), left_reason="cerai")
    make_couple(RT, wife_name="baru", since=D(2020, 12, 1))
    names = set(Couple.objects.pus_on(D(2020, 11, 30)).values_list("wife_name", flat=True))
    assert names == {"cerai besok"}


def test_4t_flags(tree):
    on = D(2020, 11, 30)
    young = make_couple(RT, born=D(2001, 1, 1), children=3, youngest_birth_date=D(2019, 12, 1))
    old = make_couple(RT, born=D(1980, 1, 1), children=2, youngest_birth_date=D(2018, 11, 30))
    assert risk_flags(young, on) == ["muda", "banyak", "dekat"]
    assert risk_flags(old, on) == ["tua"]
