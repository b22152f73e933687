"""`import_pus FILE` (docs/interfaces.md): couples added to the register, all or nothing."""

import datetime
import io
import json
import random

import pytest
from django.core.management import call_command

from cadres.models import Couple, CoupleStatus
from cadres.register.queries import couple_history
from cadres.register.rules import statuses_off_their_rt
from tests.factories import make_unit
from tests.test_import_wilayah import WRITERS, write_csv, write_xlsx

HEADER = [
    "kode_rt", "nama_istri", "tanggal_lahir_istri", "nama_suami", "jumlah_anak", "status", "tempat", "sejak", "nik",
    "peserta_baru",
]
DESA = "32.14.01.2001"
# Karangan Putih's RTs, of different sizes: 370 couples in all.
RT_SIZES = {
    f"{DESA}.001.001": 30, f"{DESA}.001.002": 45, f"{DESA}.001.003": 60,
    f"{DESA}.002.001": 52, f"{DESA}.002.002": 70, f"{DESA}.002.003": 38, f"{DESA}.002.004": 75,
}
RT = f"{DESA}.001.001"
NIK = "3214014505900001"  # a woman born 5 May 1990 in 32.14.01


def run(path):
    """(exit status, stdout lines, stderr lines) of the command run in-process."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import_pus", str(path), stdout=stdout, stderr=stderr)
        status = 0
    except SystemExit as exit:
        status = exit.code
    return status, stdout.getvalue().splitlines(), stderr.getvalue().splitlines()


def karangan_putih_statuses():
    """(status, place, sejak, peserta_baru) of the 370 couples of Karangan Putih at the end of
    November 2020.

    Methods: iud 9, implan 15, mow 3, mop 1, suntik 190, pil 90, kondom 12 (250 pemerintah,
    70 swasta); hamil 10, ias 12, iat 16, tial 12. PB in November: iud 1, implan 2, suntik 1, pil 1;
    the other users continue (peserta_baru `tidak` or empty), two of them since November too.
    """
    methods = {"iud": 9, "implan": 15, "mow": 3, "mop": 1, "suntik": 190, "pil": 90, "kondom": 12}
    new_in_november = {"iud": 1, "implan": 2, "suntik": 1, "pil": 1}
    statuses = []
    for method, count in methods.items():
        for n in range(count):
            new = n < new_in_november.get(method, 0)
            since = "2020-11-12" if new or (method == "suntik" and n in (50, 51)) else f"{2018 + n % 3}-0{1 + n % 9}-15"
            statuses.append([method, None, since, "ya" if new else ("tidak" if n % 2 else "")])
    for index, status in enumerate(statuses):
        status[1] = "pemerintah" if index < 250 else "swasta"
    for key, count in {"hamil": 10, "ias": 12, "iat": 16, "tial": 12}.items():
        statuses += [[key, "", f"2020-0{1 + n % 9}-03", ""] for n in range(count)]
    random.Random(2020).shuffle(statuses)
    return statuses


def karangan_putih_rows():
    statuses = iter(karangan_putih_statuses())
    rows, number = [], 0
    for rt, size in RT_SIZES.items():
        for _ in range(size):
            status, place, since, new = next(statuses)
            born = f"{1972 + number % 30}-{1 + number % 12:02d}-{1 + number % 28:02d}"
            rows.append([rt, f"Istri {number}", born, f"Suami {number}", number % 5, status, place, since, "", new])
            number += 1
    return rows


@pytest.fixture
def karangan_putih(db):
    make_unit(DESA, "Karangan Putih")
    for rt in RT_SIZES:
        make_unit(rt)


@pytest.mark.parametrize("write", WRITERS)
def test_the_imported_register_of_karangan_putih_gives_its_november_2020_recap(karangan_putih, tmp_path, write):
    not_pus = [
        [RT, "Lewat 49", "1970-11-30", "Suami", 4, "pil", "swasta", "2018-02-01", "", ""],    # 50 on 30 November
        [RT, "Jauh Lewat", "1960-01-01", "Suami", 6, "mow", "pemerintah", "2010-05-05", "", ""],
        [RT, "Baru Desember", "1995-03-03", "Suami", 1, "hamil", "", "2020-12-01", "", ""],  # on the register later
    ]
    path = write(tmp_path / "register", [HEADER] + karangan_putih_rows() + not_pus)

    assert run(path) == (0, ["import_pus: 373 pasangan ditambahkan ke register (7 RT)."], [])

    stdout = io.StringIO()
    call_command("recap", DESA, "2020-11", "--source", "register", stdout=stdout)
    recap = json.loads(stdout.getvalue())
    assert recap["unit"] == {"code": DESA, "name": "Karangan Putih", "level": "desa"}
    assert (recap["pus"], recap["pa"], recap["mkjp"], recap["non_mkjp"], recap["unmet_need"], recap["pb"]) == (
        370, 320, 28, 292, 28, 5,
    )
    assert recap["methods"] == {"iud": 9, "implan": 15, "mow": 3, "mop": 1, "suntik": 190, "pil": 90, "kondom": 12}
    assert recap["places"] == {"pemerintah": 250, "swasta": 70}
    assert recap["non_users"] == {"hamil": 10, "ias": 12, "iat": 16, "tial": 12}
    assert recap["pb_methods"] == {"iud": 1, "implan": 2, "mow": 0, "mop": 0, "suntik": 1, "pil": 1, "kondom": 0}
    assert recap["pct"] == {"cpr": 86.49, "mkjp": 8.75, "non_mkjp": 91.25, "unmet_need": 7.57}
    assert [child["pus"] for child in recap["children"]] == [30 + 45 + 60, 52 + 70 + 38 + 75]


def test_a_couple_is_on_the_register_from_sejak_with_its_status_and_history(karangan_putih, tmp_path):
    path = write_csv(tmp_path / "register", [
        HEADER,
        [RT, "Siti Aminah", "1990-05-05", "Asep", 2, "IUD", "Swasta", "2020-11-12", NIK, "YA"],
        [RT, "Euis", "1992-01-31", "Dadang", 0, "iat", "", "2019-07-01", "", ""],
        [RT, "Nani", "1991-02-01", "Ujang", 1, "suntik", "pemerintah", "2020-11-12", "", "tidak"],
    ])

    assert run(path)[1] == ["import_pus: 3 pasangan ditambahkan ke register (1 RT)."]

    siti = Couple.objects.get(wife_name="Siti Aminah")
    assert (siti.rt_id, siti.wife_birth_date, siti.husband_name, siti.children, siti.nik, siti.registered_on) == (
        RT, datetime.date(1990, 5, 5), "Asep", 2, NIK, datetime.date(2020, 11, 12),
    )
    assert (siti.left_on, siti.left_reason, siti.address) == (None, "", "")
    status = siti.statuses.get()
    assert (status.since, status.status, status.place, status.kind, status.is_pb, status.until) == (
        datetime.date(2020, 11, 12), "iud", "swasta", "pb", True, None,
    )
    assert siti.first_use == "pb"
    assert statuses_off_their_rt() == []  # each row carries its couple's RT
    nani = Couple.objects.get(wife_name="Nani")
    assert (nani.first_use, list(nani.statuses.values_list("kind", "is_pb"))) == ("lama", [("", False)])
    euis = Couple.objects.get(wife_name="Euis")
    assert (euis.nik, euis.registered_on) == ("", datetime.date(2019, 7, 1))
    assert list(euis.statuses.values_list("status", "place", "is_pb")) == [("iat", "", False)]
    assert [str(entry["what"]) for entry in couple_history(siti)] == [
        "Pasangan didaftarkan", "Status IUD (Swasta) sejak 12 November 2020 dicatat",
    ]


def test_the_house_number_is_kept_for_the_order_of_visits(karangan_putih, tmp_path):
    path = write_csv(tmp_path / "register", [
        HEADER + ["no_rumah"],
        [RT, "Siti", "1990-05-05", "Asep", 2, "pil", "pemerintah", "2020-01-02", "", "", "12A"],
        [RT, "Euis", "1991-05-05", "Dadang", 1, "iat", "", "2020-01-02", "", "", ""],
        [RT, "Neneng", "1991-05-05", "Ujang", 1, "iat", "", "2020-01-02", "", "", "12345678901"],
    ])
    assert run(path)[2] == ["baris 4, kolom no_rumah: paling banyak 10 karakter (berisi 11)"]
    path = write_csv(tmp_path / "register", [HEADER + ["no_rumah"]] + [
        [RT, "Siti", "1990-05-05", "Asep", 2, "pil", "pemerintah", "2020-01-02", "", "", "12A"],
        [RT, "Euis", "1991-05-05", "Dadang", 1, "iat", "", "2020-01-02", "", "", ""],
    ])
    assert run(path)[0] == 0
    assert dict(Couple.objects.values_list("wife_name", "house_number")) == {"Siti": "12A", "Euis": ""}


def test_the_nik_and_peserta_baru_columns_may_be_left_out(karangan_putih, tmp_path):
    path = write_xlsx(tmp_path / "register", [
        HEADER[:-2],
        [RT, "Siti", datetime.datetime(1990, 5, 5), "Asep", 2.0, "pil", "pemerintah", datetime.datetime(2020, 1, 2)],
    ])

    assert run(path)[0:2] == (0, ["import_pus: 1 pasangan ditambahkan ke register (1 RT)."])
    assert (Couple.objects.get().nik, Couple.objects.get().first_use) == ("", "lama")
    assert CoupleStatus.objects.get().kind == ""  # a continuing user


def test_it_writes_in_bulk_not_row_by_row(karangan_putih, tmp_path, django_assert_max_num_queries):
    path = write_csv(tmp_path / "register", [HEADER] + karangan_putih_rows())

    # 370 couples: a handful of statements per table whatever the number of rows.
    with django_assert_max_num_queries(40):
        assert run(path)[1] == ["import_pus: 370 pasangan ditambahkan ke register (7 RT)."]
    assert CoupleStatus.objects.count() == 370


@pytest.mark.parametrize("write", WRITERS)
def test_a_file_with_bad_rows_writes_nothing_and_names_every_bad_row_and_column(karangan_putih, tmp_path, write):
    path = write(tmp_path / "register", [
        HEADER + ["alamat"],
        [RT, "Baik", "1990-05-05", "Asep", 2, "pil", "pemerintah", "2020-01-02", NIK, "", "Jl. Mawar"],
        [RT, "Tanpa Tempat", "1990-05-05", "Asep", 2, "suntik", "", "2020-01-02", ""],
        [RT, "Hamil di Swasta", "1990-05-05", "Asep", 2, "hamil", "swasta", "2020-01-02", ""],
        [RT, "Tanggal Salah", "1990-05-05", "Asep", 2, "iat", "", "2020-02-30", ""],
        [RT, "NIK Salah", "1990-05-05", "Asep", 2, "iat", "", "2020-01-02", "3214019905900001"],
        [RT, "NIK Pendek", "1990-05-05", "Asep", 2, "iat", "", "2020-01-02", "321401450590001"],
        [RT, "Status Salah", "1990-05-05", "Asep", 2, "kb", "pemerintah", "2020-01-02", ""],
        [f"{DESA}.009.001", "RT Salah", "1990-05-05", "Asep", 2, "ias", "", "2020-01-02", ""],
        [RT, "Sebelum Lahir", "1990-05-05", "Asep", 2, "ias", "", "1989-01-02", ""],
        [RT, "Belum Lahir", "2999-01-01", "Asep", 2, "ias", "", "2020-01-02", ""],
        [RT, "", "1990-05-05", "Asep", -1, "tial", "", "2020-01-02", ""],
        [RT, "PB Hamil", "1990-05-05", "Asep", 2, "hamil", "", "2020-01-02", "", "ya"],
        [RT, "PB Mungkin", "1990-05-05", "Asep", 2, "pil", "swasta", "2020-01-02", "", "mungkin"],
    ])

    status, stdout, stderr = run(path)

    assert (status, stdout) == (1, [])
    assert stderr == [
        "baris 1, kolom alamat: kolom tidak dikenal",
        "baris 3, kolom tempat: wajib diisi untuk metode suntik (pemerintah atau swasta)",
        "baris 4, kolom tempat: harus kosong untuk status hamil (tempat hanya untuk metode KB)",
        "baris 5, kolom sejak: tanggal 2020-02-30 tidak ada di kalender",
        "baris 6, kolom nik: bukan NIK yang sah: Tanggal lahir di NIK tidak valid",
        "baris 7, kolom nik: harus tepat 16 angka",
        'baris 8, kolom status: "kb" tidak dikenal; pilih salah satu: '
        "iud, implan, mow, mop, suntik, pil, kondom, hamil, ias, iat, tial",
        f"baris 9, kolom kode_rt: RT {DESA}.009.001 tidak ada di basis data (impor wilayahnya dulu)",
        "baris 10, kolom sejak: tanggal 1989-01-02 sebelum tanggal lahir istri (1990-05-05)",
        "baris 11, kolom tanggal_lahir_istri: tanggal 2999-01-01 ada di masa depan",
        "baris 12, kolom nama_istri: wajib diisi",
        "baris 12, kolom jumlah_anak: harus bilangan bulat ≥ 0",
        "baris 13, kolom peserta_baru: ya hanya untuk metode KB, bukan untuk status hamil",
        'baris 14, kolom peserta_baru: "mungkin" tidak dikenal; pilih salah satu: ya, tidak',
    ]
    assert Couple.objects.count() == 0
    assert CoupleStatus.objects.count() == 0


def test_a_file_that_is_not_a_spreadsheet_gets_one_line(karangan_putih, tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(bytes(range(256)))

    assert run(path) == (1, [], [f"berkas {path} bukan spreadsheet .xlsx atau .csv yang dapat dibaca"])
