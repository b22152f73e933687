"""The monthly report's life, one write function per step, each in one transaction:

    (none) ─save─▶ draft ─submit─▶ submitted ─verify─▶ verified
                     ▲                 │                 │
                     └──── returned ◀──┴─return  reopen ─┘ (with a reason)

The cadre saves and submits a draft or a returned report; a submitted or verified report is
locked for them. PKB and admin verify, return (with a comment the cadre sees) and reopen a
verified report (with a reason). Nothing changes in a month the OPD has closed. A refused
write raises `WorkflowError` carrying the Indonesian message the page shows.

No lost updates: a form carries the `version` it was opened at (0 when there was no report). A
write first claims that version with a conditional UPDATE (`SET version = v + 1 WHERE version =
v`), the first statement of its transaction: on PostgreSQL a concurrent claim waits for the row
and then matches nothing; SQLite takes its write lock before anything is read. Nothing claimed:
`StaleReport`, naming who changed the report and when. Then the instance is saved at v + 1, so
that django-simple-history records that version with who and why.
"""

import datetime
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import access
from cadres.indicators import COUNT_FIELDS
from cadres.models import Unit
from cadres.periods import add_months, period_label
from reports.models import ClosedPeriod, MonthlyReport, ReportStatus, count_errors
from reports.monthly.deadlines import closed_message, closed_period_for, kabupaten_code
from reports.monthly.locking import WorkflowError, claim, stale
from reports.monthly.queue import flags_for
from reports.numbers.summary import desa_months_refresh

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
COMMENT_MAX = 1000
REASON_MAX = 200


def _history(rt_code: str, period: datetime.date):
    return MonthlyReport.history.filter(rt_id=rt_code, period=period)


def _claim(rt_code: str, period: datetime.date, version: int) -> MonthlyReport | None:
    """The report, claimed at version + 1; None when `version` is 0 and there is still none."""
    rows = MonthlyReport.objects.filter(rt_id=rt_code, period=period)
    return claim(rows, _history(rt_code, period), version, _("Laporan ini"))


def _save(report: MonthlyReport, by, why: str) -> MonthlyReport:
    report._history_user = by  # also outside a request (commands, tests)
    report._change_reason = why[:100]
    if report.pk:
        report.save()
        return report
    try:
        with transaction.atomic():
            report.save(force_insert=True)
    except IntegrityError:
        # Two people opened an empty form; the other one saved first.
        if MonthlyReport.objects.filter(rt_id=report.rt_id, period=report.period).exists():
            raise stale(_history(report.rt_id, report.period), _("Laporan ini")) from None
        raise
    return report


def _counted_save(report: MonthlyReport, by, why: str) -> MonthlyReport:
    """Saves a report that starts or stops counting in recaps, and its desa's sums with it.
    (Drafts do not change what counts; a verification changes only the sums' count of verified
    reports, refreshed by the verify functions.)"""
    report = _save(report, by, why)
    desa_months_refresh([(report.rt_id, report.period)])
    return report


def check_period_open(code: str, period: datetime.date):
    closed = closed_period_for(code, period)
    if closed is not None:
        raise WorkflowError(closed_message(closed))


def _check_writer(by, code: str):
    if not access.can_write(by, code):
        raise WorkflowError(_("Anda tidak boleh mengisi laporan wilayah ini."))


def _check_verifier(by, code: str):
    if not access.may_verify(by) or not access.can_see(by, code):
        raise WorkflowError(_("Hanya PKB/PLKB atau admin wilayah ini yang dapat memverifikasi laporan."))


def _check_status(report: MonthlyReport, allowed, action: str):
    if report.status not in allowed:
        raise WorkflowError(_("Laporan ini berstatus %(status)s, jadi tidak dapat %(action)s.") % {
            "status": report.get_status_display(), "action": action,
        })


def check_month_started(period: datetime.date):
    today = timezone.localdate()
    if period > today.replace(day=1):
        raise WorkflowError(_("Bulan %(period)s belum mulai: laporannya belum dapat diisi.")
                            % {"period": period_label(period)})


