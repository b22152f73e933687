"""Optimistic locking, shared by every form that edits a versioned row (a monthly report, a
desa's activities): the form carries the version it was opened at, and a write claims the row
with a conditional `UPDATE … SET version = v + 1 WHERE version = v`. Whoever saved in between
wins; the other is refused with who saved and when, and keeps what they typed."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _


class WorkflowError(Exception):
    """A refused change, with the reason in Indonesian for the person who tried it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleReport(WorkflowError):
    """Someone changed the row since the form was opened; `version` is the one saved now."""

    def __init__(self, message: str, version: int):
        super().__init__(message)
        self.version = version


def who(user) -> str:
    if user is None:
        return _("pengguna lain")
    return user.get_full_name() or user.get_username()


def claim(rows: QuerySet, history: QuerySet, version: int, what: str):
    """The one row of `rows`, claimed at `version` + 1; None when `version` is 0 and there is
    no row yet. Raises StaleReport (naming `what` changed, from `history`) otherwise."""
    if version:
        if rows.filter(version=version).update(version=version + 1):
            return rows.get()
    elif not rows.exists():
        return None
    raise stale(history, what)


def stale(history: QuerySet, what: str) -> StaleReport:
    """The refusal: who saved the row last, when, and at which version."""
    latest = history.select_related("history_user").order_by("-history_date", "-history_id").first()
    if latest is None:
        return StaleReport(_("%(what)s sudah berubah sejak Anda membukanya. Muat ulang halaman.") % {"what": what}, 0)
    message = _(
        "%(what)s sudah diubah oleh %(who)s pada %(when)s (versi %(version)s) setelah Anda membukanya. "
        "Isian Anda belum disimpan dan masih ada di halaman ini: periksa, lalu simpan lagi bila memang benar."
    ) % {"what": what, "who": who(latest.history_user), "version": latest.version,
         "when": date_format(timezone.localtime(latest.history_date), "j F Y H:i")}
    return StaleReport(message, latest.version)
