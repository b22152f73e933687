"""The demo data of `seed_demo`: Kabupaten Purwakarta with RW/RT, IMP institutions, cadres and one
account per role, built once and identical on every machine.

`demo_load()` runs STEPS in order inside one transaction. A step is a plain function that takes its
own `random.Random` (seeded from SEED and the step's name, so that adding a step never changes what
the others build) and returns a one-line summary. Later parts of the demo (the PUS register, monthly
reports, PPM targets) are appended to STEPS as new functions, e.g. `STEPS.append(add_couples)` or a
new entry in the tuple below; they run after the accounts and may rely on DEMO_DESA and the RT
units under them (`demo_units("rt")`).
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from cadres import codes
from cadres.accounts import account_save
from cadres.imports.official import load_official_wilayah
from cadres.models import Cadre, Institution, Role, Unit, User, recount_rts
from cadres.models.imp import POKTAN, InstitutionKind, Position

DEMO_PASSWORD = "demo12345"
KABUPATEN = "32.14"
# Two desa (one of them a kelurahan) in each of two kecamatan get RW, RT, institutions and cadres.
DEMO_DESA = ("32.14.01.1001", "32.14.01.2010", "32.14.02.2001", "32.14.02.2002")
SEED = 3214
RW_PER_DESA = (3, 6)
RT_PER_RW = (2, 5)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit_codes: tuple[str, ...]
    full_name: str = ""
    # (unit code, institution kind): the account belongs to that institution's ketua, whose name it takes.
    ketua_of: tuple[str, str] | None = None


DEMO_ACCOUNTS = (
    DemoAccount("admin", Role.ADMIN, (), "Admin Kampung KB"),
    DemoAccount("opd", Role.OPD, (KABUPATEN,), "Rina Marlina"),
    DemoAccount("pkb", Role.PKB, ("32.14.02.2001", "32.14.02.2002"), "Dadang Sunarya"),
    DemoAccount("kader", Role.KADER, ("32.14.02.2001",), ketua_of=("32.14.02.2001", InstitutionKind.PPKBD)),
    DemoAccount(
        "kader_rt", Role.KADER, ("32.14.02.2001.001.001",),
        ketua_of=("32.14.02.2001.001.001", InstitutionKind.POK_KB),
    ),
)

FEMALE_FIRST = (
    "Euis", "Neneng", "Iis", "Imas", "Ai", "Dedeh", "Enung", "Yayah", "Cucu", "Tati", "Entin", "Lilis",
    "Nining", "Wiwin", "Nunung", "Yeti", "Popon", "Titin", "Eneng", "Ratna", "Siti", "Sri", "Tuti", "Dewi",
)
FEMALE_LAST = (
    "Sumiati", "Hasanah", "Rosita", "Masitoh", "Rohaeti", "Kurniasih", "Nurhayati", "Rukmini", "Suryani",
    "Sumarni", "Kartini", "Ningsih", "Winarsih", "Wahyuni", "Alawiyah", "Haryati", "Nurjanah", "Rahayu",
    "Sulastri", "Mulyani", "Lestari", "Fitriani",
)
MALE_FIRST = ("Asep", "Dede", "Ujang", "Cecep", "Agus", "Budi", "Joko", "Yayan", "Iwan", "Deden", "Wawan")
MALE_LAST = ("Saepudin", "Supriatna", "Rahmat", "Hidayat", "Setiawan", "Santoso", "Susilo", "Sopyan",
             "Kurniawan", "Permana", "Gunawan")
PHONE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0857", "0878", "0896")
FLOWERS = ("Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia", "Flamboyan", "Cempaka", "Teratai", "Kemuning",
           "Soka", "Kamboja", "Seruni")
POKTAN_NAMES = {
    "bkb": ("Tunas Harapan", "Balita Ceria", "Permata Hati"),
    "bkr": ("Remaja Mandiri", "Harapan Bangsa", "Tunas Muda"),
    "bkl": ("Lansia Sejahtera", "Sehat Bahagia", "Sepuh Bagja"),
    "uppka": ("Sejahtera Mandiri", "Maju Bersama", "Berkah Usaha"),
    "pik_r": ("Generasi Berencana", "Remaja Juara", "Sahabat Remaja"),
}
# In the order of the model's choices: iterating the POKTAN set would differ between processes.
POKTAN_KINDS = tuple(kind for kind in InstitutionKind.values if kind in POKTAN)
# Officers of each kind of institution, and how many plain members (anggota) it has.
BOARDS = {
    "ppkbd": ((Position.KETUA, Position.SEKRETARIS, Position.BENDAHARA), (1, 3)),
    "sub_ppkbd": ((Position.KETUA, Position.SEKRETARIS), (0, 2)),
    "pok_kb": ((Position.KETUA,), (1, 2)),
}
POKTAN_BOARD = ((Position.KETUA, Position.SEKRETARIS, Position.BENDAHARA), (0, 2))
CADRES_SINCE = datetime.date(2015, 1, 1)


def in_demo_desa(field: str = "code") -> Q:
    """Rows whose unit-code field lies in one of the demo desa's subtrees."""
    q = Q(pk__in=[])
    for desa in DEMO_DESA:
        q |= Q(**{field: desa}) | Q(**{f"{field}__startswith": desa + "."})
    return q


