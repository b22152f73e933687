"""The OPD's campaigns (a target of acceptors per method for a unit between two dates) and their
progress: PB into the methods plus switches into them (ganti cara) in the unit's subtree within
the dates, shown apart and summed, from two sources side by side.

- the register: PB and GC status rows that began between start and end (both included), of
  couples on the register and PUS that day (`reports.numbers.register_month.counted_changes`);
- the counted monthly reports of every month overlapping the dates (a report covers a whole
  month, so a drive from the 10th counts the month's PB and GC from its 1st).

An MKJP drive moves existing users to long-acting methods as much as it finds new users: both are
its acceptors. Only the methods the campaign has a target for count (a drive for implants and IUD
does not count new pill users); a campaign with no target at all counts every method. The
progress of any number of campaigns takes two queries.

Seen from a unit below the campaign's (a desa's dashboard, an RT cadre's page), the progress counts
that unit's subtree only: its share of the drive, against no target of its own (a cadre of one RT
sees nothing of the other RTs).
"""

import datetime
from dataclasses import dataclass, field

from django.db import connections, router, transaction
from django.utils import timezone

from cadres import access, codes
from cadres.indicators import METHODS, percent
from cadres.indicators import METHOD_LABELS
from cadres.models import Unit, subtree_sql
from cadres.periods import month_end, period_label
from reports.models import COUNTED_STATUSES, Campaign, MonthlyReport
from reports.numbers.register_month import RegisterTables

SOURCES = ("reports", "register")
KINDS = ("pb", "gc")  # new users, and switches into a method


@dataclass
class CampaignProgress:
    campaign: Campaign
    # source -> "pb" or "gc" -> method -> count
    counted: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    within: str = ""  # the unit whose subtree was counted: the campaign's, or one below it

    @property
    def partial(self) -> bool:
        """Counted in a unit below the campaign's: a share, with no target of its own."""
        return self.within != self.campaign.unit_id

    @property
    def methods(self) -> tuple[str, ...]:
        targeted = tuple(m for m in METHODS if getattr(self.campaign, m))
        return targeted or METHODS

    @property
    def target(self) -> int:
        return sum(getattr(self.campaign, m) for m in self.methods)

    def count(self, source: str, kind: str) -> int:
        return sum(self.counted[source][kind][m] for m in self.methods)

    def figures(self, source: str) -> dict:
        pb, gc = self.count(source, "pb"), self.count(source, "gc")
        if self.partial:
            return {"pb": pb, "gc": gc, "total": pb + gc, "pct": None, "remaining": None}
        return {"pb": pb, "gc": gc, "total": pb + gc, "pct": percent(pb + gc, self.target),
                "remaining": self.target - pb - gc}

    @property
    def reports(self) -> dict:
        return self.figures("reports")

    @property
    def register(self) -> dict:
        return self.figures("register")

    @property
    def months(self) -> str:
        """The months whose reports count, e.g. `Mei 2024` or `Mei 2024 – Juni 2024`."""
        first, last = (period_label(day.replace(day=1)) for day in (self.campaign.start, self.campaign.end))
        return first if first == last else f"{first} – {last}"

    def method_rows(self) -> list[dict]:
        return [
            {"method": m, "label": METHOD_LABELS[m], "target": getattr(self.campaign, m),
             **{source: {kind: self.counted[source][kind][m] for kind in KINDS}
                | {"total": sum(self.counted[source][kind][m] for kind in KINDS)} for source in SOURCES}}
            for m in self.methods
        ]


@transaction.atomic
def campaign_create(*, unit, by, name: str, start: datetime.date, end: datetime.date, **methods: int) -> Campaign:
    _check_runner(by, unit.code)
    return Campaign.objects.create(
        unit=unit, created_by=by, name=name, start=start, end=end, **{m: methods.get(m) or 0 for m in METHODS}
    )


@transaction.atomic
def campaign_update(campaign: Campaign, *, by, name: str, start: datetime.date, end: datetime.date,
                    **methods: int) -> Campaign:
    _check_runner(by, campaign.unit_id)
    campaign.name, campaign.start, campaign.end = name, start, end
    for method in METHODS:
        setattr(campaign, method, methods.get(method) or 0)
    campaign.save()
    return campaign


