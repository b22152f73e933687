"""`manage.py recap`: JSON on standard output or in a file; bad input is one line and status 1."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from cadres.models import Unit
from cadres.periods import parse_period
from reports.numbers.recap import recap_for, to_jsonable
from tests.report_factories import make_report, make_target

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def desa(db):
    make_report("32.14.01.2001.001.001", "2020-11", pus=30, suntik_pemerintah=20, iat=3, pb_suntik=2)
    make_report("32.14.01.2001.002.001", "2020-11", pus=10, iud_swasta=4)
    make_target("32.14.01.2001", 2020, suntik=8)
    return Unit.objects.get(code="32.14.01.2001")


def run(*args):
    stdout, stderr = StringIO(), StringIO()
    call_command("recap", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def run_failing(*args):
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("recap", *args, stdout=stdout, stderr=stderr)
    assert exit_.value.code == 1
    assert stdout.getvalue() == ""
    lines = stderr.getvalue().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_it_prints_the_recap_as_json(desa):
    stdout, stderr = run("32.14.01.2001", "2020-11")
    recap = json.loads(stdout)
    assert recap == to_jsonable(recap_for(desa, parse_period("2020-11")))
    assert (recap["pus"], recap["pa"], recap["pct"]["cpr"], recap["pct"]["mkjp"]) == (40, 24, 60.0, 16.67)
    assert recap["ppm"]["pct"] == 25.0
    assert stderr == ""


def test_json_is_the_default_and_can_be_asked_for(desa):
    assert run("32.14.01.2001", "2020-11", "--format", "json", "--source", "reports")[0] == run(
        "32.14.01.2001", "2020-11"
    )[0]


def test_it_writes_the_file_given_with_o(desa, tmp_path):
    target = tmp_path / "rekap.json"
    stdout, _ = run("32.14.01.2001", "2020-11", "-o", str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["pus"] == 40
    assert stdout == f"Rekap 32.14.01.2001 2020-11 ditulis ke {target}.\n"


@pytest.mark.parametrize(
    "args, line",
    [
        (["99.99", "2020-11"], "wilayah 99.99 tidak ditemukan"),
        (["abc", "2020-11"], "kode wilayah 'abc' tidak sah (contoh: 32.14.01.2001.003.002)"),
        (["32.14.01.2001", "2020-13"], "periode '2020-13' bukan bulan yang sah"),
        (["32.14.01.2001", "abc"], "periode 'abc' harus berbentuk YYYY-MM"),
        (["32.14.01.2001", "2020-11", "--format", "xlsx"], "format xlsx perlu berkas keluaran: -o FILE"),
        (["32.14.01.2001", "2020-11", "--format", "pdf"], "format pdf perlu berkas keluaran: -o FILE"),
        (["32.14.01.2001", "2020-11", "--format", "csv"], "format 'csv' tidak dikenal (pilih json, xlsx, pdf atau dhis2)"),
        (["32.14.01.2001", "2020-11", "--source", "x"], "sumber 'x' tidak dikenal (pilih reports atau register)"),
    ],
)
def test_bad_input_is_one_line_and_status_1(desa, args, line):
    assert run_failing(*args) == line


def test_an_unwritable_file_is_one_line(desa, tmp_path):
    line = run_failing("32.14.01.2001", "2020-11", "-o", str(tmp_path / "no" / "such" / "dir.json"))
    assert line.startswith(f"tidak bisa menulis {tmp_path}/no/such/dir.json: ")


def test_from_the_shell_a_bad_period_is_one_line_without_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "recap", "32.14", "2020-13"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "periode '2020-13' bukan bulan yang sah"


def test_it_writes_the_workbook_with_format_xlsx(desa, tmp_path):
    target = tmp_path / "rekap.xlsx"
    stdout, _ = run("32.14.01.2001", "2020-11", "--format", "xlsx", "-o", str(target))
    assert stdout == f"Rekap 32.14.01.2001 2020-11 ditulis ke {target}.\n"
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["Rekap", "Metode x Tempat", "Kegiatan PPKBD", "Laporan RT"]
    totals = [cell.value for cell in list(workbook["Rekap"].iter_rows(min_row=5))[-1]]
    assert totals[:5] == ["32.14.01.2001", "Jumlah", 40, 24, 0.6]


def test_it_writes_the_pdf_with_format_pdf(desa, tmp_path):
    target = tmp_path / "rekap.pdf"
    stdout, _ = run("32.14.01.2001", "2020-11", "--format", "pdf", "-o", str(target))
    assert stdout == f"Rekap 32.14.01.2001 2020-11 ditulis ke {target}.\n"
    assert target.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "November 2020" in text and "60,00%" in text


def test_the_files_can_come_from_the_register(desa, tmp_path):
    for format in ("xlsx", "pdf"):
        stdout, _ = run("32.14.01.2001", "2020-11", "--source", "register", "--format", format,
                        "-o", str(tmp_path / f"rekap.{format}"))
        assert stdout.startswith("Rekap 32.14.01.2001 2020-11 ditulis ke")
    sheet = load_workbook(tmp_path / "rekap.xlsx")["Rekap"]
    assert "sumber: register PUS" in sheet["A2"].value
