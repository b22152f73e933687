"""The per-desa, per-month sums of the counted reports (`DesaMonthSums`), kept current in the
transaction of every write that changes what a recap counts.

Recaps and trends above desa read these rows (250 a month for a kabupaten) instead of every
RT's report (5,000). No cache: every function that changes a report's counts or whether it
counts (`reports.workflow` submit/return/reopen, `reports.report_import`, the admin, `seed_demo`,
`synth`) calls `desa_months_refresh` with the (RT code, month) pairs it wrote, before it commits,
so a recap never disagrees with the reports. `manage.py refresh_desa_months --check` compares
the whole table with the reports.
"""

from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Substr

from cadres import codes
from cadres.models import Unit, subtree_q
from reports.indicators import COUNT_FIELDS
from reports.models import DesaMonthSums, MonthlyReport

DESA_LENGTH = codes.CODE_LENGTHS["desa"]
_BATCH = 1000


def desa_of(rt_code: str) -> str:
    return rt_code[:DESA_LENGTH]


def desa_months_refresh(pairs) -> None:
    """Recomputes the rows of the desa and months of these (RT code, month) pairs from the
    counted reports: every month of the pairs for every desa of them, a superset that is just as
    correct and keeps it at four queries however many pairs (an import's 100,000).

    The desa units are locked first (PostgreSQL: FOR NO KEY UPDATE, in code order), so that two
    writers in one desa refresh its rows one after the other, each seeing the other's report;
    SQLite writes one transaction at a time anyway."""
    pairs = list(pairs)
    if not pairs:
        return
    desas = sorted({desa_of(rt) for rt, _period in pairs})
    periods = sorted({period for _rt, period in pairs})
    with transaction.atomic(savepoint=False):
        list(Unit.objects.select_for_update(no_key=True).filter(code__in=desas).order_by("code").values_list("pk"))
        DesaMonthSums.objects.filter(desa_id__in=desas, period__in=periods).delete()
        reports = MonthlyReport.objects.counted().filter(
            reduce(or_, (subtree_q(desa, "rt__code") for desa in desas)), period__in=periods
        )
        DesaMonthSums.objects.bulk_create(_sums(reports), batch_size=_BATCH)


def desa_months_rebuild() -> int:
    """Recomputes the whole table from the counted reports; returns its number of rows."""
    with transaction.atomic():
        DesaMonthSums.objects.all().delete()
        rows = DesaMonthSums.objects.bulk_create(_sums(MonthlyReport.objects.counted()), batch_size=_BATCH)
    return len(rows)


def desa_months_differences() -> list[str]:
    """The (desa, month) rows of the table that differ from the counted reports, as
    "desa YYYY-MM" (empty when the table is right). For the command's --check and the tests."""
    kept = {(row.pop("desa_id"), row.pop("period")): row for row in
            DesaMonthSums.objects.values("desa_id", "period", "received", *COUNT_FIELDS)}
    computed = {(row.desa_id, row.period): {name: getattr(row, name) for name in ("received", *COUNT_FIELDS)}
                for row in _sums(MonthlyReport.objects.counted())}
    return [f"{desa} {period:%Y-%m}" for desa, period in sorted(kept.keys() | computed.keys())
            if kept.get((desa, period)) != computed.get((desa, period))]


def _sums(reports) -> list[DesaMonthSums]:
    grouped = (
        reports.values("period", desa=Substr("rt_id", 1, DESA_LENGTH))
        .annotate(received=Count("pk"), **{name: Sum(name) for name in COUNT_FIELDS})
        .order_by()
    )
    return [DesaMonthSums(desa_id=row.pop("desa"), **row) for row in grouped]

