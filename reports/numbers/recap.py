"""The recap of a unit and month (docs/interfaces.md): the roll-up's sums turned into indicators.

`recap_for` returns the §5 structure with `Decimal` percentages; `to_jsonable` turns those into
JSON numbers (86.49, not "86.49") for the command and the web.
"""

import datetime
from decimal import Decimal

from django.db.models import Q

from cadres.indicators import ppm_summary, summarize
from cadres.models import Unit
from cadres.periods import period_str
from reports.numbers import rollup
from reports.numbers.register_month import register_rollup


def reports_rollup(code: str, period: datetime.date,
                   expected: tuple[int, dict[str, int]] | None = None) -> tuple[rollup.Sums, dict[str, rollup.Sums]]:
    """The roll-up of the submitted and verified monthly reports (two queries; one for an RT, or
    when the RTs expected are given)."""
    return rollup.rollup(rollup.counted_reports(code), code, period, expected)


# Where a recap's sums come from: source name -> f(code, period) giving the unit's Sums and
# its children's by code: the counted monthly reports, or the register as it stood at month end.
SOURCES = {"reports": reports_rollup, "register": register_rollup}


class UnknownSource(ValueError):
    pass


def recap_for(unit: Unit, period: datetime.date, source: str = "reports") -> dict:
    """The recap of `unit` for the month starting on `period`, from `source` (a key of SOURCES).

    A constant number of queries: the source's roll-up, the unit's children and the targets.
    """
    if source not in SOURCES:
        raise UnknownSource(source)
    children, expected = _children(unit)
    if source == "reports" and expected is not None:
        total, per_child = reports_rollup(unit.code, period, expected)
    else:
        total, per_child = SOURCES[source](unit.code, period)
    targets = rollup.resolved_targets(unit.code, period.year)
    return {
        "unit": unit_json(unit),
        "period": period_str(period),
        "source": source,
        **_figures(total, targets.get(unit.code), period.year),
        "children": [
            {
                "unit": unit_json(child),
                **_figures(per_child.get(child.code, rollup.Sums()), targets.get(child.code), period.year),
            }
            for child in children
        ],
    }


def _children(unit: Unit) -> tuple[list[Unit], tuple[int, dict[str, int]] | None]:
    """The unit's children (by code) and the RTs expected (`rollup.expected_rts`), in one query of
    the unit and its children: the unit's own count of RTs is read again with them, not taken
    from `unit` (which may have been read before a change). None for an RT: no query."""
    if unit.is_rt:
        return [], None
    units = list(Unit.objects.filter(Q(code=unit.code) | Q(parent_id=unit.code)).order_by("code"))
    expected = rollup.expected_of(unit.code, [(each.code, each.rts) for each in units])
    return [each for each in units if each.code != unit.code], expected


def unit_json(unit: Unit) -> dict:
    return {"code": unit.code, "name": unit.name, "level": unit.level}


def _figures(sums: rollup.Sums, target: dict | None, year: int) -> dict:
    return {
        **summarize(sums.counts),
        "reports": {"expected": sums.expected, "received": sums.received},
        "ppm": {"year": year, **ppm_summary(target, sums.pb_ytd)},
    }


def to_jsonable(value):
    """The recap with its Decimals as floats, so that JSON shows numbers."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_jsonable(item) for item in value]
    return value
