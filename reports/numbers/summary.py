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

from django.db import connections, router, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from cadres import codes
from cadres.indicators import COUNT_FIELDS, METHODS
from cadres.models import Unit, subtree_sql
from reports.models import COUNTED_STATUSES, DesaMonthSums, KabupatenMonthSums, MonthlyReport, ReportStatus

DESA_LENGTH = codes.CODE_LENGTHS["desa"]
KABUPATEN_LENGTH = codes.CODE_LENGTHS["kabupaten"]
_BATCH = 1000
_FEW = 4  # rows changed up to which each is updated on its own
FIELDS = ("received", "verified", *COUNT_FIELDS, *(f"pb_ytd_{method}" for method in METHODS))


def desa_of(rt_code: str) -> str:
    return rt_code[:DESA_LENGTH]


def desa_months_refresh(pairs) -> None:
    """Recomputes the rows of the desa and years of these (RT code, month) pairs from the
    counted reports: every year of the pairs for every desa of them, a superset that is just as
    correct and keeps it at a few statements however many pairs (an import's 100,000), plus one
    INSERT per batch of rows. A whole year, because a month's PB counts in the PB so far of every
    later month of its year. Only the rows that differ are written, and the change of those desa
    rows is added to their kabupaten's rows.

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
        old = {(row[0], row[1]): dict(zip(FIELDS, row[2:]))
               for row in before.values_list("desa_id", "period", *FIELDS)}
        new = {(row.desa_id, row.period): {name: getattr(row, name) for name in FIELDS}
               for row in _month_rows(_desa_sums_sql(desas, sorted({period.year for _rt, period in pairs})))}
        _desa_write(before, old, new)
        _kabupaten_add(old, new)


def _years_q(years) -> Q:
    return reduce(or_, (Q(period__gte=datetime.date(year, 1, 1), period__lte=datetime.date(year, 12, 1))
                        for year in years))


def _differing(old: dict, new: dict) -> dict:
    """The rows of `new` that `old` lacks or holds with other numbers, each with only the
    numbers that differ (all of them for a row `old` lacks)."""
    return {key: sums if key not in old else {name: n for name, n in sums.items() if old[key][name] != n}
            for key, sums in new.items() if old.get(key) != sums}


def _desa_write(before, old: dict, new: dict) -> None:
    """Writes the new desa rows over the old: an UPDATE of the numbers that changed when a few
    rows changed (a report's month and the later months of its PB so far), else, or when a row
    goes, all of them deleted and inserted again."""
    differing = _differing(old, new)
    if old.keys() - new.keys() or len(differing) > _FEW:
        before.delete()
        DesaMonthSums.objects.bulk_create([DesaMonthSums(desa_id=desa, period=period, **sums)
                                           for (desa, period), sums in new.items()], batch_size=_BATCH)
        return
    DesaMonthSums.objects.bulk_create([DesaMonthSums(desa_id=desa, period=period, **new[desa, period])
                                       for desa, period in differing.keys() - old.keys()], batch_size=_BATCH)
    for (desa, period), sums in differing.items():
        if (desa, period) in old:
            _update(DesaMonthSums, {"desa_id": desa, "period": period}, sums, add=False)


def _change(old: dict, new: dict) -> dict[tuple[str, datetime.date], dict[str, int]]:
    """new − old desa rows, summed per kabupaten and month; only the months that changed."""
    change: dict[tuple[str, datetime.date], dict[str, int]] = {}
    for sign, rows in ((-1, old), (1, new)):
        for (desa, period), row in rows.items():
            sums = change.setdefault((desa[:KABUPATEN_LENGTH], period), dict.fromkeys(FIELDS, 0))
            for name in FIELDS:
                sums[name] += sign * row[name]
    return {key: sums for key, sums in change.items() if any(sums.values())}


def _kabupaten_add(old: dict, new: dict) -> None:
    """Adds new − old desa rows to their kabupaten's rows: exact, because a kabupaten's row is
    the sum of its desa's rows. A few rows changed: an UPDATE of the numbers that changed each
    (an INSERT where there is no row yet); more: one read, then one update and one insert per
    batch."""
    change = _change(old, new)
    if not change:
        return
    if len(change) <= _FEW:
        _kabupaten_move(change)
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


def _kabupaten_move(change: dict) -> None:
    added = []
    for (kabupaten, period), sums in change.items():
        moved = {name: n for name, n in sums.items() if n}
        if not _update(KabupatenMonthSums, {"kabupaten_id": kabupaten, "period": period}, moved, add=True):
            added.append(KabupatenMonthSums(kabupaten_id=kabupaten, period=period, **sums))
    KabupatenMonthSums.objects.bulk_create(added)


def _update(model, key: dict, numbers: dict, *, add: bool) -> int:
    """`model.objects.filter(**key).update(name=n, …)`, or with `add` `update(name=F(name) + n, …)`,
    in plain SQL: the same statement without the ORM's 1–2 ms of building its 38 assignments,
    on every counted write. The number of rows updated."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    assigned = ", ".join(f"{quote(name)} = {quote(name)} + %s" if add else f"{quote(name)} = %s" for name in numbers)
    where = " AND ".join(f"{quote(name)} = %s" for name in key)
    values = [connection.ops.adapt_datefield_value(value) if isinstance(value, datetime.date) else value
              for value in key.values()]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quote(model._meta.db_table)} SET {assigned} WHERE {where}", [*numbers.values(), *values])
        return cursor.rowcount


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
    return _month_rows(
        reports.values("period", desa=Substr("rt_id", 1, DESA_LENGTH))
        .annotate(received=Count("pk"), verified=Count("pk", filter=Q(status=ReportStatus.VERIFIED)),
                  **{name: Sum(name) for name in COUNT_FIELDS})
        .order_by()
    )


