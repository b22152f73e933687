"""rekap.pdf: an A4 recap with the OPD's letterhead, the unit and month, the figures in Indonesian
format, the tables, and a signature block; read back with pdftotext."""

import datetime
import re
import subprocess

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format

from cadres.models import Role, Unit
from reports.numbers.exports.pdf import recap_pdf
from tests.factories import make_unit, make_user
from tests.test_recap import DESA, karangan_putih  # noqa: F401 (a fixture)

NOV = datetime.date(2020, 11, 1)


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdf_info(content: bytes) -> str:
    return subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def desa(karangan_putih):  # noqa: F811
    Unit.objects.filter(code="32.14").update(name="Kabupaten Purwakarta")
    Unit.objects.filter(code="32.14.01").update(name="Purwakarta")
    return Unit.objects.get(code=DESA)


def test_karangan_putih_shows_its_figures_in_indonesian_format(desa):
    text = pdf_text(recap_pdf(desa, NOV))
    for expected in ["370", "320", "86,49%", "8,75%", "91,25%", "7,57%", "November 2020", "Karangan Putih"]:
        assert expected in text, expected
    assert re.search(r"370\s+320\s+86,49%\s+28\s+292\s+28\s+5\s+51 / 60", text)
    assert re.search(r"8,75% dari PA\s+91,25% dari PA\s+7,57% dari PUS\s+85,00% dari target", text)


def test_it_has_the_letterhead_the_unit_and_the_month(desa):
    text = squeeze(pdf_text(recap_pdf(desa, NOV)))
    assert "PEMERINTAH KABUPATEN PURWAKARTA DINAS PENGENDALIAN PENDUDUK DAN KELUARGA BERENCANA" in text
    assert "REKAPITULASI LAPORAN BULANAN PELAYANAN KB Bulan November 2020" in text
    assert "Wilayah : Desa Karangan Putih Kode wilayah : 32.14.01.2001" in text
    assert "Termasuk : Kecamatan Purwakarta, Kabupaten Purwakarta, Provinsi Wilayah 32" in text


def test_the_children_table_has_each_rw_and_the_totals(desa):
    text = pdf_text(recap_pdf(desa, NOV))
    assert "REKAP PER RW" in text
    assert re.search(r"1\s+Wilayah 32.14.01.2001.001\s+322\s+275\s+85,40%\s+24\s+8,73%\s+251\s+91,27%\s+27\s+8,39%\s+3\s+—\s+3/3", text)
    assert re.search(r"Jumlah\s+370\s+320\s+86,49%\s+28\s+8,75%\s+292\s+91,25%\s+28\s+7,57%\s+5\s+85,00%\s+7/7", text)


def test_the_method_table_has_places_pb_switches_and_the_ppm_target(desa):
    text = pdf_text(recap_pdf(desa, NOV))
    # Method, pemerintah, swasta, total, % of PA, PB this month, PB so far, GC, target, remaining, %.
    assert re.search(r"IUD\s+6\s+3\s+9\s+2,81%\s+1\s+9\s+1\s+12\s+3\s+75,00%", text)
    assert re.search(r"Implan\s+12\s+3\s+15\s+4,69%\s+2\s+8\s+2\s+10\s+2\s+80,00%", text)
    assert re.search(r"Suntik\s+140\s+50\s+190\s+59,38%\s+1\s+19\s+1\s+20\s+1\s+95,00%", text)
    assert re.search(r"Jumlah\s+250\s+70\s+320\s+100,00%\s+5\s+51\s+4\s+60\s+9\s+85,00%", text)
    assert "Target PPM 2020" in text
    # PB into MKJP (IUD 1 + implan 2) and switches into MKJP (IUD 1 + implan 2).
    assert "MKJP baru bulan ini: 6 (PB MKJP 3 + ganti cara ke MKJP 3)" in squeeze(text)
    assert "PB pasca persalinan/keguguran 1" in squeeze(text)


def test_it_has_the_non_users_and_the_coverage(desa):
    text = pdf_text(recap_pdf(desa, NOV))
    assert re.search(r"10\s+12\s+16\s+12\s+28 \(7,57%\)\s+7 dari 7\s+100,00%", text)


def test_the_signature_block_names_the_place_the_date_and_the_head(desa, settings):
    settings.OPD_NAME = "Dinas Pengendalian Penduduk dan KB"
    settings.OPD_HEAD_NAME = "Drs. H. Asep Supriatna, M.Si."
    settings.OPD_HEAD_NIP = "196801011990031005"
    settings.OPD_ADDRESS = "Jl. Veteran No. 1, Purwakarta"
    text = squeeze(pdf_text(recap_pdf(desa, NOV)))
    today = date_format(timezone.localdate(), "j F Y")
    assert f"Purwakarta, {today} Kepala Dinas Pengendalian Penduduk dan KB" in text
    assert "Drs. H. Asep Supriatna, M.Si. NIP. 196801011990031005" in text
    assert "Jl. Veteran No. 1, Purwakarta" in text


def test_the_place_and_title_can_be_set(desa, settings):
    settings.OPD_PLACE = "Jatiluhur"
    settings.OPD_HEAD_TITLE = "Plt. Kepala DPPKB"
    text = squeeze(pdf_text(recap_pdf(desa, NOV)))
    assert f"Jatiluhur, {date_format(timezone.localdate(), 'j F Y')} Plt. Kepala DPPKB" in text


def test_it_is_one_a4_page_for_a_desa(desa):
    info = pdf_info(recap_pdf(desa, NOV))
    assert re.search(r"Pages:\s+1\n", info)
    assert re.search(r"Page size:\s+595.2\d* x 841.89 pts \(A4\)", info)


def test_an_rt_has_no_children_table(desa):
    text = pdf_text(recap_pdf(Unit.objects.get(code=DESA + ".001.001"), NOV))
    assert "REKAP PER" not in text
    assert "II. PESERTA KB PER METODE" in text


def test_the_download_is_an_attachment_with_a_sensible_name(client, desa):
    client.force_login(make_user("pkb", Role.PKB, DESA))
    response = client.get(f"/wilayah/{DESA}/2020-11/rekap.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rekap-32.14.01.2001-2020-11.pdf"'
    assert "91,25%" in pdf_text(response.content)


def test_the_download_is_404_outside_the_scope(client, desa):
    make_unit("32.15.01.2001")
    client.force_login(make_user("pkb", Role.PKB, "32.15.01.2001"))
    assert client.get(f"/wilayah/{DESA}/2020-11/rekap.pdf").status_code == 404


def test_it_says_how_many_reports_are_verified_and_how_many_only_sent(desa):
    from reports.models import MonthlyReport

    first = MonthlyReport.objects.filter(period=NOV, rt__code__startswith=DESA).order_by("rt_id").first()
    MonthlyReport.objects.filter(pk=first.pk).update(status="submitted")
    verified = MonthlyReport.objects.filter(period=NOV, rt__code__startswith=DESA, status="verified").count()
    text = squeeze(pdf_text(recap_pdf(desa, NOV)))
    assert f"7 dari 7 laporan RT: {verified} diverifikasi, 1 baru dikirim (belum diverifikasi)" in text
