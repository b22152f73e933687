import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cadres import access
from cadres.models import Unit


def test_a_user_sees_the_subtrees_of_their_units(personas):
    pkb = personas["pkb"].user
    assert access.can_see(pkb, "32.14.01.2001")
    assert access.can_see(pkb, "32.14.01.2002.001.001")
    assert not access.can_see(pkb, "32.14.01")  # the kecamatan above is not theirs
    assert not access.can_see(pkb, "32.14.02.2001")


def test_a_prefix_must_end_on_a_whole_segment(personas):
    kader = personas["kader"].user  # RT 32.14.01.2001.001.001
    assert not access.can_see(kader, "32.14.01.2001.001.0011")


def visible(user) -> set[str]:
    return {code for code in Unit.objects.values_list("code", flat=True) if access.can_see(user, code)}


def test_a_user_sees_the_union_of_the_subtrees(personas):
    assert visible(personas["pkb"].user) == {
        "32.14.01.2001", "32.14.01.2001.001", "32.14.01.2001.001.001", "32.14.01.2001.001.002",
        "32.14.01.2002", "32.14.01.2002.001", "32.14.01.2002.001.001",
    }


def test_an_admin_sees_everything(personas):
    assert visible(personas["admin"].user) == set(Unit.objects.values_list("code", flat=True))


def test_a_user_without_units_sees_nothing(personas, django_user_model):
    lonely = django_user_model.objects.create_user("lonely", role="kader")
    assert visible(lonely) == set()
    assert not access.can_see(lonely, "32")


def test_reading_outside_the_scope_is_a_404_whether_the_unit_exists_or_not(personas):
    kader = personas["kader"].user
    with pytest.raises(Http404):
        access.unit_for_reading(kader, "32.14.01.2001.001.002")
    with pytest.raises(Http404):
        access.unit_for_reading(kader, "99.99")


def test_the_opd_reads_but_does_not_write(personas):
    opd = personas["opd"].user
    assert access.unit_for_reading(opd, "32.14.02").code == "32.14.02"
    with pytest.raises(PermissionDenied):
        access.unit_for_writing(opd, "32.14.02")
    assert access.unit_for_writing(personas["kader"].user, "32.14.01.2001.001.001").code == "32.14.01.2001.001.001"


def test_the_scope_costs_one_query_per_request(personas, django_assert_num_queries):
    pkb = personas["pkb"].user
    with django_assert_num_queries(1):
        for code in ["32.14.01.2001", "32.14.02", "32.14.01.2002.001.001"]:
            access.can_see(pkb, code)


def test_createsuperuser_makes_an_admin_who_sees_everything(tree, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    assert root.role == "admin"
    assert visible(root) == set(Unit.objects.values_list("code", flat=True))
