"""`import_targets FILE` (docs/interfaces.md): add or replace, all or nothing."""

import io

import pytest
from django.core.management import call_command

from cadres.indicators import METHODS
from cadres.models import Unit
from cadres.periods import parse_period
from reports.models import PpmTarget
from reports.numbers.recap import recap_for
from tests.report_factories import make_report, make_target
from tests.test_import_wilayah import WRITERS, write_csv

HEADER = ["kode", "tahun", *METHODS]


def target(code, year, **methods):
    return [code, year, *(methods.get(method, 0) for method in METHODS)]


def run(path):
    """(exit status, stdout lines, stderr lines) of the command run in-process."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import_targets", str(path), stdout=stdout, stderr=stderr)
        status = 0
    except SystemExit as exit:
        status = exit.code
    return status, stdout.getvalue().splitlines(), stderr.getvalue().splitlines()


def saved():
    return {
        (row.unit_id, row.year): {method: n for method, n in row.methods().items() if n}
        for row in PpmTarget.objects.all()
    }


@pytest.mark.parametrize("write", WRITERS)
def test_it_adds_targets_for_units_of_any_level(tree, tmp_path, write):
    path = write(tmp_path / "target", [
        HEADER,
        target("32.14", 2020, iud=120, implan=80, suntik=400),
        target("32.14.01.2001", 2020, iud=12, pil=30),
        target("32.14.01.2001", 2021, iud=14),
        target("32.14.01.2001.001.001", 2020, kondom=2),
    ])

    assert run(path) == (0, ["import_targets: 4 target PPM (4 baru, 0 diganti)."], [])
    assert saved() == {
        ("32.14", 2020): {"iud": 120, "implan": 80, "suntik": 400},
        ("32.14.01.2001", 2020): {"iud": 12, "pil": 30},
        ("32.14.01.2001", 2021): {"iud": 14},
        ("32.14.01.2001.001.001", 2020): {"kondom": 2},
    }


def test_a_re_import_replaces_the_target_of_a_unit_and_year(tree, tmp_path):
    make_target("32.14.01.2001", 2020, iud=12, pil=30)
    make_target("32.14.01.2002", 2020, iud=5)

    assert run(write_csv(tmp_path / "target", [
        HEADER, target("32.14.01.2001", 2020, iud=10), target("32.14.01.2001", 2021, mow=1),
    ])) == (0, ["import_targets: 2 target PPM (1 baru, 1 diganti)."], [])
    assert saved() == {
        ("32.14.01.2001", 2020): {"iud": 10},
        ("32.14.01.2001", 2021): {"mow": 1},
        ("32.14.01.2002", 2020): {"iud": 5},
    }


@pytest.mark.parametrize("write", WRITERS)
def test_a_file_with_bad_rows_writes_nothing_and_names_every_bad_row_and_column(tree, tmp_path, write):
    make_target("32.14.01.2001", 2020, iud=12)
    path = write(tmp_path / "target", [
        HEADER[:-1] + ["catatan"],
        target("32.14.01.2001", 2020, iud=99)[:-1] + ["baik"],
        target("32.14.01.2002", 2020, iud=-1)[:-1],
        target("32.14.09", 2020, iud=1)[:-1],
        target("32.14.01.2001", 2020, iud=98)[:-1],
        target("32.14.01", "2020-01", iud=1)[:-1],
        target("32.14.01", 2020, pil="lima")[:-1],
    ])

    status, stdout, stderr = run(path)

    assert (status, stdout) == (1, [])
    assert stderr == [
        "baris 1, kolom catatan: kolom tidak dikenal",
        "baris 1, kolom kondom: kolom wajib tidak ada",
        "baris 3, kolom iud: harus bilangan bulat ≥ 0",
        "baris 4, kolom kode: wilayah 32.14.09 tidak ada di basis data (impor wilayahnya dulu)",
        "baris 5, kolom kode: kode 32.14.01.2001 tahun 2020 ganda (sudah ada di baris 2)",
        "baris 6, kolom tahun: harus tahun berbentuk YYYY",
        "baris 7, kolom pil: harus bilangan bulat ≥ 0",
    ]
    assert saved() == {("32.14.01.2001", 2020): {"iud": 12}}


def test_a_file_that_is_not_a_spreadsheet_gets_one_line(tree, tmp_path):
    path = tmp_path / "target.pdf"
    path.write_bytes(b"%PDF-1.7\n")

    assert run(path) == (1, [], [f"berkas {path} bukan spreadsheet .xlsx atau .csv yang dapat dibaca"])


def test_the_recap_uses_imported_targets_own_row_first_else_the_children_summed(tree, tmp_path):
    make_report("32.14.01.2001.001.001", "2020-11", pus=10, pil_pemerintah=10, pb_pil=3)
    run(write_csv(tmp_path / "target", [
        HEADER,
        target("32.14.01", 2020, pil=20),            # its own row wins over its desa's 6 + 4
        target("32.14.01.2001", 2020, pil=6),
        target("32.14.01.2002", 2020, pil=4, iud=1),
        target("32.14.02.2001", 2020, pil=5),         # kecamatan 32.14.02 has no row: its desa's
    ]))
    november = parse_period("2020-11")

    kabupaten = recap_for(Unit.objects.get(code="32.14"), november)
    kecamatan = recap_for(Unit.objects.get(code="32.14.01"), november)

    assert kabupaten["ppm"]["target"] == dict.fromkeys(METHODS, 0) | {"pil": 25}
    assert [(child["unit"]["code"], child["ppm"]["target_total"]) for child in kabupaten["children"]] == [
        ("32.14.01", 20), ("32.14.02", 5),
    ]
    assert (kecamatan["ppm"]["target_total"], kecamatan["ppm"]["pb_ytd_total"], str(kecamatan["ppm"]["pct"])) == (
        20, 3, "15.00",
    )
    assert [(child["unit"]["code"], child["ppm"]["target_total"]) for child in kecamatan["children"]] == [
        ("32.14.01.2001", 6), ("32.14.01.2002", 5),
    ]
    assert recap_for(Unit.objects.get(code="32.15"), november)["ppm"]["target"] is None
