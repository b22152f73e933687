"""The PPKBD's desa report as the OPD's recap shows it ("Kegiatan PPKBD"): the IMP institutions on
record in a subtree against those that reported in the month, with the desa's activities summed
(meetings, KIE sessions, the poktan's figures: `reports.monthly.activities.desa_activity_sums`).
Two queries whatever the size of the subtree: that sum, and one grouped count of the institutions.

What "reporting" means depends on the kind of institution (docs/domain.md):

- PPKBD: the desa in the subtree with a desa report for the month (poktan numbers saved, or
  activities recorded). It counts desa, not PPKBD on record, so it may exceed "existing" when a
  desa's PPKBD was never entered as an institution.
- Sub-PPKBD: those whose RW has at least one counted RT report (sent or verified) for the month.
- POK KB: those whose RT has a counted report for the month.
- A poktan kind (BKB, BKR, BKL, UPPKA, PIK-R): the PPKBD reports one row per kind for all the
  desa's groups of that kind together, so when the desa's row has members or meetings (> 0), every
  group of that kind on record in the desa (at the desa or one of its RWs) counts as reporting;
  a desa with numbers but no group on record adds none. Reporting never exceeds existing.
"""

import datetime

from django.db import connections, router

from cadres import codes
from cadres.models import Institution, Unit, subtree_sql
from cadres.models.imp import InstitutionKind
from reports.models import (COUNTED_STATUSES, POKTAN_FIELDS, DesaActivityReport, MonthlyReport, PoktanActivity,
                            PoktanKind)
from reports.monthly.activities import POKTAN_KINDS, desa_activity_sums

IMP_KINDS = ("ppkbd", "sub_ppkbd", "pok_kb")  # the institutions of the wilayah, above the poktan
# The levels whose recap shows the section: the desa, and the levels above it up to the kabupaten.
# Above, a province's 160,000 institutions would be counted against its reports on every page
# (over a second at Jawa Barat's size): its kabupaten's pages show theirs.
SHOWN_AT = codes.LEVELS[codes.LEVELS.index("kabupaten"): codes.LEVELS.index("desa") + 1]


def institution_counts(code: str, period: datetime.date) -> dict[str, dict[str, int]]:
    """{kind: {"existing", "reporting"}} for every institution kind in the subtree (one query;
    a PPKBD's "reporting" is left 0 here: it counts desa reports, see `imp_report`)."""
    counts = {kind: {"existing": 0, "reporting": 0} for kind in InstitutionKind.values}
    for kind, existing, reporting in _institution_rows(code, period):
        counts[kind] = {"existing": existing, "reporting": reporting}
    return counts


def _institution_rows(code: str, period: datetime.date) -> list[tuple]:
    """(kind, existing, reporting) of the subtree's institutions, reporting by the rule per kind
    above. Plain SQL, the statement the ORM made, without its 2–3 ms of building and compiling
    three nested EXISTS on every desa's dashboard (tests/test_recap_imp.py compares both).
    A Sub-PPKBD goes from its RW's RTs (its few children, by the parent index) to their reports,
    by the (RT, month) key: joined from the reports' side, a database reads the month's every
    report per RW."""
    connection = connections[router.db_for_read(Institution)]
    quote = connection.ops.quote_name
    i, r, u, p, d = (_columns(quote, model._meta.db_table, alias) for model, alias in [
        (Institution, None), (MonthlyReport, None), (Unit, "rt"), (PoktanActivity, None), (DesaActivityReport, None)])
    counted = (f"SELECT 1 FROM {r()} WHERE {r('status')} IN ({', '.join(['%s'] * len(COUNTED_STATUSES))})"
               f" AND {r('period')} = %s AND {r('rt_id')} = ")
    reporting = (
        f"({i('kind')} = %s AND EXISTS(SELECT 1 FROM {u()} WHERE {u('parent_id')} = {i('unit_id')}"
        f" AND EXISTS({counted}{u('code')})))"
        f" OR ({i('kind')} = %s AND EXISTS({counted}{i('unit_id')}))"
        f" OR ({i('kind')} IN ({', '.join(['%s'] * len(POKTAN_KINDS))}) AND EXISTS(SELECT 1 FROM {p()}"
        f" INNER JOIN {d()} ON ({p('report_id')} = {d('id')}) WHERE ({p('members')} > 0 OR {p('meetings')} > 0)"
        f" AND {p('kind')} = {i('kind')} AND {d('desa_id')} = SUBSTR({i('unit_id')}, 1, {codes.CODE_LENGTHS['desa']})"
        f" AND {d('period')} = %s))")
    subtree, in_subtree = subtree_sql(connection, i("unit_id"), code)
    sql = (f"SELECT {i('kind')}, COUNT({i('id')}), COUNT({i('id')}) FILTER (WHERE {reporting})"
           f" FROM {i()} WHERE {subtree} GROUP BY 1")
    month = connection.ops.adapt_datefield_value(period)
    with connection.cursor() as cursor:
        cursor.execute(sql, [InstitutionKind.SUB_PPKBD, *COUNTED_STATUSES, month, InstitutionKind.POK_KB,
                             *COUNTED_STATUSES, month, *POKTAN_KINDS, month, *in_subtree])
        return cursor.fetchall()


