"""The admin's lists of monthly reports, PPM targets, closed periods and desa activities, in
Bahasa Indonesia.

Reports are entered by cadres and imported by the OPD; the admin mostly looks them up, so who
sent, verified or returned a report, and when, are read-only here (status changes belong to the
workflow pages, which keep the rules and the history).
"""

from django.contrib import admin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cadres.indicators import NON_USERS, PA_FIELDS, PB_FIELDS
from reports.models import (Activity, Campaign, ClosedPeriod, DesaActivityReport, FollowUp, MonthlyReport, PoktanActivity,
                            PpmTarget)
from reports.numbers.summary import desa_months_refresh


@admin.register(MonthlyReport)
class MonthlyReportAdmin(SimpleHistoryAdmin):
    list_display = ["rt", "period", "pus", "status", "submitted_at", "verified_at", "updated_at"]
    list_filter = ["status", ("period", admin.DateFieldListFilter)]
    search_fields = ["rt__code", "rt__name"]
    date_hierarchy = "period"
    list_select_related = ["rt"]
    raw_id_fields = ["rt"]
    readonly_fields = ["submitted_at", "first_submitted_at", "submitted_by", "verified_at", "verified_by",
                       "returned_at", "returned_by", "return_comment", "corrections", "updated_at", "version"]
    fieldsets = [
        (None, {"fields": ["rt", "period", "status"]}),
        (_("PUS dan peserta KB aktif"), {"fields": ["pus", *PA_FIELDS]}),
        (_("Bukan peserta KB"), {"fields": list(NON_USERS)}),
        (_("Peserta KB baru"), {"fields": list(PB_FIELDS)}),
        (_("Riwayat"), {"fields": ["submitted_at", "first_submitted_at", "submitted_by", "verified_at",
                                   "verified_by", "returned_at", "returned_by", "return_comment",
                                   "corrections", "updated_at", "version"]}),
    ]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        # A new version, so that a form a cadre opened before this change is refused, not obeyed.
        if change:
            obj.version += 1
        # The desa sums where the report was and where it is now (the RT or month may change).
        before = list(MonthlyReport.objects.filter(pk=obj.pk).values_list("rt_id", "period")) if obj.pk else []
        super().save_model(request, obj, form, change)
        desa_months_refresh([*before, (obj.rt_id, obj.period)])

    @transaction.atomic
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        desa_months_refresh([(obj.rt_id, obj.period)])

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        pairs = list(queryset.values_list("rt_id", "period"))
        super().delete_queryset(request, queryset)
        desa_months_refresh(pairs)


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


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "period", "closed_by", "closed_at"]
    list_filter = [("period", admin.DateFieldListFilter)]
    list_select_related = ["unit", "closed_by"]
    raw_id_fields = ["unit"]
    readonly_fields = ["closed_by", "closed_at"]

    def save_model(self, request, obj, form, change):
        obj.closed_by, obj.closed_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)


class PoktanActivityInline(admin.TabularInline):
    model = PoktanActivity
    extra = 0
    max_num = 5


@admin.register(DesaActivityReport)
class DesaActivityReportAdmin(SimpleHistoryAdmin):
    list_display = ["desa", "period", "meetings", "kie_sessions", "updated_by", "updated_at"]
    list_filter = [("period", admin.DateFieldListFilter)]
    search_fields = ["desa__code", "desa__name"]
    list_select_related = ["desa", "updated_by"]
    raw_id_fields = ["desa"]
    # Meetings and KIE sessions are counted from the activities (reports.monthly.events).
    readonly_fields = ["meetings", "kie_sessions", "updated_by", "updated_at", "version"]
    inlines = [PoktanActivityInline]


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = ["text", "closed_on", "closed_by"]
    readonly_fields = fields


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    """To look up and audit; activities are recorded and changed on the app's pages, which keep
    the desa's monthly counts equal to them."""

    list_display = ["date", "kind", "unit", "place", "attendance", "created_by"]
    list_filter = ["kind", ("date", admin.DateFieldListFilter)]
    search_fields = ["unit__code", "unit__name", "place", "speaker"]
    list_select_related = ["unit", "created_by"]
    exclude = ["photo"]
    inlines = [FollowUpInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "start", "end", "iud", "implan", "mow", "mop", "suntik", "pil", "kondom",
                    "created_by", "created_at"]
    list_filter = [("start", admin.DateFieldListFilter)]
    search_fields = ["name", "unit__code", "unit__name"]
    list_select_related = ["unit", "created_by"]
    raw_id_fields = ["unit"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
