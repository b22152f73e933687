"""Which units a user may see: the union of the subtrees of their units (admin: all).

Every view that shows or changes something below a unit asks here, on the object itself.
Out of scope is a 404 for reads (no hint that the unit exists) and a 403 for writes.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from cadres import codes
from cadres.models import Role, Unit


def root_codes(user) -> list[str] | None:
    """The codes of the user's units, or None for an admin who sees everything.

    Cached on the user object, so a request asks the database once.
    """
    if not user.is_authenticated:
        return []
    if user.role == Role.ADMIN:
        return None
    if not hasattr(user, "_scope_root_codes"):
        user._scope_root_codes = sorted(user.units.values_list("code", flat=True))
    return user._scope_root_codes


def can_see(user, code: str) -> bool:
    roots = root_codes(user)
    return roots is None or any(codes.in_subtree(code, root) for root in roots)


def can_write(user, code: str) -> bool:
    """Cadres, PKB and admins change things in their subtree; the OPD only reads."""
    return user.is_authenticated and user.role != Role.OPD and can_see(user, code)


def subtree_q(user, field: str = "code") -> Q:
    """A filter on a unit-code field (`code`, `rt__code`, ...) keeping the rows in the user's scope."""
    roots = root_codes(user)
    if roots is None:
        return Q()
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(**{field: root}) | Q(**{f"{field}__startswith": root + "."})
    return q


def visible_units(user):
    return Unit.objects.filter(subtree_q(user))


def unit_for_reading(user, code: str) -> Unit:
    """The unit with this code if the user may see it; 404 otherwise, whether it exists or not."""
    if not can_see(user, code):
        raise Http404
    try:
        return Unit.objects.get(code=code)
    except Unit.DoesNotExist:
        raise Http404 from None


def unit_for_writing(user, code: str) -> Unit:
    unit = unit_for_reading(user, code)
    if not can_write(user, code):
        raise PermissionDenied
    return unit


def top_units(user):
    """The units a user's home page starts from: their own units, or the provinsi for an admin."""
    if root_codes(user) is None:
        return Unit.objects.at_level("provinsi")
    return user.units.all()
