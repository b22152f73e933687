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

from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.indicators import MKJP, METHODS, NON_USERS, summarize
from cadres.models import Couple, CoupleStatus, Service, subtree_sql
from cadres.models.register import StatusKind, birthday_bounds, years_before
from cadres.periods import month_end
from cadres.register.followup import visits_of
from cadres.register.outreach import NOT_MKJP
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


# The couple's columns the map reads, and its status in force as `followup.with_status_on` names it.
COUPLE_COLUMNS = ("id", "rt_id", "wife_name", "wife_birth_date", "children", "youngest_birth_date", "house_number")
STATUS_COLUMNS = {"current_status": "status", "current_place": "place", "current_since": "since",
                  "current_kind": "kind", "current_cycle": "cycle_months", "current_expected_birth": "expected_birth"}
DATES = ("wife_birth_date", "youngest_birth_date", "current_since", "current_expected_birth", "last_service")


def _couples(code: str, end: datetime.date) -> list[Couple]:
    """The couples below `code` on the register and PUS at `end` with a status then, by RT, each
    with its status in force (`current_*`) and latest repeat since it began (`last_service`), as
    `followup.with_status_on` annotates them, and whether it is an MKJP prospect that day
    (`is_prospect`, `outreach.prospect_q`). Plain SQL, the statement the ORM made, without its
    2–3 ms of building and compiling a filtered relation and a subquery on every RT's dashboard
    (tests/test_peta.py compares both)."""
    connection = connections[router.db_for_read(Couple)]
    quote, date = connection.ops.quote_name, connection.ops.adapt_datefield_value
    couple, service, now = quote(Couple._meta.db_table), quote(Service._meta.db_table), quote("now")
    c, s, n = (_columns_of(quote, table) for table in (couple, service, now))
    subtree, in_subtree = subtree_sql(connection, c("rt_id"), code)
    sql = (f"SELECT {', '.join(map(c, COUPLE_COLUMNS))}, {', '.join(map(n, STATUS_COLUMNS.values()))},"
           f" (SELECT MAX({s('date')}) FROM {service} WHERE {s('couple_id')} = {c('id')}"
           f" AND {s('date')} >= {n('since')} AND {s('date')} <= %s)"
           f" FROM {couple} LEFT OUTER JOIN {quote(CoupleStatus._meta.db_table)} {now} ON ({c('id')} = {n('couple_id')}"
           f" AND {n('since')} <= %s AND ({n('until')} IS NULL OR {n('until')} > %s))"
           f" WHERE {subtree} AND {c('registered_on')} <= %s AND {c('wife_birth_date')} > %s"
           f" AND {c('wife_birth_date')} <= %s AND ({c('left_on')} IS NULL OR {c('left_on')} > %s)"
           f" AND {n('status')} IS NOT NULL ORDER BY {c('rt_id')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [date(end), date(end), date(end), *in_subtree, date(end),
                             *map(date, birthday_bounds(end)), date(end)])
        rows = cursor.fetchall()
    return [_couple(connection.alias, row, end) for row in rows]


def _columns_of(quote, table: str):
    return lambda name: f"{table}.{quote(name)}"


def _couple(alias: str, row: tuple, end: datetime.date) -> Couple:
    """A row of `_couples` as the Couple the ORM gave (its other columns deferred)."""
    names = (*COUPLE_COLUMNS, *STATUS_COLUMNS, "last_service")
    values = dict(zip(names, row))
    for name in DATES:
        if isinstance(values[name], str):  # SQLite's dates are text
            values[name] = datetime.date.fromisoformat(values[name])
    couple = Couple.from_db(alias, COUPLE_COLUMNS, [values[name] for name in COUPLE_COLUMNS])
    for name in (*STATUS_COLUMNS, "last_service"):
        setattr(couple, name, values[name])
    couple.is_prospect = _is_prospect(couple, end)
    return couple


def _is_prospect(couple: Couple, day: datetime.date) -> bool:
    """`outreach.prospect_q(day, "current_status")` of one couple."""
    return couple.current_status in NOT_MKJP and (
        couple.current_status == "tial" or couple.children > 2 or couple.wife_birth_date <= years_before(day, 36))


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