def campaign_delete(campaign: Campaign, *, by) -> None:
    _check_runner(by, campaign.unit_id)
    campaign.delete()


def _check_runner(user, code: str) -> None:
    access.check(access.may_set_targets(user) and access.can_see(user, code))


def progress(campaigns: list[Campaign], within: str | None = None) -> list[CampaignProgress]:
    """The progress of each campaign in its unit, or in `within` (a unit in every campaign's
    subtree): two queries whatever their number (none without campaigns)."""
    if not campaigns:
        return []
    units = {c.pk: within or c.unit_id for c in campaigns}
    from_register = _register_counts(campaigns, units)
    from_reports = _reports_counts(campaigns, units)
    return [
        CampaignProgress(c, {"reports": from_reports[c.pk], "register": from_register[c.pk]}, units[c.pk])
        for c in campaigns
    ]


def _zeros(pks) -> dict[int, dict[str, dict[str, int]]]:
    return {pk: {kind: dict.fromkeys(METHODS, 0) for kind in KINDS} for pk in pks}


def _register_counts(campaigns, units) -> dict[int, dict[str, dict[str, int]]]:
    """Each campaign's PB and GC per method among the register's `counted_changes` of its unit
    and days, in one statement of plain SQL (a FILTER per campaign), as the ORM made it."""
    t = RegisterTables()
    s, date = t.s, t.ops.adapt_datefield_value
    conditions, params = [], []
    for c in campaigns:
        subtree, in_subtree = subtree_sql(t.connection, t.c("rt_id"), units[c.pk])
        conditions.append(f"({subtree} AND {s('since')} >= %s AND {s('since')} <= %s)")
        params.append([*in_subtree, date(c.start), date(c.end)])
    counted, counted_params = t.counted()
    row_id = s("id")
    sql = (f"SELECT {s('is_pb')}, {s('status')}, "
           f"{', '.join(f'COUNT({row_id}) FILTER (WHERE {q})' for q in conditions)}"
           f"{t.joined}NOT ({s('kind')} = %s){counted} AND ({s('is_pb')} = %s OR {s('kind')} = %s)"
           f" AND ({' OR '.join(conditions)}) GROUP BY 1, 2")
    with t.connection.cursor() as cursor:
        cursor.execute(sql, [*(p for each in params for p in each), "", *counted_params, True, "gc",
                             *(p for each in params for p in each)])
        rows = cursor.fetchall()
    counts = _zeros(c.pk for c in campaigns)
    for is_pb, status, *per_campaign in rows:
        for c, n in zip(campaigns, per_campaign):
            counts[c.pk]["pb" if is_pb else "gc"][status] += n
    return counts


def _reports_counts(campaigns, units) -> dict[int, dict[str, dict[str, int]]]:
    """Each campaign's PB and GC per method in the counted reports of its months and unit, in one
    query: the sums of each month any campaign covers, per unit (a FILTER per unit only when the
    campaigns are counted in several), which each campaign then adds up over its own months."""
    months = {c.pk: (c.start.replace(day=1), c.end.replace(day=1)) for c in campaigns}
    places = sorted(set(units.values()))
    counts = _zeros(months)
    for period, *sums in _reports_sums(places, min(first for first, _ in months.values()),
                                       max(last for _, last in months.values())):
        for pk, (first, last) in months.items():
            if first <= period <= last:
                per_place = sums[places.index(units[pk]) * len(FIELDS):]
                for (kind, m), n in zip(FIELDS, per_place):
                    counts[pk][kind][m] += n or 0
    return counts


FIELDS = [(kind, m) for kind in KINDS for m in METHODS]  # the report's `pb_iud` … `gc_kondom`