def _desa_sums_sql(desas: list[str], years: list[int]) -> list[dict]:
    """What `_rows` groups, for the counted reports of these desa in these years: the statement
    the ORM made, in plain SQL, without its 3 ms of building 38 aggregates on every counted write."""
    connection = connections[router.db_for_read(MonthlyReport)]
    quote = connection.ops.quote_name
    column, period = quote("rt_id"), quote("period")
    in_desas, params = [], []
    for desa in desas:
        sql, desa_params = subtree_sql(connection, column, desa)
        in_desas.append(sql)
        params += desa_params
    months = [connection.ops.adapt_datefield_value(datetime.date(year, month, 1)) for year in years for month in (1, 12)]
    sql = (f"SELECT {period}, SUBSTR({column}, 1, {DESA_LENGTH}), COUNT(*), COUNT(*) FILTER (WHERE {quote('status')} = %s),"
           f" {', '.join(f'SUM({quote(name)})' for name in COUNT_FIELDS)} FROM {quote(MonthlyReport._meta.db_table)}"
           f" WHERE {quote('status')} IN ({', '.join(['%s'] * len(COUNTED_STATUSES))})"
           f" AND ({' OR '.join([f'({period} >= %s AND {period} <= %s)'] * len(years))})"
           f" AND ({' OR '.join(in_desas)}) GROUP BY 1, 2")
    field = MonthlyReport._meta.get_field("period").get_col(MonthlyReport._meta.db_table)
    converters = connection.ops.get_db_converters(field) + field.get_db_converters(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [ReportStatus.VERIFIED, *COUNTED_STATUSES, *months, *params])
        found = cursor.fetchall()
    rows = []
    for month, desa, *numbers in found:
        for converter in converters:  # a date on SQLite comes as text
            month = converter(month, field, connection)
        rows.append({"period": month, "desa": desa, **dict(zip(("received", "verified", *COUNT_FIELDS), numbers))})
    return rows


def _month_rows(grouped) -> list[DesaMonthSums]:
    """The rows of `grouped` (per desa and month: "desa", "period", "received", "verified" and the
    counts' sums) as twelve rows per desa and year: the month's sums, and PB so far."""
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
