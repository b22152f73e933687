"""Builders for register data: couples with a status history."""

import datetime

from cadres.register.rules import couple_add, couple_status_set


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


def bulk_couples(rt_code, histories, born=datetime.date(1990, 5, 1), registered=datetime.date(2019, 1, 1),
                 first_use="lama", ever_used=False):
    """Couples in one RT, each with a history [(since, status, place), ...], in a few queries;
    `first_use` and `ever_used` say for all of them what came before the register.

    The derived columns (kind, is_pb, until) are set by the register's own rule, `link_statuses`.
    """
    from cadres.models import Couple, CoupleStatus
    from cadres.register.rules import link_statuses

    couples = Couple.objects.bulk_create([
        Couple(rt_id=rt_code, wife_name=f"Istri {i}", husband_name=f"Suami {i}", wife_birth_date=born,
               registered_on=registered, first_use=first_use, ever_used=ever_used)
        for i in range(len(histories))
    ])
    rows = []
    for couple, history in zip(couples, histories):
        statuses = [CoupleStatus(couple=couple, rt_id=couple.rt_id, since=since, status=status, place=place)
                    for since, status, place in history]
        link_statuses(statuses, first_use=couple.first_use, ever_used=couple.ever_used)
        rows.extend(statuses)
    CoupleStatus.objects.bulk_create(rows)
    return couples
