import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cadres import scope
from cadres.models import Unit


def test_a_user_sees_the_subtrees_of_their_units(personas):
    pkb = personas["pkb"].user
    assert scope.can_see(pkb, "32.14.01.2001")
    assert scope.can_see(pkb, "32.14.01.2002.001.001")
    assert not scope.can_see(pkb, "32.14.01")  # the kecamatan above is not theirs
    assert not scope.can_see(pkb, "32.14.02.2001")


def test_a_prefix_must_end_on_a_whole_segment(personas):
    kader = personas["kader"].user  # RT 32.14.01.2001.001.001
    assert not scope.can_see(kader, "32.14.01.2001.001.0011")


def test_visible_units_is_the_union_of_the_subtrees(personas):
    codes = set(scope.visible_units(personas["pkb"].user).values_list("code", flat=True))
    assert codes == {
        "32.14.01.2001", "32.14.01.2001.001", "32.14.01.2001.001.001", "32.14.01.2001.001.002",
        "32.14.01.2002", "32.14.01.2002.001", "32.14.01.2002.001.001",
    }


def test_an_admin_sees_everything(personas):
    assert scope.visible_units(personas["admin"].user).count() == Unit.objects.count()


def test_a_user_without_units_sees_nothing(personas, django_user_model):
    lonely = django_user_model.objects.create_user("lonely", role="kader")
    assert scope.visible_units(lonely).count() == 0
    assert not scope.can_see(lonely, "32")


def test_reading_outside_the_scope_is_a_404_whether_the_unit_exists_or_not(personas):
    kader = personas["kader"].user
    with pytest.raises(Http404):
        scope.unit_for_reading(kader, "32.14.01.2001.001.002")
    with pytest.raises(Http404):
        scope.unit_for_reading(kader, "99.99")


def test_the_opd_reads_but_does_not_write(personas):
    opd = personas["opd"].user
    assert scope.unit_for_reading(opd, "32.14.02").code == "32.14.02"
    with pytest.raises(PermissionDenied):
        scope.unit_for_writing(opd, "32.14.02")
    assert scope.unit_for_writing(personas["kader"].user, "32.14.01.2001.001.001").code == "32.14.01.2001.001.001"


def test_the_scope_costs_one_query_per_request(personas, django_assert_num_queries):
    pkb = personas["pkb"].user
    with django_assert_num_queries(1):
        for code in ["32.14.01.2001", "32.14.02", "32.14.01.2002.001.001"]:
            scope.can_see(pkb, code)


def test_createsuperuser_makes_an_admin_who_sees_everything(tree, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    assert root.role == "admin"
    assert scope.visible_units(root).count() == Unit.objects.count()
