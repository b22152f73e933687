"""Reads for the register screens: the counts on top, the counts per RT, and the filtered list.

Everything is counted in SQL: a page costs the same few queries for 5 couples or 5,000.
"""

import datetime

from django.db.models import Count, F, FilteredRelation, Q
from django.db.models.functions import Substr
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cadres import codes
from cadres.indicators import METHODS, MKJP, NON_MKJP, NON_USERS, UNMET_NEED, percent
from cadres.models import Couple, CoupleStatus, Unit
from cadres.models.register import PLACE_CHOICES, PUS_MAX_AGE, STATUS_LABELS, years_before
from cadres.register.rules import RISK_LABELS, risk_flags

# The `status` filter: KB aktif (any method), one method, or one reason for not using.
STATUS_FILTERS = ("aktif",) + METHODS + NON_USERS
METHOD_GROUPS = {"mkjp": MKJP, "non_mkjp": NON_MKJP}

PLACE_LABELS = dict(PLACE_CHOICES)
# The couple's own fields whose changes the history names.
HISTORY_FIELDS = (
    "wife_name", "wife_birth_date", "husband_name", "children", "youngest_birth_date", "nik",
    "address", "registered_on", "first_use", "ever_used", "left_on", "left_reason",
)

_COUNTS = {
    "pus": Count("pk"),
    "pa": Count("pk", filter=Q(status__in=METHODS)),
    "mkjp": Count("pk", filter=Q(status__in=MKJP)),
    "unmet_need": Count("pk", filter=Q(status__in=UNMET_NEED)),
}


def _in_force(code: str, on: datetime.date):
    """The status rows in force on the date of the couples that are PUS then, below `code`."""
    pus = Couple.objects.in_subtree(code).pus_on(on)
    return CoupleStatus.objects.on(on).filter(couple__in=pus)


def with_percentages(counts: dict) -> dict:
    """Adds CPR and unmet need (of PUS) and MKJP (of PA), as docs/domain.md divides them."""
    return {
        **counts,
        "pct_cpr": percent(counts["pa"], counts["pus"]),
        "pct_mkjp": percent(counts["mkjp"], counts["pa"]),
        "pct_unmet_need": percent(counts["unmet_need"], counts["pus"]),
    }


def register_counts(code: str, on: datetime.date) -> dict:
    """PUS with a status in force, PA, MKJP and unmet need below `code` on the date: one query."""
    return with_percentages(_in_force(code, on).aggregate(**_COUNTS))


def row_units(unit: Unit):
    """The units a register page lists with their counts: every RT of a desa or RW, else the children."""
    if unit.level in ("desa", "rw"):
        return Unit.objects.subtree(unit.code).at_level("rt").select_related("parent")
    return unit.children.all()


def counts_by_unit(unit: Unit, on: datetime.date) -> list[tuple[Unit, dict]]:
    """Each listed unit below `unit` with its counts: two queries, grouped by the code prefix."""
    units = list(row_units(unit).order_by("code"))
    if not units:
        return []
    length = len(units[0].code)
    grouped = (
        _in_force(unit.code, on)
        .annotate(unit_code=Substr("couple__rt_id", 1, length))
        .values("unit_code")
        .annotate(**_COUNTS)
        .order_by()
    )
    by_code = {row.pop("unit_code"): row for row in grouped}
    empty = dict.fromkeys(_COUNTS, 0)
    return [(child, with_percentages(by_code.get(child.code, empty))) for child in units]


def rows_by_rw(rows: list[tuple[Unit, dict]]) -> list[dict]:
    """A desa's RT rows under their RW, each RW with its own sums: every RW has an "RT 001"."""
    groups = {}
    for rt, counts in rows:
        group = groups.setdefault(rt.parent_id, {"rw": rt.parent, "rows": []})
        group["rows"].append((rt, counts))
    for group in groups.values():
        group["totals"] = with_percentages({key: sum(row[key] for _rt, row in group["rows"]) for key in _COUNTS})
    return list(groups.values())


def reporting_month(today: datetime.date) -> datetime.date:
    """The first day of the month being reported now: the previous calendar month (reports are
    due early in the next one). The reports app keeps the same rule; this side may not import it."""
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    return last_month.replace(day=1)


def couples_in(code: str, on: datetime.date):
    """The couples below `code`, each with its status row in force on the date (`current_*`)."""
    in_force = Q(statuses__since__lte=on) & (Q(statuses__until__isnull=True) | Q(statuses__until__gt=on))
    return (
        Couple.objects.in_subtree(code)
        .annotate(now=FilteredRelation("statuses", condition=in_force))
        .annotate(
            current_status=F("now__status"), current_place=F("now__place"),
            current_since=F("now__since"), current_is_pb=F("now__is_pb"),
        )
    )


