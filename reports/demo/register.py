"""The demo's PUS register: couples in every demo RT with two years of status history.

Statuses follow a rough Jawa Barat mix (suntik and pil first, some MKJP) and change now and then,
so the register yields PB, drop-outs and pregnancies. Deterministic, like the rest of the demo.
"""

import datetime
import random

from cadres.indicators import METHODS
from cadres.models import Couple, CoupleStatus
from cadres.periods import add_months, current_period
from cadres.register.rules import link_statuses
from reports.demo.wilayah import FEMALE_FIRST, MALE_FIRST, demo_units, person_name

COUPLES_PER_RT = (15, 35)
HISTORY_MONTHS = 24
CHANGE_PER_MONTH = 0.03
STATUS_WEIGHTS = {
    "suntik": 40, "pil": 17, "implan": 7, "iud": 4, "kondom": 3, "mow": 2, "mop": 0.5,
    "hamil": 4, "ias": 5, "iat": 8, "tial": 9,
}
PRIVATE_SHARE = 0.25


def _status(rng: random.Random) -> tuple[str, str]:
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    if status not in METHODS:
        return status, ""
    return status, "swasta" if rng.random() < PRIVATE_SHARE else "pemerintah"


def _history(rng: random.Random, start: datetime.date) -> list[tuple[datetime.date, str, str]]:
    history = [(start, *_status(rng))]
    for month in range(1, HISTORY_MONTHS + 1):
        if rng.random() < CHANGE_PER_MONTH:
            day = add_months(start, month) + datetime.timedelta(days=rng.randrange(27))
            status, place = _status(rng)
            if status != history[-1][1]:
                history.append((day, status, place))
    return history


def _couple(rng: random.Random, rt_code: str, number: int, start: datetime.date) -> Couple:
    born = datetime.date(rng.randint(1977, 2006), rng.randint(1, 12), rng.randint(1, 28))
    children = rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4])
    youngest = None
    if children:
        youngest = start - datetime.timedelta(days=rng.randrange(30, 8 * 365))
    first = person_name(rng).split(" ")[0]
    if first in MALE_FIRST:  # the cadres' name maker gives some men's names; a wife gets a woman's
        first = FEMALE_FIRST[number % len(FEMALE_FIRST)]
    return Couple(
        rt_id=rt_code, wife_name=first + " " + rng.choice(("Rahayu", "Lestari", "Wati")), house_number=str(number),
        husband_name=f"{rng.choice(('Asep', 'Dede', 'Ujang', 'Cecep', 'Agus', 'Yayan'))} {rng.choice(('Hidayat', 'Saepudin', 'Rahmat'))}",
        wife_birth_date=born, children=children, youngest_birth_date=youngest,
        address=f"Rumah no. {number}", registered_on=start,
    )


def add_couples(rng: random.Random) -> str:
    start = add_months(current_period(), -HISTORY_MONTHS)
    couples, histories = [], []
    for rt in demo_units("rt"):
        for number in range(1, rng.randint(*COUPLES_PER_RT) + 1):
            couples.append(_couple(rng, rt.code, number, start))
            histories.append(_history(rng, start))
    Couple.objects.bulk_create(couples)
    rows = []
    for couple, history in zip(couples, histories):
        statuses = [CoupleStatus(couple=couple, rt_id=couple.rt_id, since=since, status=s, place=p) for since, s, p in history]
        link_statuses(statuses, first_use=couple.first_use, ever_used=couple.ever_used)
        rows.extend(statuses)
    CoupleStatus.objects.bulk_create(rows)
    return f"{len(couples)} pasangan usia subur dengan {len(rows)} status KB"
