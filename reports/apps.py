from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan bulanan dan rekap")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from reports.numbers.exports.dhis2 import check_mapping

        checks.register(check_mapping)
