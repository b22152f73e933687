"""Synthetic data for a kabupaten at scale, for `manage.py synth` and the benchmark (bench/).

`synth_kabupaten` builds, under a fictional kabupaten code (32.99 by default, never the demo's
32.14), a tree of kecamatan, desa, RW and RT with generated names, a PUS register of couples with
status histories, months of balanced monthly reports and yearly PPM targets per desa, all through
bulk inserts in batches. Everything comes from `random.Random` seeded with the seed and each
desa's code, so that the same arguments give the same rows on any machine and database, and a
bigger kabupaten (`scale`) holds the smaller one's desa unchanged.

The reports are consistent-ish with the register (about as many PUS per RT, a similar method
mix) but are drawn directly, not derived from it: generating 120,000 balanced rows is then a
matter of seconds. Bulk inserts bypass the history of django-simple-history: synthetic rows
have none.
"""

import datetime
import hashlib
import math
import random
from bisect import bisect
from collections import Counter
from dataclasses import dataclass, replace
from itertools import accumulate

from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import Max

from cadres import codes
from cadres.indicators import BALANCE_FIELDS, COUNT_FIELDS, METHODS, PLACES
from cadres.models import Couple, CoupleStatus, Institution, Unit, User, recount_rts
from cadres.periods import add_months, month_end
from cadres.register.rules import link_statuses
from reports.demo.bulk import bulk_insert
from reports.demo.wilayah import FEMALE_FIRST, FEMALE_LAST, MALE_FIRST, MALE_LAST
from reports.models import DesaMonthSums, KabupatenMonthSums, MonthlyReport, PpmTarget, ReportStatus, rt_subtree_q
from reports.numbers.summary import desa_months_refresh

DEFAULT_KABUPATEN = "32.99"
DEFAULT_PROVINCE = "99"  # no such province: a synthetic one never meets real codes
# The last month with reports; fixed, not "last month", so that a run is the same any day.
DEFAULT_UNTIL = datetime.date(2026, 10, 1)
DESA_PER_KECAMATAN = 10
DESA_PER_BATCH = 10  # desa whose couples, statuses and reports are held in memory at once
UTC = datetime.timezone.utc

# A rough Jawa Barat mix (as the demo's), for the register and the reports alike.
STATUS_WEIGHTS = {
    "suntik": 40, "pil": 17, "implan": 7, "iud": 4, "kondom": 3, "mow": 2, "mop": 0.5,
    "hamil": 4, "ias": 5, "iat": 8, "tial": 9,
}
PRIVATE_SHARE = 0.25
CHANGE_PER_MONTH = 0.04  # chance that a couple's status changes in a month
LEAVE_SHARE = 0.04  # couples that leave the register within the months
NEW_SHARE = 0.10  # couples registered within the months rather than before
PB_PER_USER = 0.008  # new users in a month per user of the method
GC_PER_USER = 0.006  # switches into a method in a month per user of it
NEVER_USED_SHARE = 0.3  # of couples written in as non-users, those who never used a method
# The last month's reports are still coming in: (status, weight).
LAST_MONTH_STATUSES = ((ReportStatus.VERIFIED, 60), (ReportStatus.SUBMITTED, 32), (ReportStatus.DRAFT, 8))
TARGET_PER_DESA = {"iud": 3, "implan": 5, "mow": 1, "mop": 0.3, "suntik": 12, "pil": 6, "kondom": 2}

NAME_HEADS = ("Suka", "Ci", "Karang", "Sindang", "Marga", "Mekar", "Tanjung", "Bojong", "Pasir", "Cipta",
              "Sumber", "Jati", "Kerta", "Wangun", "Gunung", "Lebak", "Sirna", "Tegal", "Mulya", "Banjar")
NAME_TAILS = ("jaya", "mulya", "sari", "maju", "asih", "rahayu", "wangi", "harja", "mukti", "galih",
              "rasa", "makmur", "laksana", "jati", "indah", "kerta", "manah", "resmi", "layang", "endah")


class SynthRefused(Exception):
    """The kabupaten cannot be synthesized as asked; the message is for the user."""


