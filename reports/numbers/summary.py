"""The per-desa and per-kabupaten, per-month sums of the counted reports (`DesaMonthSums`,
`KabupatenMonthSums`), kept current in the transaction of every write that changes what a recap
counts.

Recaps and trends above desa read the desa rows (250 a month for a kabupaten, each with its PB
since January) instead of every RT's report of every month since January (5,000 a month); above
kabupaten, the kabupaten rows (27 a month for Jawa Barat). No cache: every function that changes
a report's counts, whether it counts or whether it is verified (`reports.monthly.workflow`
submit/return/reopen/verify, `reports.monthly.importer`, the admin, `seed_demo`, `synth`) calls
`desa_months_refresh` with the (RT code, month) pairs it wrote, before it commits, so a recap
never disagrees with the reports. `manage.py refresh_desa_months --check` compares both tables
with the reports."""

import datetime
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from cadres import codes
from cadres.indicators import COUNT_FIELDS, METHODS
from cadres.models import Unit, subtree_q
from reports.models import DesaMonthSums, KabupatenMonthSums, MonthlyReport, ReportStatus

DESA_LENGTH = codes.CODE_LENGTHS["desa"]
KABUPATEN_LENGTH = codes.CODE_LENGTHS["kabupaten"]
_BATCH = 1000
FIELDS = ("received", "verified", *COUNT_FIELDS, *(f"pb_ytd_{method}" for method in METHODS))


def desa_of(rt_code: str) -> str:
    return rt_code[:DESA_LENGTH]


def desa_months_refresh(pairs) -> None:
    """Recomputes the rows of the desa and years of these (RT code, month) pairs from the
    counted reports: every year of the pairs for every desa of them, a superset that is just as
    correct and keeps it at five statements however many pairs (an import's 100,000), plus one
    INSERT per batch of rows. A whole year, because a month's PB counts in the PB so far of every
    later month of its year. Then adds the change of those desa rows to their kabupaten's rows.

    The kabupaten and desa units are locked first (PostgreSQL: FOR NO KEY UPDATE, in code order),
    so that two writers in one kabupaten refresh its rows one after the other, each seeing the
    other's report and change; SQLite writes one transaction at a time anyway."""
    pairs = list(pairs)
    if not pairs:
        return
    desas = sorted({desa_of(rt) for rt, _period in pairs})
    years = _years_q({period.year for _rt, period in pairs})
    with transaction.atomic(savepoint=False):
        locked = sorted({desa[:KABUPATEN_LENGTH] for desa in desas} | set(desas))
        list(Unit.objects.select_for_update(no_key=True).filter(code__in=locked).order_by("code").values_list("pk"))
        before = DesaMonthSums.objects.filter(years, desa_id__in=desas)
        old = list(before.values("desa_id", "period", *FIELDS))
        before.delete()
        in_desas = reduce(or_, (subtree_q(desa, "rt__code") for desa in desas))
        new = _rows(MonthlyReport.objects.counted().filter(years, in_desas))
        DesaMonthSums.objects.bulk_create(new, batch_size=_BATCH)
        _kabupaten_add(old, new)


def _years_q(years) -> Q:
    return reduce(or_, (Q(period__gte=datetime.date(year, 1, 1), period__lte=datetime.date(year, 12, 1))
                        for year in years))


