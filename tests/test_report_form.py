"""/laporan/<rt>/<period>/: the cadre's monthly report form, prefilled from the register."""

import datetime
import re

import pytest

from cadres.indicators import COUNT_FIELDS, METHODS
from cadres.models import Unit
from reports.models import MonthlyReport, ReportStatus
from reports.monthly.deadlines import period_close
from reports.monthly.workflow import report_return, report_submit
from tests.register_factories import make_couple, set_status
from tests.report_factories import balanced_counts, make_report
from tests.report_form_data import blank, report_post

RT = "32.14.01.2001.001.001"
NOV = datetime.date(2020, 11, 1)
URL = f"/laporan/{RT}/2020-11/"
REGISTER = {"pus": 4, "pil_swasta": 1, "suntik_pemerintah": 1, "implan_pemerintah": 1, "iat": 1, "pb_implan": 1}


@pytest.fixture
def register(tree):
    """Four couples on the RT's register at the end of November 2020, one a new implant user."""
    make_couple(RT, "pil", "swasta")
    make_couple(RT, "suntik", "pemerintah")
    make_couple(RT, "iat")
    make_couple(RT, "implan", "pemerintah", since=datetime.date(2020, 11, 5), first_use="pb")
    return balanced_counts(**REGISTER)


@pytest.fixture
def kader(client, personas):
    client.force_login(personas["kader"].user)
    return client


def values(response):
    form = response.context["form"]
    return {field: form[field].value() for field in COUNT_FIELDS}