@dataclass(frozen=True)
class Size:
    """How big the kabupaten is: 250 desa × 5 RW × 4 RT × 25 couples and 24 months by default."""

    desa: int = 250
    rw_per_desa: int = 5
    rt_per_rw: int = 4
    couples_per_rt: int = 25
    months: int = 24

    def scaled(self, scale: int) -> "Size":
        return replace(self, desa=self.desa * scale)

    @property
    def rts(self) -> int:
        return self.desa * self.rw_per_desa * self.rt_per_rw


@dataclass
class SynthResult:
    units: int = 0
    couples: int = 0
    statuses: int = 0
    reports: int = 0
    targets: int = 0
    institutions: int = 0

    def summary(self, code: str) -> str:
        return (f"synth {code}: {self.units} wilayah, {self.institutions} institusi IMP, {self.couples} pasangan, "
                f"{self.statuses} status KB, {self.reports} laporan bulanan, {self.targets} target PPM")


def synth_kabupaten(*, code: str = DEFAULT_KABUPATEN, size: Size = Size(), seed: int = 1,
                    until: datetime.date = DEFAULT_UNTIL, replace: bool = False, progress=None) -> SynthResult:
    """Builds the kabupaten `code` in one transaction; refuses if it has units unless `replace`,
    which first removes everything under it. `progress(text)` hears about each batch."""
    if not codes.is_valid_code(code) or codes.level_of(code) != "kabupaten":
        raise SynthRefused(f"kode {code} bukan kode kabupaten/kota (contoh: {DEFAULT_KABUPATEN})")
    if size.desa < 1 or size.desa > 99 * 999:
        raise SynthRefused("jumlah desa harus 1–98.901")
    try:
        with transaction.atomic():
            if Unit.objects.subtree(code).exists():
                if not replace:
                    raise SynthRefused(f"kabupaten {code} sudah berisi data; pakai --replace untuk menggantinya")
                synth_delete(code=code)
            return _build(code, size, seed, until, progress or (lambda text: None))
    except IntegrityError as error:
        # Deferred foreign keys fail at commit: rows we do not make (institutions, ...) use the units.
        raise SynthRefused(f"wilayah di bawah {code} masih dipakai data lain; hapus dulu ({error})") from None


def synth_province(*, code: str = DEFAULT_PROVINCE, kabupaten: int = 24, size: Size = Size(), seed: int = 1,
                   until: datetime.date = DEFAULT_UNTIL, replace: bool = False, progress=None) -> SynthResult:
    """A province of `kabupaten` kabupaten (`code`.01, .02, …), each as `synth_kabupaten` makes
    one of `size`, each in its own transaction (24 of the default size: 6,000 desa, 3 million
    couples, the size of Jawa Barat). Returns the sum of what was made."""
    if not codes.is_valid_code(code) or codes.level_of(code) != "provinsi":
        raise SynthRefused(f"kode {code} bukan kode provinsi (contoh: {DEFAULT_PROVINCE})")
    if not 1 <= kabupaten <= 99:
        raise SynthRefused("jumlah kabupaten harus 1–99")
    total = SynthResult()
    for number in range(1, kabupaten + 1):
        made = synth_kabupaten(code=f"{code}.{number:02d}", size=size, seed=seed, until=until, replace=replace,
                               progress=progress)
        for name, value in vars(made).items():
            setattr(total, name, getattr(total, name) + value)
        (progress or (lambda text: None))(f"kabupaten {number}/{kabupaten}")
    return total


