"""Creating and updating accounts (used by `adduser`, `seed_demo` and tests)."""

from django.db import transaction

from cadres import access
from cadres.models import Role, Unit, User


class AccountError(ValueError):
    pass


@transaction.atomic
def account_save(
    *, username: str, role: str, unit_codes: list[str], password: str, must_change_password: bool = True
) -> tuple[User, bool]:
    """Creates the account, or replaces an existing one's role, units and password.

    Returns the user and whether it was created. The account sees its units' subtrees.
    """
    if role not in Role.values:
        raise AccountError(f"peran {role!r} tidak dikenal (pilih: {', '.join(Role.values)})")
    units = list(Unit.objects.filter(code__in=unit_codes))
    missing = sorted(set(unit_codes) - {unit.code for unit in units})
    if missing:
        raise AccountError(f"wilayah tidak dikenal: {', '.join(missing)}")
    if not password:
        raise AccountError("kata sandi tidak boleh kosong")
    user, created = User.objects.get_or_create(username=username)
    user.role = role
    user.is_staff = user.is_superuser = access.sees_everything(role)
    user.is_active = True
    user.must_change_password = must_change_password
    user.set_password(password)
    user.save()
    user.units.set(units)
    return user, created