def test_the_form_opens_prefilled_from_the_register_month(kader, register, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        response = kader.get(URL)
    assert response.status_code == 200
    assert values(response) == register
    body = response.content.decode()
    assert body.count("Register: ") == len(COUNT_FIELDS)
    assert 'id="id_pil_swasta_helptext" class="form-text">Register: 1<' in body
    assert 'name="version" value="0"' in body
    assert "Laporan bulanan RT" in body and "November 2020" in body


def test_an_rt_without_couples_opens_blank_not_zero(kader):
    response = kader.get(URL)
    assert set(values(response).values()) == {None}
    assert "Register: —" in response.content.decode()


def test_a_draft_is_saved_and_opens_again_with_its_numbers(kader, register):
    response = kader.post(URL, report_post(0, **REGISTER))
    assert response.status_code == 302 and response.url == URL
    report = MonthlyReport.objects.get()
    assert (report.status, report.version, report.pus, report.corrections) == ("draft", 1, 4, {})
    page = kader.get(URL)
    assert "Draf disimpan (versi 1)." in page.content.decode()
    assert values(page) == register and page.context["form"]["version"].value() == 1


def test_a_blank_count_is_an_error_naming_the_field_never_a_zero(kader, register):
    response = kader.post(URL, blank(report_post(0, **REGISTER), "hamil", "pb_pil"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["hamil"] == ["Hamil wajib diisi (tulis 0 bila tidak ada)."]
    assert errors["pb_pil"] == ["PB pil wajib diisi (tulis 0 bila tidak ada)."]
    assert MonthlyReport.objects.count() == 0
    # The section holding the first error opens; the others stay closed.
    sections = {s["key"]: s["open"] for s in response.context["sections"]}
    assert sections == {"pus": True, "pa": False, "pb": False, "gc": False}


def test_an_unbalanced_draft_is_saved_and_the_page_says_by_how_much(kader):
    data = report_post(0, pus=10, pil_swasta=10)
    data["pil_swasta"] = "8"
    kader.post(URL, data)
    assert MonthlyReport.objects.get().pil_swasta == 8
    page = kader.get(URL)
    assert "kurang 2" in page.content.decode()


def test_an_unbalanced_report_is_not_sent_saying_by_how_much(kader):
    data = report_post(0, action="submit", pus=10, pil_swasta=10)
    data["pil_swasta"] = "8"
    response = kader.post(URL, data)
    assert response.context["form"].non_field_errors() == [
        "Jumlah tidak seimbang: PUS 10, tetapi PA + hamil + IAS + IAT + TIAL = 8 (kurang 2)."
    ]
    assert response.context["balance"] == {"ok": False, "text": "kurang 2", "pus": 10, "total": 8, "where": []}
    assert "kurang 2" in response.content.decode()
    assert MonthlyReport.objects.count() == 0


def test_a_draft_differing_from_the_register_saves_without_reasons(kader, register):
    changed = {**REGISTER, "pus": 5, "hamil": 1}
    response = kader.post(URL, report_post(0, **changed))
    assert response.status_code == 302
    assert MonthlyReport.objects.get().corrections == {
        "pus": {"register": 4, "reason": ""}, "hamil": {"register": 0, "reason": ""},
    }


def test_an_unbalanced_draft_differing_from_the_register_saves_too(kader, register):
    data = report_post(0, **REGISTER)
    data["pil_swasta"] = "7"
    assert kader.post(URL, data).status_code == 302
    report = MonthlyReport.objects.get()
    assert (report.status, report.pil_swasta, report.pus) == ("draft", 7, 4)
    page = kader.get(URL)
    assert page.context["balance"]["text"] == "lebih 6"
    assert page.context["balance"]["where"] == ["PA 9 (register 3)"]


def test_sending_a_number_changed_from_the_register_needs_a_reason(kader, register):
    changed = {**REGISTER, "pus": 5, "hamil": 1}
    response = kader.post(URL, report_post(0, action="submit", **changed))
    assert response.context["form"].errors == {
        "alasan_pus": ["PUS berbeda dari register (4): tulis alasannya singkat."],
        "alasan_hamil": ["Hamil berbeda dari register (0): tulis alasannya singkat."],
    }
    body = response.content.decode()
    # The reason inputs of the changed numbers show; the others stay hidden until needed.
    assert re.search(r'data-reason-wrap="pus"\s*>', body) and 'data-reason-wrap="iat" hidden' in body
    assert MonthlyReport.objects.count() == 0
    saved = kader.post(URL, report_post(0, action="submit", reasons={"pus": "istri hamil baru", "hamil": "ikut suami"},
                                        **changed))
    assert saved.status_code == 302 and saved.url == f"/laporan/{RT}/2020-11/kirim/"
    assert MonthlyReport.objects.get().corrections == {
        "pus": {"register": 4, "reason": "istri hamil baru"}, "hamil": {"register": 0, "reason": "ikut suami"},
    }


def test_samakan_dengan_register_fills_the_register_numbers_without_saving(kader, register):
    data = report_post(0, action="register", pus=9, pil_swasta=9)
    response = kader.post(URL, data)
    assert response.status_code == 200 and response.context["synced"]
    assert values(response) == {**dict.fromkeys(COUNT_FIELDS, 0), **REGISTER}
    assert MonthlyReport.objects.count() == 0


def test_sending_asks_first_with_the_totals_and_only_the_confirmation_locks(kader, register):
    answer = kader.post(URL, report_post(0, action="submit", **REGISTER))
    assert answer.status_code == 302 and answer.url == f"/laporan/{RT}/2020-11/kirim/"
    report = MonthlyReport.objects.get()
    assert (report.status, report.version) == ("draft", 1)
    confirm = kader.get(answer.url)
    assert confirm.context["figures"]["pus"] == 4 and confirm.context["figures"]["pa"] == 3
    assert confirm.context["figures"]["mkjp"] == 1 and confirm.context["figures"]["pb"] == 1
    assert confirm.context["problems"] == []
    assert "Ya, kirim laporan" in confirm.content.decode()
    assert kader.post(answer.url, {"version": "1"}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.submitted_by.username, report.version) == ("submitted", "kader", 2)


def test_an_unbalanced_draft_cannot_be_sent_from_the_confirmation_page(kader, register):
    data = report_post(0, **REGISTER)
    data["pil_swasta"] = "7"
    kader.post(URL, data)
    confirm = kader.get(f"/laporan/{RT}/2020-11/kirim/")
    assert confirm.context["problems"][0].startswith("Jumlah tidak seimbang: PUS 4")
    assert "Ya, kirim laporan" not in confirm.content.decode()
    kader.post(f"/laporan/{RT}/2020-11/kirim/", {"version": "1"})
    assert MonthlyReport.objects.get().status == "draft"


def test_submitting_locks_the_report_for_the_cadre(kader, register):
    assert kader.post(URL, report_post(0, action="submit", **REGISTER)).status_code == 302
    assert kader.post(f"/laporan/{RT}/2020-11/kirim/", {"version": "1"}).status_code == 302
    report = MonthlyReport.objects.get()
    assert (report.status, report.submitted_by.username) == ("submitted", "kader")
    page = kader.get(URL)
    assert "form" not in page.context
    assert "Laporan dikirim ke PKB/PLKB." in page.content.decode()
    assert "terkunci untuk kader" in page.content.decode()
    refused = kader.post(URL, report_post(report.version, **REGISTER))
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "Laporan ini berstatus Dikirim, jadi tidak dapat diubah lagi oleh kader; PKB dapat mengembalikannya."
    ]
    assert MonthlyReport.objects.get().pus == 4


def test_a_returned_report_shows_the_pkbs_comment_and_opens_for_editing(kader, personas):
    report = report_submit(rt=Unit.objects.get(code=RT), period=NOV, counts=balanced_counts(pus=3),
                           corrections={}, version=0, by=personas["kader"].user)
    report_return(report=report, comment="IAS dua, bukan tiga", by=personas["pkb"].user)
    page = kader.get(URL)
    body = page.content.decode()
    assert "Dikembalikan oleh pkb" in body and "IAS dua, bukan tiga" in body
    assert page.context["form"]["version"].value() == 2


def test_the_opd_reads_the_report_but_may_not_save_it(client, personas):
    make_report(RT, NOV, status=ReportStatus.SUBMITTED, pus=3)
    client.force_login(personas["opd"].user)
    page = client.get(URL)
    assert page.status_code == 200 and "form" not in page.context
    assert client.post(URL, report_post(1, pus=4)).status_code == 403
    client.force_login(personas["outsider"].user)
    assert client.post(URL, report_post(1, pus=4)).status_code == 404
    assert MonthlyReport.objects.get().pus == 3


def test_a_kader_sees_a_draft_read_only_in_a_closed_period(kader, personas):
    make_report(RT, NOV, status=ReportStatus.DRAFT, pus=3)
    period_close(kabupaten="32.14", period=NOV, by=personas["opd"].user)
    page = kader.get(URL)
    assert "form" not in page.context
    assert "sudah ditutup oleh OPD KB" in page.content.decode()
    refused = kader.post(URL, report_post(1, pus=4))
    assert refused.status_code == 200
    assert "sudah ditutup oleh OPD KB" in refused.context["form"].non_field_errors()[0]
    assert MonthlyReport.objects.get().pus == 3


def test_the_page_has_no_inline_script_and_passes_its_data_as_json(kader, register):
    body = kader.get(URL).content.decode()
    scripts = re.findall(r"<script([^>]*)>", body)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert 'id="report-form-data"' in body and "/static/js/report_form.js" in body
    assert "style=" not in body.split("<main")[1]


def test_the_sections_are_details_one_open_at_a_time(kader, register):
    body = kader.get(URL).content.decode()
    assert body.count('<details class="report-section card mb-2" name="report-section"') == 4
    assert len(re.findall(r'name="report-section" data-section="\w+" open', body)) == 1


def test_above_an_rt_the_page_lists_the_rts_with_their_status(kader, personas, client):
    make_report("32.14.01.2001.001.002", NOV, status=ReportStatus.SUBMITTED, pus=3)
    client.force_login(personas["pkb"].user)
    page = client.get("/laporan/32.14.01.2001.001/2020-11/")
    assert [(row.rt.code, row.status) for row in page.context["rows"]] == [
        (RT, "missing"), ("32.14.01.2001.001.002", "submitted"),
    ]
    assert f'href="{URL}"' in page.content.decode()


def test_the_page_says_the_deadline_and_a_month_not_begun_has_no_form(kader):
    assert "batas kirim 3 Desember 2020" in kader.get(URL).content.decode()
    assert "form" not in kader.get(f"/laporan/{RT}/2999-01/").context


NEIGHBOUR = RT  # the kader's own RT, without the `register` fixture


def test_the_form_prefills_switches_and_pb_pasca_and_shows_the_drop_outs(kader, tree):
    """In November 2020: one couple switches from injections to an IUD (GC), one starts a pill
    after a birth (PB pasca), one stops condoms for TIAL and one pills for IAS (drop-outs), one
    restarts injections after IAT (nothing), and ten continuing users are written in that month."""
    set_status(make_couple(NEIGHBOUR, "suntik"), datetime.date(2020, 11, 12), "iud")
    set_status(make_couple(NEIGHBOUR, "hamil"), datetime.date(2020, 11, 20), "pil")
    set_status(make_couple(NEIGHBOUR, "kondom"), datetime.date(2020, 11, 3), "tial")
    set_status(make_couple(NEIGHBOUR, "pil"), datetime.date(2020, 11, 4), "ias")
    pausing = make_couple(NEIGHBOUR, "suntik")
    set_status(pausing, datetime.date(2020, 6, 1), "iat")
    set_status(pausing, datetime.date(2020, 11, 9), "suntik")
    for _ in range(10):
        make_couple(NEIGHBOUR, "suntik", since=datetime.date(2020, 11, 2))
    response = kader.get(f"/laporan/{NEIGHBOUR}/2020-11/")
    counts = values(response)
    assert (counts["gc_iud"], sum(counts[f"gc_{m}"] for m in METHODS)) == (1, 1)
    assert (counts["pb_pil"], counts["pb_pasca"], sum(counts[f"pb_{m}"] for m in METHODS)) == (1, 1, 1)
    assert (counts["pus"], counts["suntik_pemerintah"], counts["tial"], counts["ias"]) == (15, 11, 1, 1)
    assert response.context["drop_outs"] == {"ias": 1, "iat": 0, "tial": 1, "total": 2}
    body = response.content.decode()
    assert "Drop-out bulan ini (dari register)" in body and "ke IAS 1, ke IAT 0, ke TIAL 1" in body
    sections = {s["key"]: [cell.field.name for cell in s["cells"]] for s in response.context["sections"]}
    assert sections["gc"] == [f"gc_{m}" for m in METHODS] and sections["pb"][-1] == "pb_pasca"


def test_more_pb_pasca_than_pb_cannot_be_sent(kader, register):
    data = report_post(0, action="submit", reasons={"pb_pasca": "salah ketik"}, **REGISTER, pb_pasca=2)
    response = kader.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors["pb_pasca"] == [
        "PB pasca persalinan/keguguran (2) tidak boleh lebih dari jumlah PB (1)."
    ]
    assert not MonthlyReport.objects.exists()
