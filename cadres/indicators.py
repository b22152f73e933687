"""The indicator math (see docs/domain.md), pure Python: key lists, percentages, balance, PPM targets.

Everything here works on plain dicts of summed counts keyed by the report's field names
(`pus`, `<method>_<place>`, `hamil`, `ias`, `iat`, `tial`, `pb_<method>`, `gc_<method>`,
`pb_pasca`), whatever level they
were summed at: indicators are always ratios of sums, never averages of ratios. No Django.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

# The method keys, in this order (they are also the import files' columns).
METHODS = ("iud", "implan", "mow", "mop", "suntik", "pil", "kondom")
METHOD_LABELS = {"iud": "IUD", "implan": "Implan", "mow": "MOW", "mop": "MOP", "suntik": "Suntik", "pil": "Pil",
                 "kondom": "Kondom"}  # the same words in every language the app speaks
MKJP = ("iud", "implan", "mow", "mop")
NON_MKJP = ("suntik", "pil", "kondom")
PLACES = ("pemerintah", "swasta")
NON_USERS = ("hamil", "ias", "iat", "tial")
UNMET_NEED = ("iat", "tial")  # hamil and IAS are not unmet need
DROP_OUT_TO = ("ias", "iat", "tial")  # a method stopped for one of these, with no pregnancy

# The count fields of a monthly report (and the columns of its import file).
PA_FIELDS = tuple(f"{method}_{place}" for method in METHODS for place in PLACES)
PB_FIELDS = tuple(f"pb_{method}" for method in METHODS)
GC_FIELDS = tuple(f"gc_{method}" for method in METHODS)  # ganti cara: switches into each method
PB_PASCA = "pb_pasca"  # of the month's PB, those after a birth or miscarriage (at most their sum)
BALANCE_FIELDS = PA_FIELDS + NON_USERS  # what must add up to PUS
# GC and PB pasca came later: an import file may leave their columns out (zeros).
LATER_FIELDS = GC_FIELDS + (PB_PASCA,)
COUNT_FIELDS = ("pus",) + PA_FIELDS + NON_USERS + PB_FIELDS + LATER_FIELDS

_HUNDREDTHS = Decimal("0.01")


def percent(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator × 100, rounded half-up to 2 decimals; None when denominator is 0.

    Integer arithmetic, so that 1/800 gives 0.13 exactly where floats would give 0.12.
    """
    if not denominator:
        return None
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    quotient, remainder = divmod(abs(numerator) * 100 * 100, abs(denominator))
    if 2 * remainder >= abs(denominator):
        quotient += 1
    return (Decimal(sign * quotient) * _HUNDREDTHS).quantize(_HUNDREDTHS)


def _count(counts: Mapping[str, int | None], field: str) -> int:
    # A SQL SUM over no rows is NULL: no report means zero couples, not an unknown.
    return counts.get(field) or 0


def balance_total(counts: Mapping[str, int | None]) -> int:
    """PA (all methods and places) + hamil + IAS + IAT + TIAL: what PUS must equal."""
    return sum(_count(counts, field) for field in BALANCE_FIELDS)


def imbalance(counts: Mapping[str, int | None]) -> int:
    """By how much PA + non-users is off from PUS: negative when short, 0 when balanced."""
    return balance_total(counts) - _count(counts, "pus")


def pb_pasca_excess(counts: Mapping[str, int | None]) -> int:
    """By how much PB pasca exceeds the month's PB (it is a part of them): 0 when it does not."""
    return max(0, _count(counts, PB_PASCA) - sum(_count(counts, field) for field in PB_FIELDS))


def summarize(counts: Mapping[str, int | None]) -> dict:
    """The figures of a recap (`pus` to `pct`) from summed counts."""
    methods = {m: sum(_count(counts, f"{m}_{p}") for p in PLACES) for m in METHODS}
    places = {p: sum(_count(counts, f"{m}_{p}") for m in METHODS) for p in PLACES}
    pus = _count(counts, "pus")
    pa = sum(methods.values())
    mkjp = sum(methods[m] for m in MKJP)
    non_mkjp = sum(methods[m] for m in NON_MKJP)
    non_users = {key: _count(counts, key) for key in NON_USERS}
    unmet_need = sum(non_users[key] for key in UNMET_NEED)
    pb_methods = {m: _count(counts, f"pb_{m}") for m in METHODS}
    gc_methods = {m: _count(counts, f"gc_{m}") for m in METHODS}
    return {
        "pus": pus,
        "pa": pa,
        "methods": methods,
        "places": places,
        "mkjp": mkjp,
        "non_mkjp": non_mkjp,
        "non_users": non_users,
        "unmet_need": unmet_need,
        "pb": sum(pb_methods.values()),
        "pb_methods": pb_methods,
        "pb_pasca": _count(counts, PB_PASCA),
        "gc": sum(gc_methods.values()),
        "gc_methods": gc_methods,
        "gc_mkjp": sum(gc_methods[m] for m in MKJP),
        "pct": {
            "cpr": percent(pa, pus),
            "mkjp": percent(mkjp, pa),
            "non_mkjp": percent(non_mkjp, pa),
            "unmet_need": percent(unmet_need, pus),
        },
    }


def ppm_summary(target: Mapping[str, int] | None, pb_ytd: Mapping[str, int | None]) -> dict:
    """The PPM figures: the target, PB so far this year, and their ratio (null without target)."""
    pb_ytd = {m: pb_ytd.get(m) or 0 for m in METHODS}
    target_total = sum(target.values()) if target is not None else None
    pb_ytd_total = sum(pb_ytd.values())
    return {
        "target": dict(target) if target is not None else None,
        "pb_ytd": pb_ytd,
        "target_total": target_total,
        "pb_ytd_total": pb_ytd_total,
        "pct": ppm_percent(pb_ytd_total, target_total),
    }


def ppm_percent(pb_ytd_total: int, target_total: int | None) -> Decimal | None:
    return percent(pb_ytd_total, target_total) if target_total else None


def resolve_targets(
    targets: Mapping[str, Mapping[str, int]], codes: Iterable[str]
) -> dict[str, dict[str, int] | None]:
    """The PPM target of each unit in `codes`, from the rows that exist ({code: {method: n}}).

    A unit's target is its own row if it has one, otherwise the sum of its children's targets,
    recursively; None when nothing in its subtree has a row.
    """
    children: dict[str, set[str]] = {}
    for code in targets:
        parts = code.split(".")
        for depth in range(1, len(parts)):
            children.setdefault(".".join(parts[:depth]), set()).add(".".join(parts[: depth + 1]))

    def resolve(code):
        if code in targets:
            return {m: targets[code].get(m) or 0 for m in METHODS}
        below = [resolve(child) for child in sorted(children.get(code, ()))]
        if not below:
            return None
        return {m: sum(target[m] for target in below) for m in METHODS}

    return {code: resolve(code) for code in codes}
