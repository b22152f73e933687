"""Who may see which personal data of the register (UU 27/2022: only those who need it).

- The full NIK: admins only; everyone else sees it masked (`3214********0001`).
- Wives' dates of birth: the cadres who keep the register, and admins; others see the age.
- Exports of register rows: cadres, PKB and admins, each within their scope, and every export
  is logged (`ExportLog`); the OPD works with aggregate recaps only.
"""

from cadres.models import ExportLog, Role


def sees_full_nik(user) -> bool:
    return user.role == Role.ADMIN


def sees_birth_dates(user) -> bool:
    return user.role in (Role.KADER, Role.ADMIN)


def may_export_register(user) -> bool:
    return user.role in (Role.KADER, Role.PKB, Role.ADMIN)


def export_log(*, user, kind: str, unit_code: str, rows: int, address: str | None = None) -> ExportLog:
    return ExportLog.objects.create(user=user, kind=kind, unit_code=unit_code, rows=rows, address=address)
