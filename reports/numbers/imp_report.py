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

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr

from cadres import codes
from cadres.models import Institution, Unit, subtree_q
from cadres.models.imp import InstitutionKind
from reports.models import POKTAN_FIELDS, MonthlyReport, PoktanActivity, PoktanKind
from reports.monthly.activities import POKTAN_KINDS, desa_activity_sums

IMP_KINDS = ("ppkbd", "sub_ppkbd", "pok_kb")  # the institutions of the wilayah, above the poktan
# The levels whose recap shows the section: the desa, and the levels above it up to the kabupaten.
# Above, a province's 160,000 institutions would be counted against its reports on every page
# (over a second at Jawa Barat's size): its kabupaten's pages show theirs.
SHOWN_AT = codes.LEVELS[codes.LEVELS.index("kabupaten"): codes.LEVELS.index("desa") + 1]


def _reporting_q(period: datetime.date) -> Q:
    """An institution that reported in the month (the rule per kind above), as a filter."""
    counted = MonthlyReport.objects.counted().filter(period=period)
    desa = Substr(OuterRef("unit_id"), 1, codes.CODE_LENGTHS["desa"])
    poktan_with_numbers = PoktanActivity.objects.filter(
        Q(members__gt=0) | Q(meetings__gt=0), report__desa_id=desa, report__period=period, kind=OuterRef("kind"))
    # From the RW's RTs (its few children, by the parent index) to their reports, by the (RT,
    # month) key: joined from the reports' side, a database reads the month's every report per RW.
    rw_reported = Unit.objects.filter(parent_id=OuterRef("unit_id")).filter(Exists(counted.filter(rt_id=OuterRef("code"))))
    return (
        (Q(kind=InstitutionKind.SUB_PPKBD) & Exists(rw_reported))
        | (Q(kind=InstitutionKind.POK_KB) & Exists(counted.filter(rt_id=OuterRef("unit_id"))))
        | (Q(kind__in=POKTAN_KINDS) & Exists(poktan_with_numbers))
    )


def institution_counts(code: str, period: datetime.date) -> dict[str, dict[str, int]]:
    """{kind: {"existing", "reporting"}} for every institution kind in the subtree (one query;
    a PPKBD's "reporting" is left 0 here: it counts desa reports, see `imp_report`)."""
    rows = (
        Institution.objects.filter(subtree_q(code, "unit__code")).values("kind")
        .annotate(existing=Count("pk"), reporting=Count("pk", filter=_reporting_q(period))).order_by()
    )
    counts = {kind: {"existing": 0, "reporting": 0} for kind in InstitutionKind.values}
    for row in rows:
        counts[row["kind"]] = {"existing": row["existing"], "reporting": row["reporting"]}
    return counts


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
