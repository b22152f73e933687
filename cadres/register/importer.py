"""The PUS register import: couples added to the register, each with its status (the columns are
in docs/interfaces.md).

An imported couple is on the register from `sejak`, the day its status began: `registered_on`
and its one status row both start then. An imported user is a continuing user (peserta lama)
unless `peserta_baru` says `ya`: then the register's own rule (`cadres.register.kinds`) counts the
method as a peserta baru (PB) on that day. The file cannot tell a first use from a use again after
a birth, so an imported PB is a plain PB, never a PB pasca. The import adds couples; it does not
look for couples already on the register. `pus_read` checks every row and raises tabular.ImportRefused
naming each problem; `pus_write` then inserts in bulk in one transaction.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from lokal.nik import is_valid_nik, parse_nik

from cadres.imports import bulk_insert, tabular
from cadres.imports.command import check_units_exist
from cadres.indicators import METHODS, NON_USERS, PLACES
from cadres.models import Couple, CoupleStatus
from cadres.models.register import MAX_CHILDREN, FirstUse
from cadres.register.kinds import PB_KINDS, row_kinds
from cadres.register.rules import LINKED_FIELDS



def _children(value) -> int:
    number = tabular.count(value)
    if number > MAX_CHILDREN:
        raise tabular.CellError(f"paling banyak {MAX_CHILDREN}")
    return number


def _nik(value) -> str:
    nik = tabular.digits(16)(value)
    if not is_valid_nik(nik):
        reasons = "; ".join(issue.message.rstrip(".") for issue in parse_nik(nik).errors)
        raise tabular.CellError(f"bukan NIK yang sah: {reasons}")
    return nik


COLUMNS = {
    "kode_rt": tabular.unit_code("rt"),
    "nama_istri": tabular.text(Couple._meta.get_field("wife_name").max_length),
    "tanggal_lahir_istri": tabular.date,
    "nama_suami": tabular.text(Couple._meta.get_field("husband_name").max_length),
    "jumlah_anak": _children,
    "status": tabular.choice(METHODS + NON_USERS),
    "tempat": tabular.optional(tabular.choice(PLACES)),
    "sejak": tabular.date,
    "nik": tabular.optional(_nik),
    "peserta_baru": tabular.optional(tabular.choice(("ya", "tidak"))),
    "no_rumah": tabular.optional(tabular.text(Couple._meta.get_field("house_number").max_length)),
}
OPTIONAL_COLUMNS = ("nik", "peserta_baru", "no_rumah")
COUPLE_COLUMNS = ["rt_id", "wife_name", "wife_birth_date", "husband_name", "children", "nik", "registered_on",
                  "first_use", "house_number"]
STATUS_COLUMNS = ["couple_id", "rt_id", "since", "status", "place", *LINKED_FIELDS]
HISTORY_REASON = "import_pus"
_BATCH = 5000  # couples turned into statements at a time


@dataclass(frozen=True, slots=True)
class CoupleRow:
    rt: str
    wife_name: str
    wife_birth_date: datetime.date
    husband_name: str
    children: int
    status: str
    place: str  # "" for a non-user
    since: datetime.date
    nik: str  # "" when not given
    first_use: str  # FirstUse: PB when `peserta_baru` says ya, else a continuing user
    house_number: str  # "" when not given


@dataclass(frozen=True)
class PusImportResult:
    couples: int
    rts: int

    def summary(self) -> str:
        return f"import_pus: {self.couples} pasangan ditambahkan ke register ({self.rts} RT)."


def pus_import(*, path: Path) -> PusImportResult:
    """Reads and checks the whole file, then writes it; raises tabular.ImportRefused if anything is bad."""
    return pus_write(rows=pus_read(path))


def pus_read(path: Path) -> list[CoupleRow]:
    """Every row of the file as a CoupleRow; raises tabular.ImportRefused naming every bad row."""
    problems = tabular.Problems()
    today = timezone.localdate()
    couples: list[CoupleRow] = []
    rows_of_rt: dict[str, list[int]] = {}
    for row in tabular.read_rows(path, COLUMNS, problems, optional_columns=OPTIONAL_COLUMNS):
        values = row.values
        if values.get("kode_rt") is not None:
            rows_of_rt.setdefault(values["kode_rt"], []).append(row.number)
        found = len(problems)
        _check_place(row, problems)
        _check_new_user(row, problems)
        _check_dates(row, today, problems)
        if row.ok and len(problems) == found:
            couples.append(CoupleRow(
                rt=values["kode_rt"], wife_name=values["nama_istri"], wife_birth_date=values["tanggal_lahir_istri"],
                husband_name=values["nama_suami"], children=values["jumlah_anak"], status=values["status"],
                place=values["tempat"] or "", since=values["sejak"], nik=values["nik"] or "",
                first_use=FirstUse.PB if values["peserta_baru"] == "ya" else FirstUse.LAMA,
                house_number=values["no_rumah"] or "",
            ))
    check_units_exist(rows_of_rt, problems, column="kode_rt", what="RT")
    problems.raise_if_any()
    return couples


def _check_place(row: tabular.Row, problems: tabular.Problems) -> None:
    """A method needs its place of service; a non-user has none."""
    status = row.values.get("status")
    if "tempat" not in row.values:  # its own cell problem is already there
        return
    place = row.values["tempat"]
    if status in METHODS and place is None:
        problems.add(row.number, "tempat", f"wajib diisi untuk metode {status} (pemerintah atau swasta)")
    elif status in NON_USERS and place is not None:
        problems.add(row.number, "tempat", f"harus kosong untuk status {status} (tempat hanya untuk metode KB)")


def _check_new_user(row: tabular.Row, problems: tabular.Problems) -> None:
    """Only a method can be a peserta baru."""
    if row.values.get("peserta_baru") == "ya" and row.values.get("status") in NON_USERS:
        status = row.values["status"]
        problems.add(row.number, "peserta_baru", f"ya hanya untuk metode KB, bukan untuk status {status}")


def _check_dates(row: tabular.Row, today: datetime.date, problems: tabular.Problems) -> None:
    born, since = row.values.get("tanggal_lahir_istri"), row.values.get("sejak")
    if born is not None and born > today:
        problems.add(row.number, "tanggal_lahir_istri", f"tanggal {born.isoformat()} ada di masa depan")
    elif born is not None and since is not None and since < born:
        problems.add(
            row.number, "sejak", f"tanggal {since.isoformat()} sebelum tanggal lahir istri ({born.isoformat()})"
        )
    if since is not None and since > today:
        problems.add(row.number, "sejak", f"tanggal {since.isoformat()} ada di masa depan")


@transaction.atomic
def pus_write(*, rows: list[CoupleRow]) -> PusImportResult:
    """Inserts the couples and their status rows, and a history row for each."""
    now = timezone.now()
    couples = bulk_insert.Table(Couple, COUPLE_COLUMNS)
    statuses = bulk_insert.Table(CoupleStatus, STATUS_COLUMNS)
    couple_history, status_history = bulk_insert.HistoryTable(couples), bulk_insert.HistoryTable(statuses)
    for batch in tabular.batched(rows, _BATCH):
        couple_rows = [
            couples.complete((row.rt, row.wife_name, row.wife_birth_date, row.husband_name, row.children,
                              row.nik, row.since, row.first_use, row.house_number))
            for row in batch
        ]
        couple_ids = couples.insert(couple_rows, returning="id")
        couple_history.insert(((pk, "+", values) for pk, values in zip(couple_ids, couple_rows)), date=now,
                              reason=HISTORY_REASON)
        status_rows = [statuses.complete(_status_values(pk, row)) for pk, row in zip(couple_ids, batch, strict=True)]
        status_ids = statuses.insert(status_rows, returning="id")
        status_history.insert(((pk, "+", values) for pk, values in zip(status_ids, status_rows)), date=now,
                              reason=HISTORY_REASON)
    return PusImportResult(couples=len(rows), rts=len({row.rt for row in rows}))


def _status_values(couple_id: int, row: CoupleRow) -> tuple:
    """The couple's one status row, with its kind and PB flag by the register's own rule (a
    single row: no `until`). Plain values, not model instances: 100,000 of those cost seconds."""
    [kind] = row_kinds([row.status], first=row.first_use, ever_used=False)
    return (couple_id, row.rt, row.since, row.status, row.place, kind, kind in PB_KINDS, None)
