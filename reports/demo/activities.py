"""The demo's activities and counselling: in each demo desa, the previous month's mini lokakarya
with two follow-ups (one done since) and a meeting, and this month's meeting and KIE session; in
the PPKBD's desa, counselling of about a third of this month's MKJP prospects, so that the
follow-ups, the funnel and the mini lokakarya pack have something to show."""

import datetime
import random

from cadres.models import Counselling, User
from cadres.models.outreach import Outcome, Reason, Referral
from cadres.periods import add_months, current_period
from cadres.register.outreach import prospects_on
from reports.demo.wilayah import DEMO_DESA
from reports.models import Activity, FollowUp
from reports.monthly.events import recount

COUNSELLED_DESA = "32.14.02.2001"
REASON_WEIGHTS = {Reason.TAKUT: 5, Reason.MITOS: 4, Reason.EFEK_SAMPING: 3, Reason.SUAMI: 3, Reason.BIAYA: 1,
                  Reason.JARAK: 1, Reason.LAIN: 1}
LOKAKARYA = {
    "kind": "mini_lokakarya", "place": "Balai desa", "topics": ["mkjp", "kb_pasca"], "speaker": "Bidan Desa",
    "speaker_institution": "Puskesmas", "audience": "Kader IMP, tokoh masyarakat, PUS", "attendance": 32,
    "summary": "Bidan menjelaskan implan dan IUD: cara pemasangan, efek samping, dan mitos yang beredar.",
}


def add_activities(rng: random.Random) -> str:
    """Last month's lokakarya (one follow-up closed at this month's meeting), and this month's
    meeting and KIE session, in each demo desa; "this month" being the month reported now."""
    now, before = current_period(), add_months(current_period(), -1)
    by = User.objects.filter(username="kader").first()
    for desa in DEMO_DESA:
        lokakarya = Activity.objects.create(unit_id=desa, date=before + datetime.timedelta(days=14), created_by=by,
                                            **LOKAKARYA)
        FollowUp.objects.create(activity=lokakarya, text="Kunjungan rumah ke PUS yang takut implan")
        FollowUp.objects.create(activity=lokakarya, text="Daftarkan peserta ke pelayanan KB gratis di Puskesmas",
                                closed_on=now + datetime.timedelta(days=4), closed_by=by)
        for day, kind, follow_up in ((before + datetime.timedelta(days=4), "pertemuan", None),
                                     (now + datetime.timedelta(days=4), "pertemuan", "Perbarui Peta PUS tiap RT"),
                                     (now + datetime.timedelta(days=20), "kie", None)):
            activity = Activity.objects.create(unit_id=desa, date=day, kind=kind, place="Rumah ketua PPKBD",
                                               attendance=rng.randint(8, 20), created_by=by)
            if follow_up:
                FollowUp.objects.create(activity=activity, text=follow_up)
        for period in (before, now):
            recount(desa, period, by)
    counselled = add_counselling(rng, now + datetime.timedelta(days=9), by)
    return f"{4 * len(DEMO_DESA)} kegiatan, {counselled} konseling"


def add_counselling(rng: random.Random, day: datetime.date, by) -> int:
    prospects = list(prospects_on(COUNSELLED_DESA, current_period()).order_by("pk"))
    records = []
    for couple in rng.sample(prospects, len(prospects) // 3):
        outcome = rng.choices(list(Outcome), weights=[2, 3, 1])[0]
        reason = "" if outcome == Outcome.TERTARIK else rng.choices(list(REASON_WEIGHTS), list(REASON_WEIGHTS.values()))[0]
        referral = Referral.PUSKESMAS if outcome == Outcome.TERTARIK else ""
        records.append(Counselling(couple=couple, counsellor=by, date=day, outcome=outcome, reason=reason,
                                   referral=referral))
    Counselling.objects.bulk_create(records)
    return len(records)
