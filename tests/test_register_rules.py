import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cadres.models import Couple, CoupleStatus
from cadres.register.rules import couple_update, risk_flags, status_on, statuses_off_their_rt
from reports.numbers import register_month
from tests.register_factories import make_couple, set_status

RT = "32.14.01.2001.001.001"
D = datetime.date


def kinds(couple):
    """(since, status, kind) of each row, with is_pb checked to agree with the kind."""
    rows = list(couple.statuses.order_by("since"))
    assert all(row.is_pb == (row.kind in ("pb", "pb_pasca")) for row in rows)
    return [(row.since, row.status, row.kind) for row in rows]


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


def test_a_couple_written_in_while_using_a_method_is_a_continuing_user(tree):
    couple = make_couple(RT, "suntik", since=D(2020, 1, 10))  # the default answer
    assert couple.first_use == "lama"
    assert kinds(couple) == [(D(2020, 1, 10), "suntik", "")]


def test_a_first_use_ever_is_a_pb_and_after_a_birth_a_pb_pasca(tree):
    first = make_couple(RT, "suntik", since=D(2020, 1, 10), first_use="pb")
    after_birth = make_couple(RT, "pil", since=D(2020, 1, 10), first_use="pb_pasca")
    assert kinds(first) == [(D(2020, 1, 10), "suntik", "pb")]
    assert kinds(after_birth) == [(D(2020, 1, 10), "pil", "pb_pasca")]


def test_a_switch_of_method_is_a_gc_not_a_pb(tree):
    couple = make_couple(RT, "suntik", since=D(2020, 1, 10))
    set_status(couple, D(2020, 4, 1), "implan")
    set_status(couple, D(2020, 6, 1), "implan", "swasta")  # the same method elsewhere: nothing
    assert kinds(couple) == [
        (D(2020, 1, 10), "suntik", ""), (D(2020, 4, 1), "implan", "gc"), (D(2020, 6, 1), "implan", ""),
    ]


def test_a_method_after_a_pregnancy_is_a_pb_pasca(tree):
    couple = make_couple(RT, "pil", since=D(2020, 1, 10))
    set_status(couple, D(2020, 3, 1), "hamil")
    set_status(couple, D(2021, 1, 5), "suntik")
    assert kinds(couple) == [
        (D(2020, 1, 10), "pil", ""), (D(2020, 3, 1), "hamil", ""), (D(2021, 1, 5), "suntik", "pb_pasca"),
    ]


def test_stopping_without_a_pregnancy_is_a_drop_out_and_restarting_is_neither_pb_nor_gc(tree):
    couple = make_couple(RT, "pil", since=D(2020, 1, 10))
    set_status(couple, D(2020, 3, 1), "iat")
    set_status(couple, D(2020, 8, 1), "pil")
    set_status(couple, D(2020, 10, 1), "tial")
    set_status(couple, D(2021, 2, 1), "mow")
    assert kinds(couple) == [
        (D(2020, 1, 10), "pil", ""), (D(2020, 3, 1), "iat", "do"), (D(2020, 8, 1), "pil", ""),
        (D(2020, 10, 1), "tial", "do"), (D(2021, 2, 1), "mow", ""),
    ]


def test_a_status_row_carries_its_couple_s_rt_and_follows_it_to_another_rt(tree):
    other_rt = "32.14.01.2001.001.002"
    couple = make_couple(RT, "pil", since=D(2020, 1, 10))
    set_status(couple, D(2020, 3, 1), "iat")
    assert set(couple.statuses.values_list("rt_id", flat=True)) == {RT}
    assert register_month.drop_outs(RT, D(2020, 3, 1))["iat"] == 1

    couple = Couple.objects.get(pk=couple.pk)  # as the admin loads it
    couple.rt_id = other_rt
    couple.save()

    assert set(couple.statuses.values_list("rt_id", flat=True)) == {other_rt}
    assert statuses_off_their_rt() == []
    for code, expected in ((RT, 0), (other_rt, 1), ("32.14.01.2001", 1)):
        assert register_month.drop_outs(code, D(2020, 3, 1))["iat"] == expected
        assert register_month.month_states_sql(code, D(2020, 3, 1), "verified").get("iat", 0) == expected


def test_non_users_who_never_used_a_method_become_pb_and_those_who_did_do_not(tree):
    never = make_couple(RT, "ias", since=D(2020, 1, 10))
    used = make_couple(RT, "iat", since=D(2020, 1, 10), ever_used=True)
    for couple in (never, used):
        set_status(couple, D(2020, 3, 1), "implan")
    assert kinds(never) == [(D(2020, 1, 10), "ias", ""), (D(2020, 3, 1), "implan", "pb")]
    assert kinds(used) == [(D(2020, 1, 10), "iat", ""), (D(2020, 3, 1), "implan", "")]


def test_changing_the_answer_about_before_the_register_recounts_the_rows(tree):
    couple = make_couple(RT, "pil", since=D(2020, 1, 10))
    set_status(couple, D(2020, 4, 1), "implan")
    couple.first_use = "pb"
    couple_update(couple, recount=True)
    assert kinds(couple) == [(D(2020, 1, 10), "pil", "pb"), (D(2020, 4, 1), "implan", "gc")]


def test_a_row_inserted_in_the_past_recomputes_the_next_one(tree):
    couple = make_couple(RT, "hamil", since=D(2020, 1, 10))
    set_status(couple, D(2020, 9, 1), "pil")  # PB pasca: after pregnancy
    set_status(couple, D(2020, 5, 1), "suntik")  # a method found out later: now pil is a switch
    assert kinds(couple) == [
        (D(2020, 1, 10), "hamil", ""), (D(2020, 5, 1), "suntik", "pb_pasca"), (D(2020, 9, 1), "pil", "gc")
    ]


def test_a_second_change_on_the_same_day_replaces_the_first(tree):
    couple = make_couple(RT, "pil", since=D(2020, 1, 10), first_use="pb")
    set_status(couple, D(2020, 1, 10), "kondom", "swasta")
    assert kinds(couple) == [(D(2020, 1, 10), "kondom", "pb")]
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
