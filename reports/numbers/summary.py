"""The per-desa, per-month sums of the counted reports (`DesaMonthSums`), kept current in the
transaction of every write that changes what a recap counts.

Recaps and trends above desa read these rows (250 a month for a kabupaten, each with its PB
since January) instead of every RT's report of every month since January (5,000 a month). No
cache: every function that changes a report's counts or whether it
counts (`reports.monthly.workflow` submit/return/reopen, `reports.monthly.importer`, the admin, `seed_demo`,
`synth`) calls `desa_months_refresh` with the (RT code, month) pairs it wrote, before it commits,
so a recap never disagrees with the reports. `manage.py refresh_desa_months --check` compares
the whole table with the reports.
"""

import datetime
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from cadres import codes
from cadres.indicators import COUNT_FIELDS, METHODS
from cadres.models import Unit, subtree_q
from reports.models import DesaMonthSums, MonthlyReport

DESA_LENGTH = codes.CODE_LENGTHS["desa"]
_BATCH = 1000
FIELDS = ("received", *COUNT_FIELDS, *(f"pb_ytd_{method}" for method in METHODS))


def desa_of(rt_code: str) -> str:
    return rt_code[:DESA_LENGTH]


def desa_months_refresh(pairs) -> None:
    """Recomputes the rows of the desa and years of these (RT code, month) pairs from the
    counted reports: every year of the pairs for every desa of them, a superset that is just as
    correct and keeps it at four statements however many pairs (an import's 100,000), plus one
    INSERT per batch of rows. A whole year, because a month's PB counts in the PB so far of every
    later month of its year.

    The desa units are locked first (PostgreSQL: FOR NO KEY UPDATE, in code order), so that two
    writers in one desa refresh its rows one after the other, each seeing the other's report;
    SQLite writes one transaction at a time anyway."""
    pairs = list(pairs)
    if not pairs:
        return
    desas = sorted({desa_of(rt) for rt, _period in pairs})
    years = reduce(or_, (Q(period__gte=datetime.date(year, 1, 1), period__lte=datetime.date(year, 12, 1))
                         for year in {period.year for _rt, period in pairs}))
    with transaction.atomic(savepoint=False):
        list(Unit.objects.select_for_update(no_key=True).filter(code__in=desas).order_by("code").values_list("pk"))
        DesaMonthSums.objects.filter(years, desa_id__in=desas).delete()
        in_desas = reduce(or_, (subtree_q(desa, "rt__code") for desa in desas))
        reports = MonthlyReport.objects.counted().filter(years, in_desas)
        DesaMonthSums.objects.bulk_create(_rows(reports), batch_size=_BATCH)


def desa_months_rebuild() -> int:
    """Recomputes the whole table from the counted reports; returns its number of rows."""
    with transaction.atomic():
        DesaMonthSums.objects.all().delete()
        rows = DesaMonthSums.objects.bulk_create(_rows(MonthlyReport.objects.counted()), batch_size=_BATCH)
    return len(rows)


def desa_months_differences() -> list[str]:
    """The (desa, month) rows of the table that differ from the counted reports, as
    "desa YYYY-MM" (empty when the table is right). For the command's --check and the tests."""
    kept = {(row.pop("desa_id"), row.pop("period")): row
            for row in DesaMonthSums.objects.values("desa_id", "period", *FIELDS)}
    computed = {(row.desa_id, row.period): {name: getattr(row, name) for name in FIELDS}
                for row in _rows(MonthlyReport.objects.counted())}
    return [f"{desa} {period:%Y-%m}" for desa, period in sorted(kept.keys() | computed.keys())
            if kept.get((desa, period)) != computed.get((desa, period))]


def _rows(reports) -> list[DesaMonthSums]:
    """Twelve rows per desa and year with a counted report: the month's sums, and PB so far."""
    grouped = (
        reports.values("period", desa=Substr("rt_id", 1, DESA_LENGTH))
        .annotate(received=Count("pk"), **{name: Sum(name) for name in COUNT_FIELDS})
        .order_by()
    )
    months: dict[tuple[str, int], dict[int, dict]] = {}
    for row in grouped:
        desa, period = row.pop("desa"), row.pop("period")
        months.setdefault((desa, period.year), {})[period.month] = row
    rows = []
    for (desa, year), sums in months.items():
        so_far = dict.fromkeys(METHODS, 0)
        for month in range(1, 13):
            counts = sums.get(month, {})
            for method in METHODS:
                so_far[method] += counts.get(f"pb_{method}", 0)
            rows.append(DesaMonthSums(desa_id=desa, period=datetime.date(year, month, 1), **counts,
                                      **{f"pb_ytd_{method}": n for method, n in so_far.items()}))
    return rows