def _set_counts(report: MonthlyReport, counts: dict, corrections: dict, *, balanced: bool):
    missing = [field for field in COUNT_FIELDS if counts.get(field) is None]
    if missing:
        raise WorkflowError(_("Angka berikut wajib diisi (tulis 0 bila tidak ada): %(fields)s.")
                            % {"fields": ", ".join(missing)})
    if any(not isinstance(counts[field], int) or counts[field] < 0 for field in COUNT_FIELDS):
        raise WorkflowError(_("Setiap angka harus bilangan bulat ≥ 0."))
    problems = count_errors(counts)
    if problems and balanced:
        raise WorkflowError(" ".join(message for _field, message in problems))
    for field in COUNT_FIELDS:
        setattr(report, field, counts[field])
    report.corrections = {
        field: {"register": int(note["register"]), "reason": str(note["reason"])[:REASON_MAX]}
        for field, note in corrections.items() if field in COUNT_FIELDS
    }


def _write(*, rt: Unit, period, counts, corrections, version, by, balanced: bool) -> MonthlyReport:
    report = _claim(rt.code, period, version) or MonthlyReport(rt=rt, period=period)
    _check_writer(by, rt.code)
    check_period_open(rt.code, period)
    check_month_started(period)
    _check_status(report, EDITABLE, _("diubah lagi oleh kader; PKB dapat mengembalikannya"))
    _set_counts(report, counts, corrections, balanced=balanced)
    return report


@transaction.atomic
def report_save_draft(*, rt: Unit, period: datetime.date, counts: dict, corrections: dict, version: int,
                      by) -> MonthlyReport:
    """Saves the counts without sending them: a draft (a returned report stays returned), which
    may not balance yet; every count must be filled in all the same."""
    report = _write(rt=rt, period=period, counts=counts, corrections=corrections, version=version, by=by,
                    balanced=False)
    return _save(report, by, _("draf disimpan"))


@transaction.atomic
def report_submit(*, rt: Unit, period: datetime.date, counts: dict, corrections: dict, version: int,
                  by) -> MonthlyReport:
    """Saves and sends the counts, which must balance: the report counts in recaps and is locked
    for the cadre."""
    report = _write(rt=rt, period=period, counts=counts, corrections=corrections, version=version, by=by,
                    balanced=True)
    return _mark_sent(report, by)


def send_problems(report: MonthlyReport) -> list[str]:
    """Why a saved draft cannot be sent yet: the balance, and differences from the register
    without a reason. Empty when it can be sent."""
    problems = [message for _field, message in count_errors(report.counts())]
    unexplained = [field for field, note in report.corrections.items() if not str(note.get("reason", "")).strip()]
    if unexplained:
        labels = ", ".join(str(MonthlyReport._meta.get_field(field).verbose_name) for field in unexplained)
        problems.append(_("Tulis alasan angka yang berbeda dari register: %(fields)s.") % {"fields": labels})
    return problems


@transaction.atomic
def report_send(*, rt: Unit, period: datetime.date, version: int, by) -> MonthlyReport:
    """Sends the saved draft (or returned report) as it stands, after the cadre has seen its
    totals: it must balance and every difference from the register must have a reason."""
    report = _claim(rt.code, period, version)
    if report is None:
        raise WorkflowError(_("Belum ada draf untuk dikirim: simpan isian laporan dulu."))
    _check_writer(by, rt.code)
    check_period_open(rt.code, period)
    check_month_started(period)
    _check_status(report, EDITABLE, _("dikirim lagi"))
    problems = send_problems(report)
    if problems:
        raise WorkflowError(" ".join(problems))
    return _mark_sent(report, by)


def _mark_sent(report: MonthlyReport, by) -> MonthlyReport:
    now = timezone.now()
    report.status, report.submitted_at, report.submitted_by = ReportStatus.SUBMITTED, now, by
    report.first_submitted_at = report.first_submitted_at or now
    return _counted_save(report, by, _("dikirim"))


def _claim_for_verifier(report: MonthlyReport, version: int | None, by) -> MonthlyReport:
    report = _claim(report.rt_id, report.period, report.version if version is None else version)
    if report is None:
        raise WorkflowError(_("Belum ada laporan."))
    _check_verifier(by, report.rt_id)
    check_period_open(report.rt_id, report.period)
    return report


@transaction.atomic
def report_verify(*, report: MonthlyReport, by, version: int | None = None) -> MonthlyReport:
    report = _claim_for_verifier(report, version, by)
    _check_status(report, (ReportStatus.SUBMITTED,), _("diverifikasi (hanya laporan yang sudah dikirim)"))
    _check_four_eyes(report, by)
    report.status, report.verified_at, report.verified_by = ReportStatus.VERIFIED, timezone.now(), by
    report = _save(report, by, _("diverifikasi"))
    desa_months_refresh([(report.rt_id, report.period)])  # the sums count the verified too
    return report