def _reports_sums(places: list[str], first: datetime.date, last: datetime.date) -> list[tuple]:
    """Per month from `first` to `last`: the counted reports' PB and GC (FIELDS) summed in each
    place's subtree, place after place. Plain SQL, the statement the ORM made, without its 1–2 ms
    of building and compiling 14 sums (a FILTER each per place) on every dashboard."""
    connection = connections[router.db_for_read(MonthlyReport)]
    quote = connection.ops.quote_name
    table = quote(MonthlyReport._meta.db_table)
    column = lambda name: f"{table}.{quote(name)}"  # noqa: E731
    subtrees = [subtree_sql(connection, column("rt_id"), place) for place in places]
    if len(places) == 1:
        sums, sums_params = [f"SUM({column(f'{kind}_{m}')})" for kind, m in FIELDS], []
    else:
        sums = [f"SUM({column(f'{kind}_{m}')}) FILTER (WHERE {sql})" for sql, _ in subtrees for kind, m in FIELDS]
        sums_params = [p for _, params in subtrees for _ in FIELDS for p in params]
    date = connection.ops.adapt_datefield_value
    sql = (f"SELECT {column('period')}, {', '.join(sums)} FROM {table}"
           f" WHERE {column('status')} IN ({', '.join(['%s'] * len(COUNTED_STATUSES))})"
           f" AND ({' OR '.join(sql for sql, _ in subtrees)}) AND {column('period')} >= %s AND {column('period')} <= %s"
           f" GROUP BY 1")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*sums_params, *COUNTED_STATUSES, *(p for _, params in subtrees for p in params),
                             date(first), date(last)])
        rows = cursor.fetchall()
    # SQLite's dates are text.
    return [(datetime.date.fromisoformat(period) if isinstance(period, str) else period, *sums)
            for period, *sums in rows]


def _of_unit_and_ancestors(code: str):
    return Campaign.objects.filter(unit_id__in=[*codes.ancestors(code), code]).select_related("unit")


def campaigns_with_progress(code: str) -> list[CampaignProgress]:
    """The campaigns of the unit and of the units above it, newest first, with their progress in
    the unit."""
    return progress(list(_of_unit_and_ancestors(code)), within=code)


def active_campaigns(code: str, today: datetime.date | None = None) -> list[CampaignProgress]:
    """The campaigns running today (start ≤ today ≤ end) of the unit or the units above it."""
    return progress(_running(code, today or timezone.localdate()), within=code)


# What a dashboard reads of a campaign (the rest, who made it and when, is left deferred), and of its unit.
CAMPAIGN_COLUMNS = ("id", *METHODS, "unit_id", "name", "start", "end")
UNIT_COLUMNS = ("code", "name", "parent_id", "rts")


def _running(code: str, today: datetime.date) -> list[Campaign]:
    """`_of_unit_and_ancestors(code)` running today, in the model's order, each with its unit.
    Plain SQL, the statement the ORM made, without its 1 ms of building and compiling it on
    every dashboard (tests/test_campaigns.py compares both)."""
    connection = connections[router.db_for_read(Campaign)]
    quote, date = connection.ops.quote_name, connection.ops.adapt_datefield_value
    campaigns, units = quote(Campaign._meta.db_table), quote(Unit._meta.db_table)
    c, u = (lambda name: f"{campaigns}.{quote(name)}"), (lambda name: f"{units}.{quote(name)}")
    places = [*codes.ancestors(code), code]
    sql = (f"SELECT {', '.join(map(c, CAMPAIGN_COLUMNS))}, {', '.join(map(u, UNIT_COLUMNS))} FROM {campaigns}"
           f" INNER JOIN {units} ON ({c('unit_id')} = {u('code')})"
           f" WHERE {c('unit_id')} IN ({', '.join(['%s'] * len(places))})"
           f" AND {c('end')} >= %s AND {c('start')} <= %s ORDER BY {c('start')} DESC, {u('code')} ASC, {c('name')} ASC")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*places, date(today), date(today)])
        rows = cursor.fetchall()
    found = []
    for row in rows:
        values = [datetime.date.fromisoformat(v) if isinstance(v, str) and name in ("start", "end") else v
                  for name, v in zip(CAMPAIGN_COLUMNS, row)]  # SQLite's dates are text
        campaign = Campaign.from_db(connection.alias, CAMPAIGN_COLUMNS, values)
        Campaign.unit.field.set_cached_value(campaign, Unit.from_db(connection.alias, UNIT_COLUMNS,
                                                                    row[len(CAMPAIGN_COLUMNS):]))
        found.append(campaign)
    return found


def campaigns_in_month(code: str, period: datetime.date) -> list[CampaignProgress]:
    """The campaigns of the unit or the units above it running on any day of the month."""
    running = _of_unit_and_ancestors(code).filter(start__lte=month_end(period), end__gte=period)
    return progress(list(running), within=code)
