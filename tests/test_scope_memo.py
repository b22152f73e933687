"""What a request keeps of the scope does not outlive it: the user's units (kept on the user
object, `access.root_codes`) and a unit's ancestors (read with the unit, `access.unit_for_reading`)
are read again by the next request, and one user's never serve another's."""

import pytest
from django.http import Http404

from cadres import access
from cadres.models import Unit

RT_A = "32.14.01.2001.001.001"
RT_B = "32.14.01.2001.001.002"
DESA = "32.14.01.2001"


def crumbs(body: str) -> int:
    """The links up in the breadcrumbs (the page's own unit is not a link)."""
    return body.count('<li class="breadcrumb-item"><a ')


def test_a_changed_scope_counts_from_the_next_request(client, personas):
    kader = personas["kader"].user  # RT A
    client.force_login(kader)
    assert client.get(f"/wilayah/{RT_A}/2020-11/").status_code == 200
    assert client.get(f"/wilayah/{RT_B}/2020-11/").status_code == 404
    kader.units.set(Unit.objects.filter(code=RT_B))
    assert client.get(f"/wilayah/{RT_A}/2020-11/").status_code == 404
    assert client.get(f"/wilayah/{RT_B}/2020-11/").status_code == 200


def test_two_users_on_the_same_page_each_get_their_own_breadcrumbs(client, personas):
    url = f"/laporan/{RT_A}/2020-11/"
    for _ in range(2):  # alternately, so that nothing one request read serves the other
        client.force_login(personas["pkb"].user)  # the desa and the RW above the RT: both links
        assert crumbs(client.get(url).content.decode()) == 2
        client.force_login(personas["kader"].user)  # the RT only: nothing above it to go to
        assert crumbs(client.get(url).content.decode()) == 0


def test_the_units_above_are_read_with_the_unit_for_each_call(personas, django_assert_num_queries):
    pkb, kader = personas["pkb"].user, personas["kader"].user
    access.root_codes(pkb), access.root_codes(kader)
    with django_assert_num_queries(1):
        unit = access.unit_for_reading(pkb, RT_A)
        assert [a.code for a in access.unit_ancestors(unit)] == ["32", "32.14", "32.14.01", DESA, DESA + ".001"]
        assert [a.code for a in access.visible_ancestors(pkb, unit)] == [DESA, DESA + ".001"]
    again = access.unit_for_reading(kader, RT_A)
    assert again is not unit and access.visible_ancestors(kader, again) == []


def test_an_unknown_unit_in_scope_is_a_404(personas):
    with pytest.raises(Http404):
        access.unit_for_reading(personas["pkb"].user, DESA + ".009.009")
