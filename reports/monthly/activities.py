"""The desa part of the PPKBD's monthly report (docs/domain.md): meetings held, KIE sessions, and per
poktan (BKB, BKR, BKL, UPPKA, PIK-R) the families targeted, members, members who are PUS, PUS
members using KB, and meetings held. The poktan numbers are written by `desa_activity_save`; the
meetings and KIE sessions are counted from the activities recorded as events
(`reports.monthly.events`); all of it is summed over any subtree by `desa_activity_sums`.

Activities are not verified like the RT counts: what the PPKBD saved is what is summed. The same
optimistic locking as the RT report keeps two people from overwriting each other, and a month
the OPD closed refuses changes.
"""

import datetime

from django.db import IntegrityError, connections, router, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import access
from cadres.models import Unit, subtree_sql
from reports.models import POKTAN_FIELDS, DesaActivityReport, PoktanActivity, PoktanKind
from reports.monthly.locking import WorkflowError, claim, stale
from reports.monthly.workflow import check_month_started, check_period_open

DESA_FIELDS = ("meetings", "kie_sessions")
POKTAN_KINDS = tuple(PoktanKind.values)


WHAT = gettext_lazy("Kegiatan desa bulan ini")  # what a refused save says was changed

def poktan_key(kind: str, name: str) -> str:
    """The flat name of one poktan number, as in forms and sums: `bkb_members`."""
    return f"{kind}_{name}"


def activity_keys() -> list[str]:
    """The numbers the PPKBD types: five per poktan (meetings and KIE sessions are counted)."""
    return [poktan_key(kind, name) for kind in POKTAN_KINDS for name in POKTAN_FIELDS]


def activity_values(report: DesaActivityReport | None) -> dict[str, int]:
    """The report's numbers under their flat keys (what the form shows)."""
    if report is None:
        return {}
    values = {name: getattr(report, name) for name in DESA_FIELDS}
    for row in report.poktan.all():
        values |= {poktan_key(row.kind, name): value for name, value in row.values().items()}
    return values


def _history(desa: Unit, period: datetime.date):
    return DesaActivityReport.history.filter(desa_id=desa.code, period=period)


def _claim(desa: Unit, period: datetime.date, version: int) -> DesaActivityReport:
    """The report at `version` claimed at version + 1, or a new one when `version` is 0."""
    rows = DesaActivityReport.objects.filter(desa=desa, period=period)
    return claim(rows, _history(desa, period), version, WHAT) or DesaActivityReport(desa=desa, period=period)


def _check_values(values: dict):
    if any(not isinstance(values.get(key), int) or values[key] < 0 for key in activity_keys()):
        raise WorkflowError(_("Setiap angka kegiatan wajib diisi, bilangan bulat ≥ 0."))
    for kind in POKTAN_KINDS:
        members, pus, pus_kb = (values[poktan_key(kind, name)] for name in ("members", "members_pus", "members_pus_kb"))
        if not pus_kb <= pus <= members:
            raise WorkflowError(_("%(poktan)s: anggota PUS ber-KB ≤ anggota PUS ≤ anggota.")
                                % {"poktan": PoktanKind(kind).label})


@transaction.atomic
def desa_activity_save(*, desa: Unit, period: datetime.date, values: dict, version: int, by) -> DesaActivityReport:
    """Saves the desa's poktan numbers of the month: the report and its five poktan rows."""
    report = _claim(desa, period, version)
    if desa.level != "desa" or not access.can_write(by, desa.code):
        raise WorkflowError(_("Anda tidak boleh mengisi kegiatan desa ini."))
    check_period_open(desa.code, period)
    check_month_started(period)
    _check_values(values)
    report.updated_by, report._history_user = by, by
    if report.pk:
        report.save()
    else:
        try:
            with transaction.atomic():
                report.save(force_insert=True)
        except IntegrityError:
            raise stale(_history(desa, period), WHAT) from None
    for kind in POKTAN_KINDS:
        row, _created = PoktanActivity.objects.get_or_create(report=report, kind=kind)
        for name in POKTAN_FIELDS:
            setattr(row, name, values[poktan_key(kind, name)])
        row._history_user = by
        row.save()
    return report


def desa_activity_sums(code: str, period: datetime.date) -> dict:
    """The month's activities summed over the desa below a unit (or the desa itself), in one query:
    {"reports": desa that reported, "meetings", "kie_sessions", "poktan": {kind: {field: n}}}.

    Each poktan is its own filtered join, which matches at most one row per report (one row per
    kind), so the desa's own numbers are not counted once per poktan.
    """
    totals = _activity_totals(code, period)
    return {
        "reports": totals["reports"],
        **{name: totals[name] or 0 for name in DESA_FIELDS},
        "poktan": {
            kind: {name: totals[poktan_key(kind, name)] or 0 for name in POKTAN_FIELDS} for kind in POKTAN_KINDS
        },
    }


def _activity_totals(code: str, period: datetime.date) -> dict:
    """The aggregate of `desa_activity_sums` in plain SQL: the statement the ORM made from one
    filtered relation per poktan (a left join on the report and the kind), without its 2–3 ms
    of building and compiling it."""
    connection = connections[router.db_for_read(DesaActivityReport)]
    quote = connection.ops.quote_name
    report = quote(DesaActivityReport._meta.db_table)
    subtree, params = subtree_sql(connection, f"{report}.{quote('desa_id')}", code)
    joins, kinds = [], []
    for number, kind in enumerate(POKTAN_KINDS):
        joins.append(f" LEFT OUTER JOIN {quote(PoktanActivity._meta.db_table)} P{number} ON ({report}.{quote('id')}"
                     f" = P{number}.{quote('report_id')} AND P{number}.{quote('kind')} = %s)")
        kinds.append(kind)
    keys = ["reports", *DESA_FIELDS, *(poktan_key(kind, name) for kind in POKTAN_KINDS for name in POKTAN_FIELDS)]
    sums = [f"COUNT({report}.{quote('id')})", *(f"SUM({report}.{quote(name)})" for name in DESA_FIELDS),
            *(f"SUM(P{number}.{quote(name)})" for number in range(len(POKTAN_KINDS)) for name in POKTAN_FIELDS)]
    sql = (f"SELECT {', '.join(sums)} FROM {report}{''.join(joins)} WHERE {subtree}"
           f" AND {report}.{quote('period')} = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*kinds, *params, connection.ops.adapt_datefield_value(period)])
        return dict(zip(keys, cursor.fetchone()))


def poktan_rows(sums: dict) -> list[tuple[str, list[int]]]:
    """The poktan part of `desa_activity_sums` (or of one report's values) as table rows."""
    return [(PoktanKind(kind).label, [sums["poktan"][kind][name] for name in POKTAN_FIELDS]) for kind in POKTAN_KINDS]
