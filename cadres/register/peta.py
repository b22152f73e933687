"""The Peta PUS of an RT: its houses in the order the cadre walks them, each couple coloured by
its status at the end of the month, with marks for what needs doing.

- **Order**: by house number (`Couple.house_number`, the cadre's round: numbers in numeric order,
  then any text), couples without one at the end, then by the wife's name.
- **Colour**: the status in force on the month's last day — a method (MKJP or not), hamil, IAS,
  IAT or TIAL — for the couples on the register and PUS that day: the same couples and statuses
  the register recap of the month counts, so the counts under the map equal that recap.
- **Marks**: 4T risk (on that day), an MKJP prospect (`cadres.register.outreach`), a visit due
  (`cadres.register.followup`, on the earlier of that day and today), and a PB or a switch (GC)
  this month (the status in force began this month as one).

One query for any number of RTs (a desa's map has a page per RT).
"""

import datetime
import re
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import BooleanField, Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.indicators import MKJP, METHODS, NON_USERS, summarize
from cadres.models import Couple
from cadres.models.register import StatusKind, pus_on_q
from cadres.periods import month_end
from cadres.register.followup import visits_of, with_status_on
from cadres.register.outreach import prospect_q
from cadres.register.rules import risk_flags

KEYS = METHODS + NON_USERS  # one colour each, in the legend's order
LABELS = {"iud": "IUD", "implan": _("Implan"), "mow": "MOW", "mop": "MOP", "suntik": _("Suntik"), "pil": _("Pil"),
          "kondom": _("Kondom"), "hamil": _("Hamil"), "ias": "IAS", "iat": "IAT", "tial": "TIAL"}
SHORT = {"iud": "IUD", "implan": "IMP", "mow": "MOW", "mop": "MOP", "suntik": "STK", "pil": "PIL", "kondom": "KDM",
         "hamil": "HML", "ias": "IAS", "iat": "IAT", "tial": "TIAL"}
NEW_KINDS = {StatusKind.PB: "PB", StatusKind.PB_PASCA: "PB", StatusKind.GC: "GC"}


@dataclass
class House:
    number: str
    first_name: str  # the wife's first name
    status: str  # a key of KEYS
    risk: bool = False
    prospect: bool = False
    visit_due: bool = False
    new: str = ""  # "PB" or "GC" this month

    @property
    def mkjp(self) -> bool:
        return self.status in MKJP

    @property
    def short(self) -> str:
        return SHORT[self.status]


@dataclass
class RtMap:
    rt: str
    houses: list[House] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Couples per colour, every colour present (0 when none)."""
        counts = dict.fromkeys(KEYS, 0)
        for house in self.houses:
            counts[house.status] += 1
        return counts

    @property
    def figures(self) -> dict:
        """PUS, KB aktif, MKJP and the rest, as the recap computes them from the counts."""
        counts = self.counts
        as_report = {"pus": len(self.houses), **{f"{m}_pemerintah": counts[m] for m in METHODS},
                     **{key: counts[key] for key in NON_USERS}}
        return summarize(as_report)


def _couples(code: str, end: datetime.date):
    return (
        with_status_on(Couple.objects.in_subtree(code).filter(pus_on_q(end)), end)
        .filter(current_status__isnull=False)
        .annotate(is_prospect=Case(When(prospect_q(end, "current_status"), then=Value(True)), default=Value(False),
                                   output_field=BooleanField()))
        .order_by("rt_id")
    )


def peta(code: str, period: datetime.date, today: datetime.date | None = None) -> list[RtMap]:
    """The maps of every RT below `code` (or of the RT itself) with couples that month."""
    end = month_end(period)
    seen_on = min(end, today or timezone.localdate())
    maps = []
    for rt, couples in groupby(_couples(code, end), key=lambda couple: couple.rt_id):
        houses = [_house(couple, period, end, seen_on) for couple in couples]
        maps.append(RtMap(rt, sorted(houses, key=_walk_order)))
    return maps


def _house(couple: Couple, period: datetime.date, end: datetime.date, seen_on: datetime.date) -> House:
    new = NEW_KINDS.get(couple.current_kind, "") if couple.current_since >= period else ""
    return House(
        number=couple.house_number, first_name=couple.wife_name.split()[0] if couple.wife_name.split() else "",
        status=couple.current_status, risk=bool(risk_flags(couple, end)), prospect=couple.is_prospect,
        visit_due=bool(visits_of(couple, seen_on)), new=new,
    )


def _walk_order(house: House) -> tuple:
    digits = re.match(r"\d+", house.number)
    return (house.number == "", int(digits.group()) if digits else 10**9, house.number.casefold(),
            house.first_name.casefold())
