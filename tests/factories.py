"""Small builders for test data: a unit tree and accounts."""

from cadres import codes
from cadres.models import Role, Unit, User

PASSWORD = "rahasia-uji-123"


def make_unit(code, name=None):
    """Creates the unit and any missing ancestors."""
    for ancestor in codes.ancestors(code) + [code]:
        unit, _ = Unit.objects.get_or_create(
            code=ancestor, defaults={"name": name if ancestor == code and name else f"Wilayah {ancestor}"}
        )
    return unit


def system_admin():
    """An admin for the services a test calls directly (they check who asks, as for a view)."""
    return User.objects.filter(username="sistem").first() or make_user("sistem", Role.ADMIN)


def make_user(username, role, *unit_codes, must_change_password=False):
    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, must_change_password=must_change_password,
        is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN,
    )
    user.units.set(Unit.objects.filter(code__in=unit_codes))
    return user