def _build(code, size, seed, until, progress) -> SynthResult:
    result = SynthResult()
    units, desa_codes = tree_units(code, size, random.Random(f"{seed}:{code}"))
    Unit.objects.get_or_create(code=codes.parent_code(code), defaults={"name": f"Provinsi {codes.parent_code(code)}"})
    Unit.objects.bulk_create(units)
    recount_rts(code)
    result.units = len(units)
    institutions = imp_institutions(units)
    bulk_insert(Institution, institutions)
    result.institutions = len(institutions)
    first = add_months(until, 1 - size.months)
    targets = [target for desa in desa_codes for target in desa_targets(desa, first.year, until.year, seed)]
    PpmTarget.objects.bulk_create(targets)
    result.targets = len(targets)
    # Couples get their ids here, so that their statuses can be inserted without reading them back.
    couple_id = Couple.objects.aggregate(last=Max("id"))["last"] or 0
    for start in range(0, len(desa_codes), DESA_PER_BATCH):
        couples, statuses, reports = [], [], []
        for desa in desa_codes[start:start + DESA_PER_BATCH]:
            rng = random.Random(f"{seed}:{desa}")
            for rt in rt_codes(desa, size):
                for number in range(1, size.couples_per_rt + 1):
                    couple_id += 1
                    couple, history = couple_with_history(rng, rt, number, first, until)
                    couple["id"] = couple_id
                    couples.append(couple)
                    statuses += linked_rows(couple, history)
                reports += rt_reports(rng, rt, size, first)
        for model, rows in ((Couple, couples), (CoupleStatus, statuses), (MonthlyReport, reports)):
            bulk_insert(model, rows)
        desa_months_refresh((row["rt_id"], row["period"]) for row in reports)
        result.couples, result.statuses = result.couples + len(couples), result.statuses + len(statuses)
        result.reports += len(reports)
        progress(f"{min(start + DESA_PER_BATCH, len(desa_codes))}/{len(desa_codes)} desa")
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Couple]):
            cursor.execute(sql)
    return result


def linked_rows(couple: dict, history: list[CoupleStatus]) -> list[dict]:
    """The status rows with `kind`, `is_pb` and `until` set by the register's own rule."""
    link_statuses(history, first_use=couple["first_use"], ever_used=couple["ever_used"])
    return [
        {"couple_id": couple["id"], "rt_id": couple["rt_id"], "since": row.since, "status": row.status, "place": row.place,
         "kind": row.kind, "is_pb": row.is_pb, "until": row.until}
        for row in history
    ]


def tree_units(code: str, size: Size, rng: random.Random) -> tuple[list[Unit], list[str]]:
    """The kabupaten and everything under it down to RT (not saved), and the desa codes in order.

    Ten desa per kecamatan, more when a kecamatan's two digits would not suffice."""
    per_kecamatan = max(DESA_PER_KECAMATAN, math.ceil(size.desa / 99))
    units = [Unit(code=code, name=f"{place_name(rng)} (sintetis)", parent_id=codes.parent_code(code))]
    desa_codes = []
    for number in range(1, math.ceil(size.desa / per_kecamatan) + 1):
        kecamatan = f"{code}.{number:02d}"
        units.append(Unit(code=kecamatan, name=place_name(rng), parent_id=code))
        for desa_number in range(min(per_kecamatan, size.desa - len(desa_codes))):
            desa = f"{kecamatan}.{2001 + desa_number}"
            desa_codes.append(desa)
            units.append(Unit(code=desa, name=place_name(rng), parent_id=kecamatan))
            for rw in range(1, size.rw_per_desa + 1):
                units.append(Unit(code=f"{desa}.{rw:03d}", name=f"RW {rw:03d}", parent_id=desa))
            units += [Unit(code=rt, name=f"RT {rt[-3:]}", parent_id=codes.parent_code(rt)) for rt in rt_codes(desa, size)]
    return units, desa_codes


# The IMP of a wilayah as the PPKBD's report counts it: a PPKBD and a BKB per desa, a Sub-PPKBD per
# RW, a POK KB per RT (a kabupaten of 250 desa has some 6,500).
IMP_PER_LEVEL = {"desa": ("ppkbd", "bkb"), "rw": ("sub_ppkbd",), "rt": ("pok_kb",)}


def imp_institutions(units: list[Unit]) -> list[dict]:
    return [{"unit_id": unit.code, "kind": kind, "name": f"{kind.upper()} {unit.name}"}
            for unit in units for kind in IMP_PER_LEVEL.get(codes.level_of(unit.code), ())]


def rt_codes(desa: str, size: Size) -> list[str]:
    return [f"{desa}.{rw:03d}.{rt:03d}" for rw in range(1, size.rw_per_desa + 1) for rt in range(1, size.rt_per_rw + 1)]


def place_name(rng: random.Random) -> str:
    return rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS)


def desa_targets(desa: str, first_year: int, last_year: int, seed: int) -> list[PpmTarget]:
    rng = random.Random(f"{seed}:{desa}:ppm")
    return [
        PpmTarget(unit_id=desa, year=year,
                  **{method: round(base * rng.uniform(0.7, 1.3)) for method, base in TARGET_PER_DESA.items()})
        for year in range(first_year, last_year + 1)
    ]


