"""Who may do what: the one place that decides. Every view and every service asks here; nothing
else compares roles.

Scope: a user sees the union of the subtrees of their units (an admin sees everything). Out of
scope is a 404 for reads (no hint that the unit exists) and a 403 for writes, decided on the
object itself, not only on the menu.

Roles:
- kader (PPKBD, Sub-PPKBD, POK KB): keeps the register and writes the monthly reports of her units;
- PKB/PLKB: checks the reports of her desa (verify, return, reopen), writes there too;
- OPD KB: reads everything of its kabupaten, closes months, sets PPM targets and campaigns;
- admin: everything, everywhere.

Personal data (UU 27/2022: only those who need it): the full NIK only admins (others see it
masked); wives' dates of birth the cadres who keep the register and admins (others see the age);
couples by name, register downloads and counselling records cadres, PKB and admins within their
scope (downloads logged); the OPD works with aggregate recaps and sums only.
"""

from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.http import Http404

from cadres import codes
from cadres.models import ExportLog, Role, Unit

# --- roles -----------------------------------------------------------------------------------


def sees_everything(role: str) -> bool:
    """An admin has no units: the whole tree is theirs (and Django's admin site)."""
    return role == Role.ADMIN


def may_verify(user) -> bool:
    """Verifies, returns and reopens sent reports (in scope, and never one they sent themselves)."""
    return user.is_authenticated and user.role in (Role.PKB, Role.ADMIN)


def may_close_period(user) -> bool:
    """Closes (and reopens) a month for a kabupaten."""
    return user.is_authenticated and user.role in (Role.OPD, Role.ADMIN)


def follows_reports(user) -> bool:
    """Follows reports across units (the queue, what is left before closing): PKB, OPD, admins;
    a cadre follows her own."""
    return may_close_period(user) or may_verify(user)


def may_set_targets(user) -> bool:
    """Sets yearly PPM targets and runs campaigns."""
    return user.is_authenticated and user.role in (Role.OPD, Role.ADMIN)


def may_export_register(user) -> bool:
    return user.is_authenticated and user.role in (Role.KADER, Role.PKB, Role.ADMIN)


def sees_full_nik(user) -> bool:
    return user.is_authenticated and sees_everything(user.role)


def sees_birth_dates(user) -> bool:
    return user.is_authenticated and user.role in (Role.KADER, Role.ADMIN)


def sees_counselling(user) -> bool:
    """Counselling records name couples and why they hesitate: the cadres, their PKB, admins.
    The OPD sees the funnel's sums only."""
    return user.is_authenticated and user.role in (Role.KADER, Role.PKB, Role.ADMIN)


def sees_couple_names(user) -> bool:
    """Who may read couples by name (the register's list and a couple's pages, the follow-up list,
    the Peta PUS's houses): the cadres who keep the register, their PKB, admins. The OPD gets the
    counts."""
    return user.is_authenticated and user.role in (Role.KADER, Role.PKB, Role.ADMIN)


def home_of(user) -> str:
    """Which home page the user gets: the cadre's task, the PKB's queue, or the overview."""
    return {Role.KADER: "kader", Role.PKB: "pkb"}.get(user.role, "overview")


def check(allowed: bool) -> None:
    """For services: refuses what the rules above do not allow (a 403 when it reaches a view)."""
    if not allowed:
        raise PermissionDenied


# --- scope -----------------------------------------------------------------------------------


def root_codes(user) -> list[str] | None:
    """The codes of the user's units, or None for an admin who sees everything. Cached on the
    user object, so a request asks the database once."""
    if not user.is_authenticated:
        return []
    if sees_everything(user.role):
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


def unit_for_reading(user, code: str) -> Unit:
    """The unit with this code if the user may see it; 404 otherwise, whether it exists or not.
    The units above it come in the same query (pages show them: `visible_ancestors`), and so do
    the user's own units when this request has not read them yet (`root_codes`)."""
    above = codes.ancestors(code)
    roots_due = user.is_authenticated and not sees_everything(user.role) and not hasattr(user, "_scope_root_codes")
    if not roots_due and not can_see(user, code):
        raise Http404
    found, roots = _units_read(user if roots_due else None, [*above, code])
    if roots_due:
        user._scope_root_codes = roots
        if not can_see(user, code):
            raise Http404
    if code not in found:
        raise Http404
    unit = found[code]
    unit.ancestors_read = [found[c] for c in above if c in found]
    return unit


def _units_read(user, wanted: list[str]) -> tuple[dict[str, Unit], list[str]]:
    """The units of `wanted` by code, and the sorted codes of `user`'s units (none without a
    user), in one statement: plain SQL, where the ORM's two queries (`Unit.objects.filter(code__in=
    wanted)`, `user.units.values_list("code")`) cost 1 ms of building on every page. With a user it
    reads the primary, as the user's units always are (kampungkb/replica.py)."""
    # `user.__class__`, not `type(user)`: a request's user is a lazy object standing in for a User
    alias = router.db_for_read(user.__class__ if user is not None else Unit)
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = Unit._meta.concrete_fields
    sql = (f"SELECT 0, {', '.join(quote(field.column) for field in fields)} FROM {quote(Unit._meta.db_table)}"
           f" WHERE {quote(Unit._meta.pk.column)} IN ({', '.join(['%s'] * len(wanted))})")
    params = list(wanted)
    if user is not None:  # a user's unit, as a row with its code and nothing else (the marker 1)
        through = user.__class__._meta.get_field("units").remote_field.through._meta
        unit_column, user_column = (quote(through.get_field(name).column) for name in ("unit", "user"))
        sql += (f" UNION ALL SELECT 1, {unit_column}, {', '.join(['NULL'] * (len(fields) - 1))}"
                f" FROM {quote(through.db_table)} WHERE {user_column} = %s")
        params.append(user.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = [field.attname for field in fields]
    found = {row[1]: Unit.from_db(alias, names, row[1:]) for row in rows if row[0] == 0}
    return found, sorted(row[1] for row in rows if row[0] == 1)


def unit_for_writing(user, code: str) -> Unit:
    unit = unit_for_reading(user, code)
    if not can_write(user, code):
        raise PermissionDenied
    return unit


def unit_ancestors(unit) -> list[Unit]:
    """The units above `unit`, from the provinsi down: those `unit_for_reading` read with it (a
    list kept on that object, which lives for one request), else read now."""
    ancestors = getattr(unit, "ancestors_read", None)
    return list(unit.ancestors().order_by("code")) if ancestors is None else ancestors


def visible_ancestors(user, unit) -> list[Unit]:
    """The units above `unit` that the user may see: the way up a page's breadcrumbs offer."""
    return [ancestor for ancestor in unit_ancestors(unit) if can_see(user, ancestor.code)]


def top_units(user):
    """The units a user's home page starts from: their own units, or the provinsi for an admin."""
    if root_codes(user) is None:
        return Unit.objects.at_level("provinsi")
    return user.units.all()


def export_log(*, user, kind: str, unit_code: str, rows: int, address: str | None = None) -> ExportLog:
    """Records a download of register rows (who, what, when, from where)."""
    return ExportLog.objects.create(user=user, kind=kind, unit_code=unit_code, rows=rows, address=address)
