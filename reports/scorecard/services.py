"""Writing an institution's self-reliance entry (by whoever may write its wilayah), with the same
optimistic locking as the reports: two people saving one month meet a conflict, not an overwrite."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from cadres import access
from cadres.models import Institution
from reports.models import SelfReliance
from reports.monthly.locking import WorkflowError, claim, stale
from reports.monthly.workflow import check_month_started, check_period_open

WHAT = gettext_lazy("Kemandirian bulan ini")


def _history(institution: Institution, period: datetime.date):
    return SelfReliance.history.filter(institution_id=institution.pk, period=period)


@transaction.atomic
def self_reliance_save(*, institution: Institution, period: datetime.date, dues: int, note: str, version: int,
                       by) -> SelfReliance:
    access.check(access.can_write(by, institution.unit_id))
    check_period_open(institution.unit_id, period)
    check_month_started(period)
    rows = SelfReliance.objects.filter(institution=institution, period=period)
    entry = claim(rows, _history(institution, period), version, WHAT) or SelfReliance(
        institution=institution, period=period)
    entry.dues, entry.note = dues, note
    entry.updated_by, entry._history_user = by, by
    try:
        entry.full_clean(exclude=["institution"])
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages)) from None
    if entry.pk:
        entry.save()
        return entry
    try:
        with transaction.atomic():
            entry.save(force_insert=True)
    except IntegrityError:
        raise stale(_history(institution, period), WHAT) from None
    return entry