def _status(rng: random.Random) -> tuple[str, str]:
    status = rng.choices(STATUS_KEYS, cum_weights=STATUS_CUM)[0]
    if status not in METHODS:
        return status, ""
    return status, "swasta" if rng.random() < PRIVATE_SHARE else "pemerintah"


STATUS_KEYS = tuple(STATUS_WEIGHTS)
STATUS_CUM = tuple(accumulate(STATUS_WEIGHTS.values()))


def couple_with_history(rng: random.Random, rt: str, number: int, first: datetime.date,
                        until: datetime.date) -> tuple[dict, list[CoupleStatus]]:
    """A couple's fields and its status rows in date order (not saved, not linked)."""
    end = month_end(until)
    months = (until.year - first.year) * 12 + until.month - first.month + 1
    new = rng.random() < NEW_SHARE
    if new:
        registered = add_months(first, rng.randrange(months)) + datetime.timedelta(days=rng.randrange(28))
    else:
        registered = first - datetime.timedelta(days=rng.randrange(1, 6 * 365))
    left_on = None
    if rng.random() < LEAVE_SHARE:
        left_on = min(end, registered + datetime.timedelta(days=rng.randrange(30, 3 * 365)))
    born = datetime.date(until.year - rng.randint(17, 48), rng.randint(1, 12), rng.randint(1, 28))
    children = rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4))
    youngest = end - datetime.timedelta(days=rng.randrange(30, 10 * 365)) if children else None
    couple = {
        "rt_id": rt, "wife_name": f"{rng.choice(FEMALE_FIRST)} {rng.choice(FEMALE_LAST)}",
        "husband_name": f"{rng.choice(MALE_FIRST)} {rng.choice(MALE_LAST)}", "wife_birth_date": born,
        "children": children, "youngest_birth_date": youngest, "address": f"Rumah no. {number}",
        "registered_on": registered, "left_on": left_on,
        "left_reason": rng.choice(("cerai", "meninggal", "pindah")) if left_on else "",
        # A couple written in lately with a method has just started it, half of the time.
        "first_use": "pb" if new and rng.random() < 0.5 else "lama",
        "ever_used": rng.random() >= NEVER_USED_SHARE,
    }
    history = [CoupleStatus(since=registered, status=(first_status := _status(rng))[0], place=first_status[1])]
    for month in range(months):
        day = add_months(first, month) + datetime.timedelta(days=rng.randrange(28))
        if rng.random() < CHANGE_PER_MONTH and history[-1].since < day <= (left_on or end):
            status, place = _status(rng)
            if status != history[-1].status:
                history.append(CoupleStatus(since=day, status=status, place=place))
    return couple, history


# The report's balance fields drawn with the same mix: a method split over the two places.
FIELD_WEIGHTS = tuple(
    STATUS_WEIGHTS[field.split("_")[0]] * ((1 - PRIVATE_SHARE) if field.endswith("_pemerintah") else PRIVATE_SHARE)
    if "_" in field else STATUS_WEIGHTS[field]
    for field in BALANCE_FIELDS
)


def rt_reports(rng: random.Random, rt: str, size: Size, first: datetime.date) -> list[dict]:
    """The fields of the RT's balanced reports for `size.months` months from `first`: its own method mix and a
    PUS that drifts around the couples per RT."""
    cum_weights = list(accumulate(weight * rng.uniform(0.6, 1.4) for weight in FIELD_WEIGHTS))
    total = cum_weights[-1]
    pus = max(1, size.couples_per_rt + rng.randint(-3, 3))
    reports = []
    for month in range(size.months):
        period = add_months(first, month)
        pus = max(1, pus + rng.choice((-1, 0, 0, 0, 0, 1)))
        drawn = Counter(BALANCE_FIELDS[bisect(cum_weights, rng.random() * total)] for _ in range(pus))
        counts = {field: drawn[field] for field in BALANCE_FIELDS} | {"pus": pus}
        for method in METHODS:
            users = sum(counts[f"{method}_{place}"] for place in PLACES)
            counts[f"pb_{method}"] = int(rng.random() < users * PB_PER_USER)
            counts[f"gc_{method}"] = int(rng.random() < users * GC_PER_USER)
        counts["pb_pasca"] = rng.randint(0, sum(counts[f"pb_{method}"] for method in METHODS))
        last = month == size.months - 1
        reports.append({"rt_id": rt, "period": period, **counts, **_workflow(rng, period, last)})
    return reports