def _check_four_eyes(report: MonthlyReport, by):
    """Four eyes: whoever sent a report (a PKB may fill one in for a cadre) does not verify it."""
    if report.submitted_by_id is not None and report.submitted_by_id == by.pk:
        raise WorkflowError(_("Laporan ini Anda kirim sendiri: verifikasinya oleh PKB/PLKB atau admin lain."))


class VerifiedAll(NamedTuple):
    """What verify-all did: how many reports it verified, and the RTs it left for a second look."""

    verified: int
    skipped_flagged: list[str]


@transaction.atomic
def report_verify_all(*, unit: Unit, period: datetime.date, by, include_flagged: bool = False) -> VerifiedAll:
    """Verifies every submitted report of the month below the unit (usually a desa). Reports the
    queue flags for a second look are left for one by one unless `include_flagged` (and named in
    the result); so is a report changed meanwhile, or in a closed kabupaten."""
    _check_verifier(by, unit.code)
    if kabupaten_code(unit.code):
        check_period_open(unit.code, period)
    closed = set(ClosedPeriod.objects.filter(period=period).values_list("unit_id", flat=True))
    submitted = list(MonthlyReport.objects.in_subtree(unit.code).filter(period=period, status=ReportStatus.SUBMITTED)
                     .order_by("rt_id"))
    flagged = set() if include_flagged else flagged_rts(submitted)
    verified = []
    for report in submitted:
        if kabupaten_code(report.rt_id) in closed or report.rt_id in flagged or report.submitted_by_id == by.pk:
            continue
        claimed = MonthlyReport.objects.filter(
            pk=report.pk, version=report.version, status=ReportStatus.SUBMITTED
        ).update(version=report.version + 1)
        if not claimed:
            continue
        report.version += 1
        report.status, report.verified_at, report.verified_by = ReportStatus.VERIFIED, timezone.now(), by
        _save(report, by, _("diverifikasi (semua)"))
        verified.append((report.rt_id, report.period))
    desa_months_refresh(verified)  # the sums count the verified too
    return VerifiedAll(len(verified), sorted(flagged))


def flagged_rts(reports: list[MonthlyReport]) -> set[str]:
    """The RTs of those reports that the queue flags (one query: the month before of those RTs)."""
    if not reports:
        return set()
    period = reports[0].period
    previous = {r.rt_id: r for r in MonthlyReport.objects.filter(
        rt_id__in=[r.rt_id for r in reports], period=add_months(period, -1))}
    return {report.rt_id for report in reports if flags_for(report, previous.get(report.rt_id))}


def _note(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise WorkflowError(_("%(what)s wajib diisi.") % {"what": what})
    if len(text) > COMMENT_MAX:
        raise WorkflowError(_("%(what)s terlalu panjang (paling banyak %(max)s huruf).")
                            % {"what": what, "max": COMMENT_MAX})
    return text


def _send_back(report: MonthlyReport, note: str, by, why: str) -> MonthlyReport:
    report.status, report.return_comment = ReportStatus.RETURNED, note
    report.returned_at, report.returned_by = timezone.now(), by
    report.verified_at = report.verified_by = None
    return _counted_save(report, by, f"{why}: {note}")


@transaction.atomic
def report_return(*, report: MonthlyReport, comment: str, by, version: int | None = None) -> MonthlyReport:
    """Sends a submitted report back to the cadre with a comment they see."""
    comment = _note(comment, _("Catatan untuk kader"))
    report = _claim_for_verifier(report, version, by)
    _check_status(report, (ReportStatus.SUBMITTED,), _("dikembalikan (hanya laporan yang sudah dikirim)"))
    return _send_back(report, comment, by, _("dikembalikan"))


@transaction.atomic
def report_reopen(*, report: MonthlyReport, reason: str, by, version: int | None = None) -> MonthlyReport:
    """Opens a verified report again: it goes back to the cadre as returned, with the reason."""
    reason = _note(reason, _("Alasan membuka kembali"))
    report = _claim_for_verifier(report, version, by)
    _check_status(report, (ReportStatus.VERIFIED,), _("dibuka kembali (hanya laporan yang sudah diverifikasi)"))
    return _send_back(report, reason, by, _("dibuka kembali"))
