"""The scorecard's tables: a row per IMP institution (a desa and below: the PKB's view), or a row
per child unit with how many of its institutions meet each role (a kecamatan and above: the
OPD's), for a month or for each month of a year."""

import datetime
from dataclasses import dataclass, field

from cadres import codes
from cadres.indicators import percent
from cadres.models import Institution, Unit
from cadres.periods import add_months
from reports.numbers.exports.tables import rt_label
from reports.scorecard.facts import gather, months_between
from reports.scorecard.roles import ROLE_KEYS, Role, judge, score

INSTITUTION_LEVELS = ("desa", "rw", "rt")  # below a kecamatan, a row per institution
SORTS = ("skor", "nama")


@dataclass
class InstitutionRow:
    institution: Institution
    roles: list[Role] = field(default_factory=list)  # the month view
    scores: list[int | None] = field(default_factory=list)  # the year view: per month, None after today

    @property
    def score(self) -> int:
        return score(self.roles)

    @property
    def place(self) -> str:
        """Its wilayah as people name it: `Desa Campaka`, `RW 002`, `RT 003 / RW 002`."""
        unit = self.institution.unit
        return rt_label(unit.code) if unit.is_rt else unit.label

    @property
    def full_months(self) -> int:
        return sum(1 for value in self.scores if value == len(ROLE_KEYS))


@dataclass
class ChildRow:
    unit: Unit
    total: int = 0  # IMP institutions in the child unit
    met: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROLE_KEYS, 0))
    all_six: int = 0
    shares: list = field(default_factory=list)  # the year view: per month, % meeting all six

    @property
    def met_counts(self) -> list[int]:
        return [self.met[key] for key in ROLE_KEYS]

    @property
    def all_six_pct(self):
        return percent(self.all_six, self.total)


def month_rows(code: str, period: datetime.date, sort: str = "skor") -> list[InstitutionRow]:
    institutions, facts = gather(code, period, period)
    rows = [InstitutionRow(i, judge(facts[(i.pk, period)])) for i in institutions]
    return _sorted(rows, sort, by_score=lambda row: row.score, by_name=_institution_order)


def year_rows(code: str, year: int, last: datetime.date, sort: str = "skor") -> list[InstitutionRow]:
    months = months_between(datetime.date(year, 1, 1), datetime.date(year, 12, 1))
    shown = [month for month in months if month <= last]
    institutions, facts = gather(code, shown[0], shown[-1]) if shown else ([], {})
    rows = [InstitutionRow(i, scores=[score(judge(facts[(i.pk, m)])) if m <= last else None for m in months])
            for i in institutions]
    return _sorted(rows, sort, by_score=lambda row: row.full_months, by_name=_institution_order)


def child_rows(unit: Unit, first: datetime.date, last: datetime.date, sort: str = "skor") -> list[ChildRow]:
    """For each month from `first` to `last`: per child unit, institutions meeting each role (the
    month view reads `met` and `all_six` of the last month; the year view `shares`)."""
    institutions, facts = gather(unit.code, first, last)
    length = codes.CODE_LENGTHS[codes.child_level(unit.level)]
    rows = {child.code: ChildRow(child) for child in unit.children.all()}
    months = months_between(first, last)
    per_month = {month: {code: 0 for code in rows} for month in months}
    for institution in institutions:
        row = rows.get(institution.unit_id[:length])
        if row is None:
            continue
        row.total += 1
        for month in months:
            roles = judge(facts[(institution.pk, month)])
            per_month[month][row.unit.code] += score(roles) == len(ROLE_KEYS)
            if month == last:
                for judged in roles:
                    row.met[judged.key] += judged.met
    for row in rows.values():
        row.all_six = per_month[last][row.unit.code]
        row.shares = [percent(per_month[month][row.unit.code], row.total) for month in months]
    return _sorted(list(rows.values()), sort, by_score=lambda row: (row.all_six_pct is None, row.all_six_pct or 0),
                   by_name=lambda row: row.unit.code)


def _sorted(rows: list, sort: str, *, by_score, by_name) -> list:
    """Weakest first (where coaching is needed), or in the order of the wilayah (`nama`); ties
    keep the wilayah's order."""
    rows = sorted(rows, key=by_name)
    return rows if sort == "nama" else sorted(rows, key=by_score)


def _institution_order(row: InstitutionRow) -> tuple:
    return row.institution.unit_id, row.institution.kind, row.institution.name


def year_months(year: int) -> list[datetime.date]:
    return [add_months(datetime.date(year, 1, 1), n) for n in range(12)]
