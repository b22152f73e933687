import pytest

from cadres.imports.official import load_official_wilayah
from cadres.models import Unit


def test_it_loads_purwakarta_with_official_names(db):
    changed = load_official_wilayah("32.14")

    assert Unit.objects.get(code="32.14").name == "Kabupaten Purwakarta"
    assert Unit.objects.at_level("kecamatan").count() == 17
    assert Unit.objects.at_level("desa").count() == 192
    assert Unit.objects.get(code="32.14.01.1001").name == "Nagri Kidul"
    assert changed == Unit.objects.count()


def test_loading_twice_changes_nothing(db):
    load_official_wilayah("32.14")
    assert load_official_wilayah("32.14") == 0


@pytest.mark.parametrize("code", ["32", "99.99", "32.14.01", "x"])
def test_it_refuses_what_is_not_an_official_kabupaten(db, code):
    with pytest.raises(ValueError, match="bukan kabupaten"):
        load_official_wilayah(code)
    assert Unit.objects.count() == 0
