"""The register workbook: personal data for those who need it, every download logged."""

import datetime
import tempfile
from io import BytesIO

import openpyxl
import pytest
from django.utils import timezone

from cadres.models import ExportLog
from cadres.register import export as register_export
from cadres.register.export import register_workbook
from tests.register_factories import make_couple, set_status

RT = "32.14.01.2001.001.001"
URL = f"/register/{RT}/unduh.xlsx"


@pytest.fixture
def couples(tree):
    siti = make_couple(RT, "pil", place="swasta", since=datetime.date(2020, 1, 15), wife_name="Siti Rahayu",
                       born=datetime.date(1990, 5, 1), nik="3214014101900001", address="No. 7")
    set_status(siti, datetime.date(2021, 3, 1), "implan", "pemerintah")
    make_couple(RT, "tial", since=datetime.date(2020, 2, 1), wife_name="Euis Lestari", born=datetime.date(1985, 1, 2))
    make_couple("32.14.01.2001.001.002", "iud", wife_name="Di RT lain")
    return siti


def rows_of(response):
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_a_kader_downloads_their_rt_with_birth_dates_and_a_masked_nik(client, personas, couples):
    client.force_login(personas["kader"].user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="register-{RT}-')
    rows = rows_of(response)
    assert rows[1][:7] == ["Kode RT", "Nama istri", "Tanggal lahir istri", "Nama suami", "Jumlah anak",
                           "Lahir anak terkecil", "NIK istri"]
    assert [row[1] for row in rows[2:]] == ["Euis Lestari", "Siti Rahayu"]
    siti = rows[3]
    assert siti[2] == datetime.datetime(1990, 5, 1)
    assert siti[6] == "3214********0001"
    assert (siti[9], siti[10], siti[11]) == ("Implan", "pemerintah", datetime.datetime(2021, 3, 1))


def test_a_pkb_sees_ages_not_birth_dates(client, personas, couples):
    client.force_login(personas["pkb"].user)
    rows = rows_of(client.get(URL))
    today = timezone.localdate()
    assert rows[1][2] == "Umur istri"
    assert rows[3][2] == today.year - 1990 - ((today.month, today.day) < (5, 1))


def test_an_admin_sees_the_full_nik(client, personas, couples):
    client.force_login(personas["admin"].user)
    rows = rows_of(client.get(URL))
    assert rows[3][6] == "3214014101900001"


def test_the_opd_may_not_download_register_rows(client, personas, couples):
    client.force_login(personas["opd"].user)
    assert client.get(URL).status_code == 403
    assert ExportLog.objects.count() == 0


def test_every_download_is_logged(client, personas, couples):
    client.force_login(personas["pkb"].user)
    client.get("/register/32.14.01.2001/unduh.xlsx")
    log = ExportLog.objects.get()
    assert (log.user.username, log.kind, log.unit_code, log.rows) == ("pkb", "register_xlsx", "32.14.01.2001", 3)
    assert log.address == "127.0.0.1"


def test_the_download_reads_the_register_in_one_query(client, personas, couples, django_assert_max_num_queries):
    client.force_login(personas["admin"].user)
    # session, user, unit, the couples, the log, and the session saved again (expiry counts from it)
    with django_assert_max_num_queries(8):
        assert client.get("/register/32.14/unduh.xlsx").status_code == 200


def test_an_admin_sees_the_export_log_and_a_couples_history(client, personas, couples):
    client.force_login(personas["pkb"].user)
    client.get(URL)
    client.force_login(personas["admin"].user)
    log_page = client.get("/admin/cadres/exportlog/")
    assert log_page.status_code == 200
    assert "register_xlsx" in log_page.content.decode() and RT in log_page.content.decode()
    history = client.get(f"/admin/cadres/couple/{couples.pk}/history/")
    assert history.status_code == 200
    assert "Siti Rahayu" in history.content.decode()


def test_nobody_else_sees_the_export_log(client, personas, couples):
    for name in ("kader", "pkb", "opd"):
        client.force_login(personas[name].user)
        assert client.get("/admin/cadres/exportlog/").status_code == 302


def sheet_of(code, on=datetime.date(2026, 10, 31)):
    out = BytesIO()
    register_workbook(code, on, out, full_nik=True, birth_dates=True)
    return openpyxl.load_workbook(BytesIO(out.getvalue())).active


def test_dates_are_excel_dates_in_the_iso_format_and_counts_are_numbers(couples):
    sheet = sheet_of(RT)
    assert sheet.title == "Register PUS"
    assert sheet["A1"].value == f"Register PUS {RT} per 2026-10-31"
    born, children, registered, since = sheet["C4"], sheet["E4"], sheet["I4"], sheet["L4"]
    assert (born.value, born.number_format) == (datetime.datetime(1990, 5, 1), "yyyy-mm-dd")
    assert (registered.value, registered.number_format) == (datetime.datetime(2020, 1, 15), "yyyy-mm-dd")
    assert (since.value, since.number_format) == (datetime.datetime(2021, 3, 1), "yyyy-mm-dd")
    assert (children.value, children.number_format) == (1, "General")
    assert sheet["F4"].value is None and sheet["N4"].value is None


def test_text_stays_text_even_when_it_looks_like_a_formula_or_a_number(tree):
    make_couple(RT, "pil", wife_name="=1+1", husband_name='<Budi & "Ali">', address="32.01",
                nik="3214014101900001")
    row = [cell.value for cell in sheet_of(RT)[3]]
    assert row[:2] == [RT, "=1+1"]
    assert (row[3], row[6], row[7]) == ('<Budi & "Ali">', "3214014101900001", "32.01")


def test_a_failed_export_leaves_no_register_rows_in_the_temp_folder(tree, tmp_path, monkeypatch):
    make_couple(RT, "pil", wife_name="Siti Rahayu")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def broken_row(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(register_export, "_row", broken_row)
    with pytest.raises(RuntimeError):
        register_workbook(RT, datetime.date(2026, 10, 31), BytesIO(), full_nik=True, birth_dates=True)
    assert list(tmp_path.iterdir()) == []