def has_left(on: datetime.date) -> Q:
    """Off the register on the date: left (divorce, death, moving) or the wife is past 49."""
    return Q(left_on__lte=on) | Q(wife_birth_date__lte=years_before(on, PUS_MAX_AGE + 1))


def at_risk(on: datetime.date) -> Q:
    """Any 4T flag of `cadres.register.rules.risk_flags`, as a filter."""
    return (
        Q(wife_birth_date__gt=years_before(on, 20))
        | Q(wife_birth_date__lte=years_before(on, 36))
        | Q(children__gt=2)
        | Q(youngest_birth_date__gt=years_before(on, 2))
    )


def filter_couples(couples, on: datetime.date, *, status="", group="", risk=False, left=False, q=""):
    """The list's filters (see `RegisterFilterForm`); without `left`, only couples still on it."""
    couples = couples.filter(has_left(on)) if left else couples.exclude(has_left(on))
    if status == "aktif":
        couples = couples.filter(current_status__in=METHODS)
    elif status:
        couples = couples.filter(current_status=status)
    if group:
        couples = couples.filter(current_status__in=METHOD_GROUPS[group])
    if risk:
        couples = couples.filter(at_risk(on))
    if q:
        couples = couples.filter(Q(wife_name__icontains=q) | Q(husband_name__icontains=q))
    return couples


def decorate(couples, on: datetime.date) -> list[Couple]:
    """Adds what a row shows (age, 4T labels, RW/RT) to the couples of one page: no queries."""
    couples = list(couples)
    for couple in couples:
        couple.age = couple.wife_age_on(on)
        couple.status_label = status_text(couple.current_status, couple.current_place) if couple.current_status else ""
        couple.badge = status_badge(couple.current_status)
        couple.risks = [RISK_LABELS[flag] for flag in risk_flags(couple, on)]
        couple.rw_rt = " / ".join(
            f"{level.upper()} {segment}"
            for level, segment in zip(codes.LEVELS[4:], couple.rt_id.split(".")[4:])
        )
    return couples


def status_badge(status: str | None) -> str:
    """The badge colour of a status: MKJP, other methods, unmet need (IAT/TIAL), hamil/IAS."""
    if status in MKJP:
        return "text-bg-success"
    if status in NON_MKJP:
        return "text-bg-primary"
    if status in UNMET_NEED:
        return "text-bg-warning"
    return "text-bg-info" if status else "text-bg-light border"


def status_text(status: str, place: str = "") -> str:
    """`Pil (Pemerintah)`, `Hamil`."""
    return f"{STATUS_LABELS[status]} ({PLACE_LABELS[place]})" if place else str(STATUS_LABELS[status])


def couple_history(couple: Couple) -> list[dict]:
    """Who changed what and when, newest first, from simple-history: the couple's data and statuses.

    Only field names are shown for the couple's data, so the history never reveals a NIK. Rows
    re-saved by `couple_status_set` only to relink them (`is_pb`, `until`) are left out.
    """
    entries = []
    previous = None
    for record in couple.history.select_related("history_user").order_by("history_date", "history_id"):
        changed = [] if previous is None else [
            str(Couple._meta.get_field(name).verbose_name)
            for name in HISTORY_FIELDS if getattr(record, name) != getattr(previous, name)
        ]
        what = {"+": _("Pasangan didaftarkan"), "-": _("Pasangan dihapus")}.get(record.history_type)
        if what is None and changed:
            what = _("Data diubah: %(fields)s") % {"fields": ", ".join(changed)}
        if what:
            entries.append({"when": record.history_date, "who": record.history_user, "what": what})
        previous = record
    entries += _status_history(couple)
    return sorted(entries, key=lambda entry: entry["when"], reverse=True)


def _status_history(couple: Couple) -> list[dict]:
    entries, previous = [], {}
    records = CoupleStatus.history.filter(couple_id=couple.pk).select_related("history_user")
    for record in records.order_by("history_date", "history_id"):
        key = (record.status, record.place, record.since)
        before = previous.get(record.id)
        previous[record.id] = key
        if record.history_type == "~" and key == before:
            continue
        template = {
            "+": _("Status %(status)s sejak %(date)s dicatat"),
            "~": _("Status diubah menjadi %(status)s sejak %(date)s"),
            "-": _("Status %(status)s sejak %(date)s dihapus"),
        }[record.history_type]
        what = template % {"status": status_text(record.status, record.place),
                           "date": date_format(record.since, "j F Y")}
        entries.append({"when": record.history_date, "who": record.history_user, "what": what})
    return entries
