"""The admin's screens for wilayah, IMP institutions, cadres and accounts, in Bahasa Indonesia."""

from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cadres import access, codes
from cadres.admin_autocomplete import AutocompleteAdmin
from cadres.models import Cadre, Couple, CoupleStatus, ExportLog, Institution, Unit, User
from cadres.models.wilayah import LEVEL_LABELS
from cadres.register.rules import couple_update


class LevelFilter(admin.SimpleListFilter):
    title = _("tingkat")
    parameter_name = "tingkat"

    def lookups(self, request, model_admin):
        return [(level, LEVEL_LABELS[level]) for level in codes.LEVELS]

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
        # Names repeat across kabupaten, so the code tells them apart.
        return [(unit.code, f"{unit.name} ({unit.code})") for unit in Unit.objects.at_level("kecamatan")]

    def queryset(self, request, queryset):
        code = self.value()
        if code:
            return queryset.filter(Q(**{self.unit_field: code}) | Q(**{f"{self.unit_field}__startswith": code + "."}))
        return queryset


class UnitKecamatanFilter(KecamatanFilter):
    unit_field = "code"


class InstitutionKecamatanFilter(KecamatanFilter):
    unit_field = "unit__code"


class CadreKecamatanFilter(KecamatanFilter):
    unit_field = "institution__unit__code"


class UserKecamatanFilter(KecamatanFilter):
    unit_field = "units__code"

    def queryset(self, request, queryset):
        # Several units of one user may lie in the kecamatan: one row per user.
        return super().queryset(request, queryset).distinct()


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    search_fields = ["code", "name"]
    list_filter = [LevelFilter, UnitKecamatanFilter]
    list_select_related = ["parent"]
    fields = ["code", "name"]

    @admin.display(description=_("tingkat"))
    def level(self, unit):
        return unit.level_label

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "institution" and request.GET.get("field_name") == "unit":
            # Institutions stand at desa, RW or RT: the autocomplete offers only those.
            queryset = queryset.alias(code_length=Length("code")).filter(
                code_length__gte=codes.CODE_LENGTHS["desa"]
            )
        return queryset, may_have_duplicates


class CadreInline(AutocompleteAdmin, admin.TabularInline):
    model = Cadre
    extra = 1
    fields = ["name", "position", "phone", "since", "user"]
    autocomplete_fields = ["user"]


@admin.register(Institution)
class InstitutionAdmin(AutocompleteAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "cadre_count"]
    list_filter = ["kind", InstitutionKecamatanFilter]
    search_fields = ["name", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    inlines = [CadreInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(cadre_count=Count("cadres"))

    @admin.display(description=_("jumlah kader"), ordering="cadre_count")
    def cadre_count(self, institution):
        return institution.cadre_count


@admin.register(Cadre)
class CadreAdmin(AutocompleteAdmin, admin.ModelAdmin):
    list_display = ["name", "position", "institution", "phone", "since", "user"]
    list_filter = ["position", "institution__kind", CadreKecamatanFilter]
    search_fields = ["name", "phone", "institution__name", "institution__unit__name", "institution__unit__code"]
    autocomplete_fields = ["institution", "user"]
    list_select_related = ["institution__unit", "user"]


class RoleUnitsFormMixin:
    """Every role but admin sees only its units' subtrees, so it needs at least one unit."""

    def clean(self):
        cleaned_data = super().clean()
        role = cleaned_data.get("role")
        if role and not access.sees_everything(role) and "units" in self.fields and not cleaned_data.get("units"):
            self.add_error("units", _("Peran ini membutuhkan paling sedikit satu wilayah tugas."))
        return cleaned_data


class UserChangeForm(RoleUnitsFormMixin, auth_forms.UserChangeForm):
    pass


class UserCreationForm(RoleUnitsFormMixin, auth_forms.AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(AutocompleteAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ["username", "first_name", "last_name", "role", "unit_codes", "is_active"]
    list_filter = ["role", "is_active", UserKecamatanFilter]
    search_fields = ["username", "first_name", "last_name", "units__code", "units__name"]
    autocomplete_fields = ["units"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Peran dan wilayah"), {"fields": ["role", "units", "must_change_password"]}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Peran dan wilayah"), {"fields": ["role", "units", "must_change_password"]}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("units")

    @admin.display(description=_("wilayah tugas"))
    def unit_codes(self, user):
        return ", ".join(sorted(unit.code for unit in user.units.all())) or "—"

    def get_changeform_initial_data(self, request):
        # A password set by the admin is known to two people: the user replaces it at first login.
        return {"must_change_password": True, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not change or "role" in form.changed_data:
            # As in `account_save`: the admin role is what opens these screens.
            obj.is_staff = obj.is_superuser = access.sees_everything(obj.role)
        super().save_model(request, obj, form, change)


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """Read-only: who downloaded which register rows, and when."""

    list_display = ["at", "user", "kind", "unit_code", "rows", "address"]
    list_filter = ["kind", "at"]
    search_fields = ["user__username", "unit_code"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CoupleStatusInline(admin.TabularInline):
    model = CoupleStatus
    extra = 0
    fields = ["since", "status", "place", "kind", "is_pb", "until"]
    readonly_fields = ["since", "status", "place", "kind", "is_pb", "until"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # statuses change through the register screens, which keep PB and `until` right


class CoupleKecamatanFilter(KecamatanFilter):
    unit_field = "rt__code"


@admin.register(Couple)
class CoupleAdmin(AutocompleteAdmin, SimpleHistoryAdmin):
    """The register for admins: search, and each couple's full change history (who and when)."""

    list_display = ["wife_name", "husband_name", "rt", "registered_on", "left_on"]
    list_filter = [CoupleKecamatanFilter, "left_reason"]
    search_fields = ["wife_name", "husband_name", "rt__code", "nik"]
    autocomplete_fields = ["rt"]
    inlines = [CoupleStatusInline]
    list_select_related = ["rt"]

    def save_model(self, request, obj, form, change):
        # Whether a method was her first use decides what the status rows count as: recount them.
        couple_update(obj, recount=change and bool({"first_use", "ever_used"} & set(form.changed_data)))
