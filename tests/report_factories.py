"""Builders for monthly reports, PPM targets and big generated wilayah trees."""

import datetime

from cadres import codes
from cadres.indicators import BALANCE_FIELDS, COUNT_FIELDS, METHODS
from cadres.models import Unit, recount_rts
from cadres.periods import parse_period
from reports.models import MonthlyReport, PpmTarget, ReportStatus
from reports.numbers.summary import desa_months_refresh
from tests.factories import make_unit

# Where make_report puts what PUS has beyond the given counts: non-users that are not unmet need.
FILLERS = ("ias", "hamil")


def as_period(period) -> datetime.date:
    return parse_period(period) if isinstance(period, str) else period


def balanced_counts(**counts) -> dict[str, int]:
    """All count fields; PUS defaults to the sum, or the remainder goes to IAS (else hamil)."""
    unknown = set(counts) - set(COUNT_FIELDS)
    assert not unknown, f"unknown count fields {unknown}"
    full = dict.fromkeys(COUNT_FIELDS, 0) | counts
    total = sum(full[field] for field in BALANCE_FIELDS)
    if "pus" not in counts:
        full["pus"] = total
    elif total != full["pus"]:
        filler = next((field for field in FILLERS if field not in counts), None)
        assert filler and full["pus"] > total, f"cannot balance {counts}"
        full[filler] = full["pus"] - total
    return full


def make_report(rt_code, period, status=ReportStatus.VERIFIED, **counts) -> MonthlyReport:
    """A saved report for the RT (created with its ancestors if missing) that balances itself."""
    make_unit(rt_code)
    report = MonthlyReport.objects.create(
        rt_id=rt_code, period=as_period(period), status=status, **balanced_counts(**counts)
    )
    # As every write of the app does: the desa's sums that recaps above desa read.
    desa_months_refresh([(report.rt_id, report.period)])
    return report


def make_target(code, year, **methods) -> PpmTarget:
    make_unit(code)
    return PpmTarget.objects.create(unit_id=code, year=year, **dict.fromkeys(METHODS, 0) | methods)


def bulk_rts(root_code, *fanout) -> list[str]:
    """Creates, with one bulk insert, the tree below `root_code` (which must exist) with `fanout`
    children per unit at each level down to RT; returns the RT codes.

    bulk_rts("32.14", 2, 5, 2, 5) makes 2 kecamatan × 5 desa × 2 RW × 5 RT = 100 RTs.
    """
    level = codes.level_of(root_code)
    widths = codes.SEGMENT_WIDTHS[codes.LEVELS.index(level) + 1 :]
    assert len(fanout) == len(widths), "one fanout per level down to RT"
    units, frontier = [], [root_code]
    for width, count in zip(widths, fanout, strict=True):
        # Desa codes start at 2001 like real desa; other levels count from 1.
        first = 2001 if width == 4 else 1
        frontier = [f"{parent}.{n:0{width}d}" for parent in frontier for n in range(first, first + count)]
        units += [Unit(code=code, name=f"Wilayah {code}", parent_id=codes.parent_code(code)) for code in frontier]
    Unit.objects.bulk_create(units)
    recount_rts(root_code)  # as every bulk insert of units does
    return frontier


def bulk_reports(rt_codes, period, status=ReportStatus.VERIFIED, **counts) -> list[MonthlyReport]:
    """The same balanced report for every RT, with one bulk insert."""
    full = balanced_counts(**counts)
    reports = [
        MonthlyReport(rt_id=code, period=as_period(period), status=status, **full) for code in rt_codes
    ]
    reports = MonthlyReport.objects.bulk_create(reports)
    desa_months_refresh((report.rt_id, report.period) for report in reports)
    return reports
