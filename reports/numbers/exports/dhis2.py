"""The recap as a DHIS2 data value set (docs/interfaces.md, "DHIS2"): for every RT of the unit
with a counted report (source `reports`) or with couples (source `register`), one data value per
count field. The method × place fields are one data element per method with the place as the
category option combo; the other fields use `default`. Periods are `YYYYMM`, values strings of
digits, org units RT codes.

A kabupaten's DHIS2 names its data elements, category option combos and org units by UIDs: a
mapping file (JSON, the setting `DHIS2_MAPPING`; `docs/dhis2-mapping.sample.json`) turns our keys
and codes into them; a key or code it does not name stays as it is.
"""

import datetime
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from cadres.indicators import COUNT_FIELDS, METHODS, PLACES
from reports.models import MonthlyReport, rt_subtree_q
from reports.numbers.register_month import rt_counts

DEFAULT_COMBO = "default"
SECTIONS = ("dataElements", "categoryOptionCombos", "orgUnits")


class MappingError(ValueError):
    """The mapping file cannot be read; the message says why, in Indonesian."""


def element_and_combo(field: str) -> tuple[str, str]:
    """`iud_swasta` → ("iud", "swasta"); `pus` → ("pus", "default")."""
    method, _sep, place = field.rpartition("_")
    if method in METHODS and place in PLACES:
        return method, place
    return field, DEFAULT_COMBO


def rt_rows(code: str, period: datetime.date, source: str) -> dict[str, dict[str, int]]:
    """The counts of each RT below `code` that the data value set carries, by RT code."""
    if source == "register":
        return rt_counts(code, period)
    reports = MonthlyReport.objects.counted().filter(rt_subtree_q(code), period=period).order_by("rt_id")
    return {row["rt_id"]: row for row in reports.values("rt_id", *COUNT_FIELDS)}


def data_value_set(code: str, period: datetime.date, source: str = "reports", mapping: dict | None = None) -> dict:
    mapping = load_mapping() if mapping is None else mapping
    names = {section: mapping.get(section, {}) for section in SECTIONS}
    values = []
    for rt, counts in rt_rows(code, period, source).items():
        for field in COUNT_FIELDS:
            element, combo = element_and_combo(field)
            values.append({
                "dataElement": names["dataElements"].get(element, element),
                "categoryOptionCombo": names["categoryOptionCombos"].get(combo, combo),
                "orgUnit": names["orgUnits"].get(rt, rt),
                "period": period.strftime("%Y%m"),
                "value": str(counts[field]),
            })
    return {"dataValues": values}


def load_mapping() -> dict:
    path = getattr(settings, "DHIS2_MAPPING", "")
    return read_mapping(path) if path else {}


@lru_cache(maxsize=4)
def read_mapping(path: str) -> dict:
    try:
        mapping = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise MappingError(f"berkas pemetaan DHIS2 {path} tidak bisa dibaca: {error.strerror}") from None
    except ValueError as error:
        raise MappingError(f"berkas pemetaan DHIS2 {path} bukan JSON yang sah: {error}") from None
    sections = [mapping.get(section, {}) for section in SECTIONS] if isinstance(mapping, dict) else [None]
    if any(not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()) for names in sections):
        raise MappingError(f"berkas pemetaan DHIS2 {path}: harus objek dengan {', '.join(SECTIONS)}, "
                           "masing-masing berisi teks")
    return mapping


def check_mapping(app_configs=None, **kwargs) -> list:
    """A system check: the mapping file, when set, can be read (else the app does not start)."""
    from django.core.checks import Error

    try:
        load_mapping()
    except MappingError as error:
        return [Error(str(error), id="reports.E001")]
    return []
