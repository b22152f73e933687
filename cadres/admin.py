"""The admin's screens for wilayah, IMP institutions, cadres and accounts, in Bahasa Indonesia."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from cadres import codes
from cadres.models import Cadre, Institution, Unit, User


class LevelFilter(admin.SimpleListFilter):
    title = _("tingkat")
    parameter_name = "tingkat"

    def lookups(self, request, model_admin):
        return [(level, level.upper() if len(level) == 2 else level.title()) for level in codes.LEVELS]

    def queryset(self, request, queryset):
        if self.value() in codes.LEVELS:
            return queryset.at_level(self.value())
        return queryset


class KecamatanFilter(admin.SimpleListFilter):
    """Narrows a list to one kecamatan's subtree (the unit code is a path)."""

    title = _("kecamatan")
    parameter_name = "kecamatan"
    unit_field = "unit__code"

    def lookups(self, request, model_admin):
        return [(unit.code, unit.name) for unit in Unit.objects.at_level("kecamatan")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.unit_field}__startswith": self.value() + "."})
        return queryset


class UnitKecamatanFilter(KecamatanFilter):
    unit_field = "code"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level_label", "parent"]
    search_fields = ["code", "name"]
    list_filter = [LevelFilter, UnitKecamatanFilter]
    list_select_related = ["parent"]
    fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


class CadreInline(admin.TabularInline):
    model = Cadre
    extra = 1
    fields = ["name", "position", "phone", "since", "user"]
    autocomplete_fields = ["user"]


class InstitutionKecamatanFilter(KecamatanFilter):
    unit_field = "unit__code"


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit"]
    list_filter = ["kind", InstitutionKecamatanFilter]
    search_fields = ["name", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    inlines = [CadreInline]


class CadreKecamatanFilter(KecamatanFilter):
    unit_field = "institution__unit__code"


@admin.register(Cadre)
class CadreAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "institution", "phone", "since"]
    list_filter = ["position", "institution__kind", CadreKecamatanFilter]
    search_fields = ["name", "phone", "institution__name", "institution__unit__name", "institution__unit__code"]
    autocomplete_fields = ["institution", "user"]
    list_select_related = ["institution__unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name", "last_name", "units__code", "units__name"]
    autocomplete_fields = ["units"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Peran dan wilayah"), {"fields": ["role", "units", "must_change_password"]}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Peran dan wilayah"), {"fields": ["role", "units"]}),
    )
