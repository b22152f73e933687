"""The demo's activities and counselling: in each demo desa, the previous month's mini lokakarya
with two follow-ups (one done since) and a meeting, and this month's meeting and KIE session; in
the PPKBD's desa, counselling of a third of the MKJP prospects in the month reported now and of a
sixth in the calendar month; and an MKJP drive of the kabupaten from the month reported now, so
that the follow-ups, the funnels and the mini lokakarya pack have something to show."""

import datetime
import random

from django.utils import timezone

from cadres.models import Counselling, Unit, User
from cadres.models.outreach import Outcome, Reason, Referral
from cadres.periods import add_months, current_period
from cadres.register.outreach import prospects_on
from reports.demo.wilayah import DEMO_DESA, KABUPATEN
from reports.models import Activity, FollowUp
from reports.monthly.events import recount
from reports.targets.campaigns import campaign_create

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
    # Counselling in the month reported now (the pack's) and in the calendar month (the prospects page's).
    today = timezone.localdate()
    counselled = add_counselling(rng, now + datetime.timedelta(days=9), by, share=3)
    counselled += add_counselling(rng, max(today.replace(day=1), today - datetime.timedelta(days=3)), by, share=6)
    campaign_create(unit=Unit.objects.get(code=KABUPATEN), by=User.objects.get(username="opd"), name="Bulan Bakti MKJP", start=now,
                    end=add_months(now, 2) - datetime.timedelta(days=1), iud=120, implan=240)
    return f"{4 * len(DEMO_DESA)} kegiatan, {counselled} konseling, 1 kampanye MKJP"


def add_counselling(rng: random.Random, day: datetime.date, by, share: int) -> int:
    """Counselling of one in `share` of the desa's prospects of that day's month, on that day."""
    prospects = list(prospects_on(COUNSELLED_DESA, day.replace(day=1)).order_by("pk"))
    records = []
    for couple in rng.sample(prospects, len(prospects) // share):
        outcome = rng.choices(list(Outcome), weights=[2, 3, 1])[0]
        reason = "" if outcome == Outcome.TERTARIK else rng.choices(list(REASON_WEIGHTS), list(REASON_WEIGHTS.values()))[0]
        referral = Referral.PUSKESMAS if outcome == Outcome.TERTARIK else ""
        records.append(Counselling(couple=couple, counsellor=by, date=day, outcome=outcome, reason=reason,
                                   referral=referral))
    Counselling.objects.bulk_create(records)
    return len(records)