def demo_units(level: str):
    return Unit.objects.filter(in_demo_desa()).at_level(level).order_by("code")


def demo_is_loaded() -> bool:
    """The demo counts as loaded once a demo desa has RW units: it never mixes into real RW data."""
    return Unit.objects.filter(parent_id__in=DEMO_DESA).exists()


def demo_load(steps=None) -> list[str] | None:
    """Builds the whole demo in one transaction; returns the steps' summaries, or None if it was there."""
    try:
        with transaction.atomic():
            if demo_is_loaded():
                return None
            return [step(random.Random(f"{SEED}:{step.__name__}")) for step in steps or STEPS]
    except IntegrityError:
        if demo_is_loaded():  # a concurrent run loaded it first
            return None
        raise


def add_official_wilayah(rng: random.Random) -> str:
    changed = load_official_wilayah(KABUPATEN)
    kecamatan = Unit.objects.subtree(KABUPATEN).at_level("kecamatan").count()
    desa = Unit.objects.subtree(KABUPATEN).at_level("desa").count()
    return f"wilayah resmi {KABUPATEN}: {kecamatan} kecamatan, {desa} desa/kelurahan ({changed} baru atau diubah)"


def add_rw_rt(rng: random.Random) -> str:
    rw_units, rt_units = [], []
    for desa_code in DEMO_DESA:
        for rw in range(1, rng.randint(*RW_PER_DESA) + 1):
            rw_code = f"{desa_code}.{rw:03d}"
            rw_units.append(Unit(code=rw_code, name=f"RW {rw:03d}", parent_id=codes.parent_code(rw_code)))
            for rt in range(1, rng.randint(*RT_PER_RW) + 1):
                rt_code = f"{rw_code}.{rt:03d}"
                rt_units.append(Unit(code=rt_code, name=f"RT {rt:03d}", parent_id=codes.parent_code(rt_code)))
    Unit.objects.bulk_create(rw_units)  # parents first: bulk_create skips Unit.save()
    Unit.objects.bulk_create(rt_units)
    recount_rts(KABUPATEN)
    return f"{len(DEMO_DESA)} desa contoh: {len(rw_units)} RW, {len(rt_units)} RT"