def _workflow(rng: random.Random, period: datetime.date, last: bool) -> dict:
    """Status and times: verified, except that the last month is still coming in; most reports
    arrive by day 3 of the next month."""
    status = ReportStatus.VERIFIED
    if last:
        status = rng.choices([s for s, _w in LAST_MONTH_STATUSES], weights=[w for _s, w in LAST_MONTH_STATUSES])[0]
    if status == ReportStatus.DRAFT:
        return {"status": status, "submitted_at": None, "verified_at": None}
    due = add_months(period, 1)
    sent = datetime.datetime(due.year, due.month, rng.choice((1, 2, 2, 3, 3, 3, 4, 6)), rng.randrange(7, 21), tzinfo=UTC)
    verified = sent + datetime.timedelta(days=rng.randrange(1, 6)) if status == ReportStatus.VERIFIED else None
    return {"status": status, "submitted_at": sent, "verified_at": verified}


def synth_delete(*, code: str) -> None:
    """Removes the kabupaten and everything under it with plain DELETEs: no signals, no history
    rows for 100,000s of deletions (bulk-made rows never had history either)."""
    in_couples = f"couple_id IN (SELECT id FROM {Couple._meta.db_table} WHERE rt_id LIKE %s)"
    below, self_or_below = ([code + ".%"], "= %s OR {} LIKE %s")
    statements = [
        (CoupleStatus.history.model, in_couples, below),
        (CoupleStatus, in_couples, below),
        (Couple.history.model, "rt_id LIKE %s", below),
        (Couple, "rt_id LIKE %s", below),
        (MonthlyReport.history.model, "rt_id LIKE %s", below),
        (MonthlyReport, "rt_id LIKE %s", below),
        (DesaMonthSums, "desa_id LIKE %s", below),
        (KabupatenMonthSums, "kabupaten_id = %s", [code]),
        (PpmTarget, "unit_id " + self_or_below.format("unit_id"), [code, code + ".%"]),
        (User.units.through, "unit_id " + self_or_below.format("unit_id"), [code, code + ".%"]),
        (Institution, "unit_id " + self_or_below.format("unit_id"), [code, code + ".%"]),
        (Unit, "code " + self_or_below.format("code"), [code, code + ".%"]),
    ]
    with connection.cursor() as cursor:
        for model, where, params in statements:
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {where}", params)


def synth_fingerprint(code: str) -> str:
    """A digest of everything synthesized under `code` (no primary keys), to compare two runs."""
    digest = hashlib.sha256()
    couples = Couple.objects.in_subtree(code).order_by("rt_id", "id")
    statuses = CoupleStatus.objects.filter(rt_subtree_q(code, "couple__rt__code")).order_by("couple__rt_id", "couple_id", "since")
    querysets = [
        Unit.objects.subtree(code).order_by("code").values_list("code", "name", "parent_id"),
        couples.values_list("rt_id", "wife_name", "husband_name", "wife_birth_date", "children",
                            "youngest_birth_date", "address", "registered_on", "left_on", "left_reason", "first_use",
                            "ever_used"),
        statuses.values_list("couple__rt_id", "since", "status", "place", "kind", "is_pb", "until"),
        MonthlyReport.objects.in_subtree(code).order_by("rt_id", "period")
        .values_list("rt_id", "period", "status", "submitted_at", "verified_at", *COUNT_FIELDS),
        PpmTarget.objects.filter(rt_subtree_q(code, "unit__code")).order_by("unit_id", "year")
        .values_list("unit_id", "year", *METHODS),
    ]
    for queryset in querysets:
        for row in queryset.iterator(chunk_size=5000):
            digest.update(repr(tuple(_plain(value) for value in row)).encode())
    return digest.hexdigest()


def _plain(value):
    # Both databases give aware datetimes, but with different tzinfo objects: compare instants.
    return value.timestamp() if isinstance(value, datetime.datetime) else value
