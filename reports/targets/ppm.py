"""PPM targets entered on the web: splitting a unit's target over its children, the PUS the split
is weighted by, and saving the rows of one page.

`split_largest_remainder` is pure: each child gets the floor of its share, and the units left
over go to the largest fractional parts, so that the children's integers add up exactly to the
parent's number. Saving is an upsert on (unit, year), like the import (`reports.targets.importer`).
"""

import datetime
from collections.abc import Mapping, Sequence

from django.db import transaction

from cadres import access
from cadres.indicators import METHODS
from cadres.models import Unit
from cadres.periods import current_period
from reports.models import PpmTarget
from reports.numbers.recap import SOURCES


def split_largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """`total` split over `weights` in proportion, as integers adding up to `total`.

    Integer arithmetic only; ties in the remainders go to the earlier weight. When every weight
    is 0 (no PUS known anywhere) the split is equal.
    """
    if not weights:
        return []
    if not any(weights):
        weights = [1] * len(weights)
    weight_total = sum(weights)
    shares = [divmod(total * weight, weight_total) for weight in weights]
    parts = [share for share, _remainder in shares]
    left_over = total - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-shares[i][1], i))
    for index in by_remainder[:left_over]:
        parts[index] += 1
    return parts


def split_targets(target: Mapping[str, int], pus: Mapping[str, int]) -> dict[str, dict[str, int]]:
    """The parent's target per method split over the children (code → PUS, in order):
    code → {method: n}, each method's numbers adding up to the parent's."""
    child_codes = list(pus)
    weights = [pus[code] or 0 for code in child_codes]
    proposal = {code: {} for code in child_codes}
    for method in METHODS:
        for code, part in zip(child_codes, split_largest_remainder(target.get(method) or 0, weights)):
            proposal[code][method] = part
    return proposal


def weighting_period(year: int) -> datetime.date:
    """The month whose PUS weights the split: December of the year before, or the latest month
    being reported when that December has not ended yet."""
    return min(datetime.date(year - 1, 12, 1), current_period())


def children_pus(unit: Unit, children: Sequence[Unit], year: int) -> tuple[dict[str, int], str]:
    """Each child's PUS (code → PUS) and where it comes from: the counted monthly reports of
    `weighting_period`, or the register at that month's end when no report has any PUS."""
    period = weighting_period(year)
    for source in ("reports", "register"):
        _total, per_child = SOURCES[source](unit.code, period)
        pus = {child.code: per_child[child.code].counts["pus"] if child.code in per_child else 0
               for child in children}
        if any(pus.values()):
            return pus, source
    return pus, ""


@transaction.atomic
def targets_save(*, year: int, targets: Mapping[str, Mapping[str, int]], by) -> int:
    """Adds or replaces the (unit, year) target rows of `targets` (code → {method: n}) in one
    upsert; returns how many rows were written."""
    access.check(access.may_set_targets(by) and all(access.can_see(by, code) for code in targets))
    PpmTarget.objects.bulk_create(
        [PpmTarget(unit_id=code, year=year, **{m: methods[m] for m in METHODS}) for code, methods in targets.items()],
        update_conflicts=True, unique_fields=["unit", "year"], update_fields=list(METHODS),
    )
    return len(targets)
