"""The month computed from the register, rolled up like the reports."""

import datetime

from cadres.models import Unit
from reports.numbers.recap import recap_for, to_jsonable
from reports.numbers.register_month import register_rollup, rt_counts
from tests.factories import make_unit
from tests.register_factories import bulk_couples, make_couple, set_status

D = datetime.date
NOV = D(2020, 11, 1)
OLD = D(2019, 6, 1)
RT_BIG, RT_SMALL, RT_OTHER_RW = "32.14.01.2001.001.001", "32.14.01.2001.001.002", "32.14.01.2001.002.001"

# Karangan Putih, November 2020 (docs/domain.md): 370 PUS, 320 PA, 28 MKJP.
METHODS = {"iud": 9, "implan": 15, "mow": 3, "mop": 1, "suntik": 190, "pil": 90, "kondom": 12}
NON_USERS = {"hamil": 10, "ias": 12, "iat": 16, "tial": 12}
PB = {"iud": 1, "implan": 2, "suntik": 1, "pil": 1}  # started in November after a birth


def karangan_putih_histories():
    """370 histories whose status at the end of November 2020 matches the example."""
    histories = []
    pb_left = dict(PB)
    for method, users in METHODS.items():
        for _ in range(users):
            place = "pemerintah" if len(histories) < 250 else "swasta"
            if pb_left.get(method):
                pb_left[method] -= 1
                histories.append([(OLD, "hamil", ""), (D(2020, 11, 10), method, place)])
            else:
                histories.append([(OLD, method, place)])
    for status, couples in NON_USERS.items():
        histories.extend([[(OLD, status, "")]] * couples)
    return histories


def spread(histories, sizes):
    """Cuts the histories into RTs of the given (very unequal) sizes."""
    start = 0
    for rt, size in sizes:
        bulk_couples(rt, histories[start:start + size])
        start += size
    assert start == len(histories)


def test_karangan_putih_comes_out_of_the_register(tree):
    make_unit(RT_OTHER_RW)
    histories = karangan_putih_histories()
    # Interleave, so that no RT holds one status only: 300, 55 and 15 couples.
    histories = histories[::2] + histories[1::2]
    spread(histories, [(RT_BIG, 300), (RT_SMALL, 55), (RT_OTHER_RW, 15)])

    total, per_rw = register_rollup("32.14.01.2001", NOV)

    counts = total.counts
    assert counts["pus"] == 370
    assert sum(counts[f"{m}_{p}"] for m in METHODS for p in ("pemerintah", "swasta")) == 320
    assert {m: counts[f"{m}_pemerintah"] + counts[f"{m}_swasta"] for m in METHODS} == METHODS
    assert sum(counts[f"{m}_pemerintah"] for m in METHODS) == 250
    assert {k: counts[k] for k in NON_USERS} == NON_USERS
    assert {m: counts[f"pb_{m}"] for m in METHODS if counts[f"pb_{m}"]} == PB
    assert (total.expected, total.received) == (3, 3)
    assert sorted(per_rw) == ["32.14.01.2001.001", "32.14.01.2001.002"]
    assert per_rw["32.14.01.2001.001"].counts["pus"] == 355
    assert per_rw["32.14.01.2001.002"].counts["pus"] == 15
    for key in counts:
        assert counts[key] == sum(child.counts[key] for child in per_rw.values()), key


def test_wives_past_49_and_couples_who_left_are_not_pus(tree):
    make_couple(RT_BIG, "pil", since=OLD, born=D(1970, 12, 1))  # 49 on 30 November: PUS
    make_couple(RT_BIG, "pil", since=OLD, born=D(1970, 11, 30))  # 50 on 30 November
    make_couple(RT_BIG, "iud", since=OLD, left_on=D(2020, 11, 20), left_reason="pindah")
    make_couple(RT_BIG, "iud", since=D(2020, 12, 1))  # registered after the month

    total, _ = register_rollup(RT_BIG, NOV)

    assert total.counts["pus"] == 1
    assert total.counts["pil_pemerintah"] == 1
    assert total.counts["iud_pemerintah"] == 0


