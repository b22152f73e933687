"""Django admin's autocomplete widgets, safe with a hand-made id.

When a refused form is shown again, Django's autocomplete widgets look up the ids that were
sent; an id that is not a number (for a model with numeric ids) then raises ValueError, a 500,
where the form has already said "pilih yang benar". These widgets leave such ids out of the
lookup, and `AutocompleteAdmin` puts them on every field in `autocomplete_fields`.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class ValidIdsOnly:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._is_valid_id(v)], attr)

    def _is_valid_id(self, value) -> bool:
        try:
            self.field.target_field.to_python(value)
        except ValidationError:
            return False
        return True


class SafeAutocompleteSelect(ValidIdsOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ValidIdsOnly, AutocompleteSelectMultiple):
    pass


class AutocompleteAdmin:
    """For a model admin or inline (first among its bases): its autocomplete fields use the
    widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)