def _kabupaten_add(old: list[dict], new: list[DesaMonthSums]) -> None:
    """Adds new − old desa rows to their kabupaten's rows (one read, one update or insert per
    changed batch): exact, because a kabupaten's row is the sum of its desa's rows."""
    change: dict[tuple[str, datetime.date], dict[str, int]] = {}
    for sign, rows in ((-1, old), (1, ({"desa_id": row.desa_id, "period": row.period,
                                        **{name: getattr(row, name) for name in FIELDS}} for row in new))):
        for row in rows:
            key = (row["desa_id"][:KABUPATEN_LENGTH], row["period"])
            sums = change.setdefault(key, dict.fromkeys(FIELDS, 0))
            for name in FIELDS:
                sums[name] += sign * row[name]
    change = {key: sums for key, sums in change.items() if any(sums.values())}
    if not change:
        return
    kept = {(row.kabupaten_id, row.period): row for row in KabupatenMonthSums.objects.filter(
        kabupaten_id__in={kabupaten for kabupaten, _period in change}, period__in={period for _k, period in change})}
    added, updated = [], []
    for (kabupaten, period), sums in change.items():
        row = kept.get((kabupaten, period))
        if row is None:
            added.append(KabupatenMonthSums(kabupaten_id=kabupaten, period=period, **sums))
            continue
        for name in FIELDS:
            setattr(row, name, getattr(row, name) + sums[name])
        updated.append(row)
    KabupatenMonthSums.objects.bulk_create(added, batch_size=_BATCH)
    KabupatenMonthSums.objects.bulk_update(updated, FIELDS, batch_size=_BATCH)


def desa_months_rebuild() -> int:
    """Recomputes both tables from the counted reports; returns the number of desa rows."""
    with transaction.atomic():
        DesaMonthSums.objects.all().delete()
        KabupatenMonthSums.objects.all().delete()
        rows = DesaMonthSums.objects.bulk_create(_rows(MonthlyReport.objects.counted()), batch_size=_BATCH)
        KabupatenMonthSums.objects.bulk_create(_kabupaten_rows(rows), batch_size=_BATCH)
    return len(rows)


def _kabupaten_rows(desa_rows) -> list[KabupatenMonthSums]:
    sums: dict[tuple[str, datetime.date], dict[str, int]] = {}
    for row in desa_rows:
        kabupaten = sums.setdefault((row.desa_id[:KABUPATEN_LENGTH], row.period), dict.fromkeys(FIELDS, 0))
        for name in FIELDS:
            kabupaten[name] += getattr(row, name)
    return [KabupatenMonthSums(kabupaten_id=kabupaten, period=period, **values)
            for (kabupaten, period), values in sums.items()]


def desa_months_differences() -> list[str]:
    """The desa and kabupaten months of the tables that differ from the counted reports, as
    "code YYYY-MM" (empty when both are right). For the command's --check and the tests. A kept
    kabupaten row of zeros equals a missing one: a row is never removed, only brought to zero."""
    computed = _rows(MonthlyReport.objects.counted())
    kept = {(row.pop("desa_id"), row.pop("period")): row
            for row in DesaMonthSums.objects.values("desa_id", "period", *FIELDS)}
    wanted = {(row.desa_id, row.period): {name: getattr(row, name) for name in FIELDS} for row in computed}
    kept_kabupaten = {(row.pop("kabupaten_id"), row.pop("period")): row
                      for row in KabupatenMonthSums.objects.values("kabupaten_id", "period", *FIELDS)}
    wanted_kabupaten = {(row.kabupaten_id, row.period): {name: getattr(row, name) for name in FIELDS}
                        for row in _kabupaten_rows(computed)}
    zeros = dict.fromkeys(FIELDS, 0)
    return [
        *(f"{desa} {period:%Y-%m}" for desa, period in sorted(kept.keys() | wanted.keys())
          if kept.get((desa, period)) != wanted.get((desa, period))),
        *(f"{kabupaten} {period:%Y-%m}" for kabupaten, period in sorted(kept_kabupaten.keys() | wanted_kabupaten.keys())
          if kept_kabupaten.get((kabupaten, period), zeros) != wanted_kabupaten.get((kabupaten, period), zeros)),
    ]


def _rows(reports) -> list[DesaMonthSums]:
    """Twelve rows per desa and year with a counted report: the month's sums, and PB so far."""
    grouped = (
        reports.values("period", desa=Substr("rt_id", 1, DESA_LENGTH))
        .annotate(received=Count("pk"), verified=Count("pk", filter=Q(status=ReportStatus.VERIFIED)),
                  **{name: Sum(name) for name in COUNT_FIELDS})
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