def test_the_status_in_force_at_month_end_counts(tree):
    couple = make_couple(RT_BIG, "pil", since=OLD)
    set_status(couple, D(2020, 11, 30), "hamil")  # last day of the month: counts
    set_status(couple, D(2020, 12, 1), "suntik")  # the next month: does not

    total, _ = register_rollup(RT_BIG, NOV)
    assert (total.counts["pus"], total.counts["hamil"], total.counts["pil_pemerintah"]) == (1, 1, 0)


def test_pb_counts_the_month_and_the_year_to_date(tree):
    bulk_couples(RT_BIG, [
        [(D(2019, 12, 5), "pil", "swasta")],  # last year
        [(D(2020, 2, 5), "implan", "pemerintah")],  # this year, before November
        [(D(2020, 11, 5), "implan", "pemerintah")],  # this month
        [(D(2020, 12, 5), "iud", "pemerintah")],  # after the period
    ], first_use="pb")  # each said to be her first use when written in
    bulk_couples(RT_BIG, [
        [(D(2019, 1, 1), "hamil", ""), (D(2020, 11, 25), "suntik", "pemerintah")],  # after a birth: PB pasca
        [(D(2019, 1, 1), "pil", "pemerintah"), (D(2020, 11, 25), "suntik", "pemerintah")],  # a switch: GC
    ])
    total, _ = register_rollup("32.14", NOV)
    assert {m: total.counts[f"pb_{m}"] for m in METHODS if total.counts[f"pb_{m}"]} == {"implan": 1, "suntik": 1}
    assert {m: n for m, n in total.pb_ytd.items() if n} == {"implan": 2, "suntik": 1}
    assert total.counts["pb_pasca"] == 1
    assert {m: total.counts[f"gc_{m}"] for m in METHODS if total.counts[f"gc_{m}"]} == {"suntik": 1}


def test_every_kind_of_change_counts_in_its_month(tree):
    """Six couples through November 2020, each checked by number in the register's recap."""
    bulk_couples(RT_BIG, [
        [(D(2020, 11, 3), "pil", "swasta")],  # continuing user written in this month: nothing
        [(D(2019, 5, 1), "ias", ""), (D(2020, 11, 4), "kondom", "swasta")],  # first use ever: PB
        [(D(2019, 5, 1), "hamil", ""), (D(2020, 11, 6), "implan", "pemerintah")],  # after a birth: PB pasca
        [(D(2019, 5, 1), "suntik", "swasta"), (D(2020, 11, 7), "implan", "swasta")],  # switch: GC implan
        [(D(2019, 5, 1), "suntik", "swasta"), (D(2020, 11, 8), "iat", "")],  # stopped: drop-out to IAT
        [(D(2019, 5, 1), "pil", "swasta"), (D(2020, 3, 1), "tial", ""), (D(2020, 11, 9), "pil", "swasta")],
    ])  # the last one is a restart after a drop-out: neither PB nor GC (its drop-out was in March)
    total, _ = register_rollup(RT_BIG, NOV)
    counts = total.counts
    assert (counts["pb_kondom"], counts["pb_implan"], counts["pb_pasca"]) == (1, 1, 1)
    assert sum(counts[f"pb_{m}"] for m in METHODS) == 2
    assert {m: counts[f"gc_{m}"] for m in METHODS if counts[f"gc_{m}"]} == {"implan": 1}
    assert total.drop_outs == {"ias": 0, "iat": 1, "tial": 0}
    recap = to_jsonable(recap_for(Unit.objects.get(code=RT_BIG), NOV, "register"))
    assert (recap["pb"], recap["pb_pasca"], recap["gc"], recap["gc_mkjp"]) == (2, 1, 1, 1)
    march, _ = register_rollup(RT_BIG, datetime.date(2020, 3, 1))
    assert march.drop_outs == {"ias": 0, "iat": 0, "tial": 1}


