"""Each transition of a couple's status, by BKKBN's definitions: PB, PB pasca, GC, drop-out."""

import pytest

from cadres.register.kinds import CONTINUING, DO, GC, NONE, PB, PB_PASCA, row_kinds


def test_a_couple_written_in_while_using_a_method_is_a_continuing_user():
    assert row_kinds(["suntik"]) == [NONE]
    assert row_kinds(["suntik"], first=CONTINUING) == [NONE]


def test_a_first_use_ever_is_a_pb_and_after_a_birth_a_pb_pasca():
    assert row_kinds(["pil"], first=PB) == [PB]
    assert row_kinds(["implan"], first=PB_PASCA) == [PB_PASCA]


def test_a_switch_from_one_method_to_another_is_a_ganti_cara_not_a_pb():
    assert row_kinds(["suntik", "implan"]) == [NONE, GC]
    assert row_kinds(["pil", "suntik", "iud"], first=PB) == [PB, GC, GC]


def test_the_same_method_again_counts_as_nothing():
    assert row_kinds(["pil", "pil"]) == [NONE, NONE]


@pytest.mark.parametrize("reason", ["ias", "iat", "tial"])
def test_stopping_without_a_pregnancy_is_a_drop_out_and_restarting_is_neither_pb_nor_gc(reason):
    assert row_kinds(["suntik", reason, "suntik"]) == [NONE, DO, NONE]
    assert row_kinds(["suntik", reason, "implan"]) == [NONE, DO, NONE]


def test_a_method_after_a_pregnancy_is_a_pb_pasca_even_after_a_drop_out():
    assert row_kinds(["pil", "hamil", "implan"]) == [NONE, NONE, PB_PASCA]
    assert row_kinds(["pil", "ias", "hamil", "suntik"]) == [NONE, DO, NONE, PB_PASCA]
    assert row_kinds(["hamil", "pil"]) == [NONE, PB_PASCA]


def test_a_pregnancy_is_not_a_drop_out():
    assert row_kinds(["pil", "hamil"]) == [NONE, NONE]


def test_non_users_who_never_used_a_method_become_pb_at_their_first_method():
    assert row_kinds(["iat", "pil"], ever_used=False) == [NONE, PB]
    assert row_kinds(["tial", "ias", "mow"], ever_used=False) == [NONE, NONE, PB]


def test_non_users_who_used_a_method_before_the_register_restart_as_continuing_users():
    assert row_kinds(["iat", "pil"], ever_used=True) == [NONE, NONE]


def test_a_long_history_counts_each_transition_once():
    history = ["iat", "pil", "suntik", "iat", "suntik", "hamil", "implan", "implan", "tial"]
    assert row_kinds(history, ever_used=False) == [NONE, PB, GC, DO, NONE, NONE, PB_PASCA, NONE, DO]


def test_an_unknown_first_kind_is_refused():
    with pytest.raises(ValueError):
        row_kinds(["pil"], first="baru")