def add_institutions(rng: random.Random) -> str:
    children = defaultdict(list)
    for unit in Unit.objects.filter(in_demo_desa()).order_by("code"):
        children[unit.parent_id].append(unit)
    institutions = []
    for desa in Unit.objects.filter(code__in=DEMO_DESA).order_by("code"):
        rws = children[desa.code]
        institutions.append(Institution(unit=desa, kind=InstitutionKind.PPKBD, name=desa.name))
        for rw, flower in zip(rws, rng.sample(FLOWERS, len(rws))):
            institutions.append(Institution(unit=rw, kind=InstitutionKind.SUB_PPKBD, name=flower))
            institutions.extend(
                Institution(unit=rt, kind=InstitutionKind.POK_KB, name=f"{flower} {number}")
                for number, rt in enumerate(children[rw.code], 1)
            )
        for kind in POKTAN_KINDS:
            unit = rng.choice(rws) if rng.random() < 0.4 else desa
            institutions.append(Institution(unit=unit, kind=kind, name=rng.choice(POKTAN_NAMES[kind])))
    for institution in institutions:
        institution.clean()  # the demo obeys the same level rules as the admin
    Institution.objects.bulk_create(institutions)
    return f"{len(institutions)} institusi IMP"


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.85:  # most KB cadres are women
        return f"{rng.choice(FEMALE_FIRST)} {rng.choice(FEMALE_LAST)}"
    return f"{rng.choice(MALE_FIRST)} {rng.choice(MALE_LAST)}"


def phone_number(rng: random.Random) -> str:
    return f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**7, 10**8)}"


def add_cadres(rng: random.Random) -> str:
    cadres = []
    institutions = Institution.objects.filter(in_demo_desa("unit__code")).order_by("unit_id", "kind", "name")
    for institution in institutions:
        officers, (fewest, most) = BOARDS.get(institution.kind, POKTAN_BOARD)
        positions = officers + (Position.ANGGOTA,) * rng.randint(fewest, most)
        cadres.extend(
            Cadre(
                institution=institution, name=person_name(rng), phone=phone_number(rng), position=position,
                since=CADRES_SINCE + datetime.timedelta(days=rng.randrange(10 * 365)),
            )
            for position in positions
        )
    Cadre.objects.bulk_create(cadres)
    return f"{len(cadres)} kader"


def add_accounts(rng: random.Random) -> str:
    for account in DEMO_ACCOUNTS:
        user, _created = account_save(
            username=account.username, role=account.role, unit_codes=list(account.unit_codes),
            password=DEMO_PASSWORD, must_change_password=settings.DEMO_ACCOUNTS_MUST_CHANGE_PASSWORD,
        )
        full_name = account.full_name
        if account.ketua_of:
            unit_code, kind = account.ketua_of
            cadre = Cadre.objects.get(
                institution__unit_id=unit_code, institution__kind=kind, position=Position.KETUA
            )
            cadre.user = user
            cadre.save(update_fields=["user"])
            full_name = cadre.name
        user.first_name, _space, user.last_name = full_name.partition(" ")
        user.save(update_fields=["first_name", "last_name"])
    return f"{len(DEMO_ACCOUNTS)} akun demo"


# Appended to by later parts of the demo; each runs once, in this order, in the same transaction.
STEPS = [add_official_wilayah, add_rw_rt, add_institutions, add_cadres, add_accounts]


def demo_logins() -> list[str]:
    """The lines `seed_demo` prints after every run: each demo login, its role and what it sees."""
    usernames = [account.username for account in DEMO_ACCOUNTS]
    users = {
        user.username: user
        for user in User.objects.filter(username__in=usernames).prefetch_related("units")
        .select_related("cadre__institution")
    }
    if not users:
        return ["Belum ada akun demo."]
    note = " — wajib diganti saat masuk pertama kali" if any(u.must_change_password for u in users.values()) else ""
    lines = [f"Login demo (kata sandi: {DEMO_PASSWORD}{note}):"]
    for username in usernames:
        if username in users:
            lines.append(f"  {username:<9} {users[username].get_role_display():<17} {_sees(users[username])}")
    return lines


def _sees(user: User) -> str:
    if user.role == Role.ADMIN:
        return "semua wilayah, dan layar admin di /admin/"
    sees = ", ".join(f"{unit.name} ({unit.code})" for unit in sorted(user.units.all(), key=lambda u: u.code))
    if hasattr(user, "cadre"):
        sees += f" — {user.cadre.get_position_display()} {user.cadre.institution}"
    return sees