def test_the_register_month_takes_a_constant_number_of_queries(tree, django_assert_num_queries):
    for size in (10, 1000):  # couples in the desa, over more and more RW
        for i in range(size // 100):
            make_unit(f"32.14.01.2002.{i + 2:03d}.001")
        bulk_couples("32.14.01.2002.001.001", [[(OLD, "pil", "swasta")]] * size)
        with django_assert_num_queries(5):
            register_rollup("32.14.01.2002", NOV)


def test_rt_counts_give_each_rt_its_own_month(tree):
    bulk_couples(RT_BIG, [[(OLD, "pil", "swasta")]] * 3 + [[(OLD, "tial", "")]])
    bulk_couples(RT_SMALL, [[(OLD, "hamil", ""), (D(2020, 11, 2), "iud", "pemerintah")]])

    counts = rt_counts("32.14.01.2001", NOV)

    assert sorted(counts) == [RT_BIG, RT_SMALL]
    assert (counts[RT_BIG]["pus"], counts[RT_BIG]["pil_swasta"], counts[RT_BIG]["tial"]) == (4, 3, 1)
    assert (counts[RT_SMALL]["pus"], counts[RT_SMALL]["iud_pemerintah"], counts[RT_SMALL]["pb_iud"]) == (1, 1, 1)


def test_recap_from_the_register_gives_the_karangan_putih_figures(tree):
    import json
    from io import StringIO

    from django.core.management import call_command

    from cadres.models import Unit
    Unit.objects.filter(code="32.14.01.2001").update(name="Karangan Putih")
    make_unit(RT_OTHER_RW)
    histories = karangan_putih_histories()
    spread(histories[::2] + histories[1::2], [(RT_BIG, 300), (RT_SMALL, 55), (RT_OTHER_RW, 15)])
    bulk_couples(RT_SMALL, [[(OLD, "pil", "pemerintah")]] * 4, born=D(1969, 1, 1))  # past 49: not PUS

    out = StringIO()
    call_command("recap", "32.14.01.2001", "2020-11", "--source", "register", stdout=out)
    recap = json.loads(out.getvalue())

    assert recap["unit"] == {"code": "32.14.01.2001", "name": "Karangan Putih", "level": "desa"}
    assert (recap["period"], recap["source"]) == ("2020-11", "register")
    assert (recap["pus"], recap["pa"], recap["mkjp"], recap["non_mkjp"]) == (370, 320, 28, 292)
    assert recap["methods"] == METHODS
    assert recap["places"] == {"pemerintah": 250, "swasta": 70}
    assert recap["non_users"] == NON_USERS
    assert recap["unmet_need"] == 28
    assert recap["pb"] == 5
    assert recap["pct"] == {"cpr": 86.49, "mkjp": 8.75, "non_mkjp": 91.25, "unmet_need": 7.57}
    assert recap["reports"] == {"expected": 3, "received": 3}
    assert [child["pus"] for child in recap["children"]] == [355, 15]


def test_pb_counts_only_couples_on_the_register_and_pus_that_day(tree):
    first = {"first_use": "pb"}
    bulk_couples(RT_BIG, [[(D(2020, 11, 5), "pil", "swasta")]], born=D(1970, 11, 4), **first)  # 50 on 4 November
    bulk_couples(RT_BIG, [[(D(2020, 11, 5), "pil", "swasta")]], born=D(1970, 11, 6), **first)  # 49 on the 5th: PB
    bulk_couples(RT_BIG, [[(D(2020, 11, 5), "iud", "swasta")]], registered=D(2020, 11, 20), **first)  # later
    left = bulk_couples(RT_BIG, [[(D(2020, 3, 5), "implan", "swasta")]], **first)[0]  # a PB in March, left in June
    left.left_on, left.left_reason = D(2020, 6, 1), "pindah"
    left.save()

    total, _ = register_rollup(RT_BIG, NOV)

    assert {m: total.counts[f"pb_{m}"] for m in METHODS if total.counts[f"pb_{m}"]} == {"pil": 1}
    assert {m: n for m, n in total.pb_ytd.items() if n} == {"pil": 1, "implan": 1}
