"""The admin's lists of monthly reports and PPM targets, in Bahasa Indonesia.

Reports are entered by cadres and imported by the OPD; the admin mostly looks them up, so who
sent and verified a report, and when, are read-only here.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from reports.indicators import NON_USERS, PA_FIELDS, PB_FIELDS
from reports.models import MonthlyReport, PpmTarget


@admin.register(MonthlyReport)
class MonthlyReportAdmin(SimpleHistoryAdmin):
    list_display = ["rt", "period", "pus", "status", "submitted_at", "verified_at", "updated_at"]
    list_filter = ["status", ("period", admin.DateFieldListFilter)]
    search_fields = ["rt__code", "rt__name"]
    date_hierarchy = "period"
    list_select_related = ["rt"]
    raw_id_fields = ["rt"]
    readonly_fields = ["submitted_at", "submitted_by", "verified_at", "verified_by", "updated_at", "version"]
    fieldsets = [
        (None, {"fields": ["rt", "period", "status"]}),
        (_("PUS dan peserta KB aktif"), {"fields": ["pus", *PA_FIELDS]}),
        (_("Bukan peserta KB"), {"fields": list(NON_USERS)}),
        (_("Peserta KB baru"), {"fields": list(PB_FIELDS)}),
        (_("Riwayat"), {"fields": ["submitted_at", "submitted_by", "verified_at", "verified_by",
                                   "updated_at", "version"]}),
    ]


@admin.register(PpmTarget)
class PpmTargetAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "iud", "implan", "mow", "mop", "suntik", "pil", "kondom", "total"]
    list_filter = ["year"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]

    @admin.display(description=_("jumlah"))
    def total(self, target):
        return target.total
