"""The 6 Peran Bakti IMP (docs/domain.md) judged for one IMP institution and month from what the
product already keeps: each role met or not, with the reason in words. Pure Python: the facts
are gathered by `reports.scorecard.facts`.

1. Pengorganisasian: the board positions of its kind filled (PPKBD: ketua, sekretaris, bendahara;
   Sub-PPKBD: ketua, sekretaris; POK KB: ketua).
2. Pertemuan: at least one meeting held by it this month (a mini lokakarya, an IMP meeting or a
   routine coaching meeting recorded at its own wilayah).
3. KIE dan konseling: at least one KIE session held by it, or one couple of its wilayah counselled.
4. Pencatatan dan pelaporan: every RT report of its wilayah sent by the deadline, the register of
   its wilayah updated this month (a status, a repeat or a new couple), and for a PPKBD its poktan
   numbers saved.
5. Pelayanan kegiatan: at least one of a service day in its wilayah, a referral after counselling,
   or (a PPKBD) an active poktan.
6. Kemandirian: dues (iuran/jimpitan) collected, or pills or condoms resupplied by its cadres
   (an "ulang" recorded for a pill or condom user).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models.imp import InstitutionKind, Position

IMP_KINDS = (InstitutionKind.PPKBD, InstitutionKind.SUB_PPKBD, InstitutionKind.POK_KB)
BOARD = {
    InstitutionKind.PPKBD: (Position.KETUA, Position.SEKRETARIS, Position.BENDAHARA),
    InstitutionKind.SUB_PPKBD: (Position.KETUA, Position.SEKRETARIS),
    InstitutionKind.POK_KB: (Position.KETUA,),
}
ROLES = (
    ("organising", gettext_lazy("Pengorganisasian")),
    ("meetings", gettext_lazy("Pertemuan")),
    ("kie", gettext_lazy("KIE dan konseling")),
    ("recording", gettext_lazy("Pencatatan dan pelaporan")),
    ("services", gettext_lazy("Pelayanan kegiatan")),
    ("self_reliance", gettext_lazy("Kemandirian")),
)
ROLE_KEYS = tuple(key for key, _label in ROLES)


@dataclass
class Facts:
    """What one institution did in one month, counted in its wilayah."""

    kind: str
    board: set[str] = field(default_factory=set)  # positions filled
    meetings: int = 0
    kie_sessions: int = 0
    counselled: int = 0
    rts: int = 0  # RT reports expected
    reports_on_time: int = 0
    register_changes: int = 0
    poktan_saved: bool = False  # a PPKBD's poktan numbers of the month
    poktan_active: int = 0
    service_days: int = 0
    referrals: int = 0
    dues: int = 0  # rupiah
    resupplies: int = 0


@dataclass
class Role:
    key: str
    label: str
    met: bool
    reason: str


def judge(facts: Facts) -> list[Role]:
    """The six roles in order, each met or not with its reason."""
    return [
        _organising(facts), _meetings(facts), _kie(facts), _recording(facts), _services(facts), _self_reliance(facts)
    ]


def score(roles: list[Role]) -> int:
    return sum(judged.met for judged in roles)


def _role(key: str, met: bool, reason: str) -> Role:
    return Role(key, str(dict(ROLES)[key]), met, reason)


def _organising(facts: Facts) -> Role:
    missing = [Position(position).label.lower() for position in BOARD[facts.kind] if position not in facts.board]
    if missing:
        return _role("organising", False, _("Belum ada %(who)s.") % {"who": ", ".join(missing)})
    return _role("organising", True, _("Pengurus lengkap."))


def _meetings(facts: Facts) -> Role:
    if facts.meetings:
        return _role("meetings", True, _("%(n)s pertemuan.") % {"n": facts.meetings})
    return _role("meetings", False, _("Tidak ada pertemuan yang dicatat."))


def _kie(facts: Facts) -> Role:
    reason = _("%(kie)s penyuluhan, %(counselled)s konseling.") % {"kie": facts.kie_sessions,
                                                                   "counselled": facts.counselled}
    return _role("kie", bool(facts.kie_sessions or facts.counselled), reason)


def _recording(facts: Facts) -> Role:
    gaps = []
    if facts.reports_on_time < facts.rts:
        gaps.append(_("laporan RT tepat waktu %(sent)s dari %(rts)s") % {"sent": facts.reports_on_time, "rts": facts.rts})
    if not facts.register_changes:
        gaps.append(_("register tidak diperbarui"))
    if facts.kind == InstitutionKind.PPKBD and not facts.poktan_saved:
        gaps.append(_("angka poktan belum diisi"))
    if gaps:
        return _role("recording", False, _capital("; ".join(gaps)) + ".")
    return _role("recording", True, _("Laporan tepat waktu, register diperbarui (%(n)s perubahan).")
                 % {"n": facts.register_changes})


def _services(facts: Facts) -> Role:
    parts = [_("%(n)s hari pelayanan") % {"n": facts.service_days}, _("%(n)s rujukan") % {"n": facts.referrals}]
    if facts.kind == InstitutionKind.PPKBD:
        parts.append(_("%(n)s poktan aktif") % {"n": facts.poktan_active})
    met = bool(facts.service_days or facts.referrals or facts.poktan_active)
    return _role("services", met, _capital(", ".join(parts)) + ".")


def _self_reliance(facts: Facts) -> Role:
    reason = _("Iuran Rp%(dues)s, %(n)s kali ulang pil/kondom.") % {"dues": _rupiah(facts.dues), "n": facts.resupplies}
    return _role("self_reliance", bool(facts.dues or facts.resupplies), reason)


def _rupiah(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
