"""Downloads of register rows: personal data, so limited by role and logged."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone

from cadres import access
from cadres.client import client_address
from cadres.register.export import register_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def register_xlsx(request, code):
    unit = access.unit_for_reading(request.user, code)
    if not access.may_export_register(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="register-{unit.code}-{today.isoformat()}.xlsx"'
    rows = register_workbook(
        unit.code, today, response,
        full_nik=access.sees_full_nik(request.user), birth_dates=access.sees_birth_dates(request.user),
    )
    access.export_log(user=request.user, kind="register_xlsx", unit_code=unit.code, rows=rows,
                       address=client_address(request))
    return response
