"""The counted reports summed per desa and per kabupaten, month by month: what recaps, trends and
dashboards above desa read instead of every RT's report.

Written only by `reports.numbers.summary`, in the transaction of every write of a report, so they
never disagree with the reports (`manage.py refresh_desa_months --check` compares them).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models.reports import ReportCounts, count_field


class MonthSums(ReportCounts):
    """A unit's counted reports of one month, summed, with the number received and the PB from
    January to this month (the PPM's "so far"), so that a recap reads one month's rows."""

    period = models.DateField()
    received = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)  # of the received, those the PKB verified
    pb_ytd_iud = count_field(_("PB IUD sejak Januari"))
    pb_ytd_implan = count_field(_("PB implan sejak Januari"))
    pb_ytd_mow = count_field(_("PB MOW sejak Januari"))
    pb_ytd_mop = count_field(_("PB MOP sejak Januari"))
    pb_ytd_suntik = count_field(_("PB suntik sejak Januari"))
    pb_ytd_pil = count_field(_("PB pil sejak Januari"))
    pb_ytd_kondom = count_field(_("PB kondom sejak Januari"))

    class Meta:
        abstract = True


class DesaMonthSums(MonthSums):
    """One desa's month (a desa has ~20 RTs). A desa with a counted report in a year has a row for
    each month of that year (zeros and `received` 0 in a month without one)."""

    desa = models.ForeignKey("cadres.Unit", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "desa"], name="desa_month_one")]

    def __str__(self):
        return f"{self.desa_id} {self.period:%Y-%m}"


class KabupatenMonthSums(MonthSums):
    """One kabupaten's month, the sum of its desa's rows (a kabupaten has 6 to 850 desa): a
    province's recap reads a row per kabupaten, the nation's 514. Kept by adding each write's
    change to its desa's rows, under a lock on the kabupaten."""

    kabupaten = models.ForeignKey("cadres.Unit", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "kabupaten"], name="kabupaten_month_one")]

    def __str__(self):
        return f"{self.kabupaten_id} {self.period:%Y-%m}"