def _columns(quote, table: str, alias: str | None):
    """A quoted column of the table (by its alias, if any) by name; with no name, the table for FROM."""
    name = quote(alias or table)
    return lambda column=None: f"{name}.{quote(column)}" if column else (
        f"{quote(table)} {name}" if alias else name)


def imp_report(code: str, period: datetime.date) -> dict:
    """The month's "Kegiatan PPKBD" of a unit, summed over its subtree (two queries):
    {"institutions": {kind: {"existing", "reporting"}} for the eight kinds of InstitutionKind,
     "reports": desa with a desa report, "meetings", "kie_sessions", "poktan": {kind: {field: n}}}."""
    sums = desa_activity_sums(code, period)
    institutions = institution_counts(code, period)
    institutions[InstitutionKind.PPKBD]["reporting"] = sums["reports"]
    return {"institutions": institutions, **sums}


def imp_report_for(unit: Unit, period: datetime.date) -> dict | None:
    """The section of a recap, dashboard, PDF or workbook: None below a desa (its RWs and RTs
    have no desa report of their own) and above a kabupaten (see SHOWN_AT), so they spend no
    query on it."""
    return imp_report(unit.code, period) if unit.level in SHOWN_AT else None


def institution_rows(report: dict) -> list[dict]:
    """The institutions' table: PPKBD, Sub-PPKBD and POK KB, then each poktan by its short name,
    as {"kind", "label", "existing", "reporting"}."""
    labels = [(kind, InstitutionKind(kind).label) for kind in IMP_KINDS]
    labels += [(kind, PoktanKind(kind).label) for kind in POKTAN_KINDS]
    return [{"kind": kind, "label": label, **report["institutions"][kind]} for kind, label in labels]


def poktan_table(report: dict) -> list[dict]:
    """Per poktan: the groups on record and reporting, and the month's figures by name and, as
    "values", in the order of POKTAN_FIELDS (families targeted, members, members PUS, members PUS
    using KB, meetings)."""
    return [
        {"kind": kind, "label": PoktanKind(kind).label, **report["institutions"][kind], **report["poktan"][kind],
         "values": [report["poktan"][kind][name] for name in POKTAN_FIELDS]}
        for kind in POKTAN_KINDS
    ]


def imp_context(unit: Unit, period: datetime.date) -> dict:
    """What a page or the PDF shows of the section: the report (None below a desa), the
    institutions' rows (all eight kinds, and the three above the poktan) and the poktan's rows."""
    report = imp_report_for(unit, period)
    if report is None:
        return {"imp_report": None}
    rows = institution_rows(report)
    return {"imp_report": report, "imp_institutions": rows, "imp_wilayah": rows[: len(IMP_KINDS)],
            "imp_poktan": poktan_table(report)}
