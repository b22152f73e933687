"""Builders for register data: couples with a status history."""

import datetime

from cadres.register import couple_add, couple_status_set


def make_couple(rt_code, status="pil", place="pemerintah", since=datetime.date(2020, 1, 15),
                born=datetime.date(1990, 5, 1), **fields):
    defaults = {"wife_name": "Siti", "husband_name": "Asep", "children": 1}
    couple = couple_add(
        rt_id=rt_code, wife_birth_date=born, status=status, place=place if status in (
            "iud", "implan", "mow", "mop", "suntik", "pil", "kondom") else "", since=since,
        **{**defaults, **fields},
    )
    return couple


def set_status(couple, since, status, place="pemerintah"):
    return couple_status_set(couple=couple, status=status, place=place, since=since)
