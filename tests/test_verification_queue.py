"""/verifikasi/<code>/<period>/: the PKB's queue, its flags, and verify / verify all / return / reopen."""

import datetime

import pytest

from reports.models import MonthlyReport, ReportStatus
from reports.monthly.queue import flags_for
from tests.factories import make_unit
from tests.report_factories import make_report

DESA = "32.14.01.2001"
RT1, RT2 = "32.14.01.2001.001.001", "32.14.01.2001.001.002"
RT3, RT4, RT5 = "32.14.01.2001.002.001", "32.14.01.2001.002.002", "32.14.01.2001.002.003"
NOV = datetime.date(2020, 11, 1)
OCT = datetime.date(2020, 10, 1)
QUEUE = f"/verifikasi/{DESA}/2020-11/"


@pytest.fixture
def month(tree):
    """Desa 2001 in November 2020: one RT of each status, and one without a report (RT2)."""
    make_report(RT1, NOV, status=ReportStatus.SUBMITTED, pus=10, pil_swasta=8)
    for code, status in [(RT3, ReportStatus.DRAFT), (RT4, ReportStatus.RETURNED), (RT5, ReportStatus.VERIFIED)]:
        make_report(code, NOV, status=status, pus=5, suntik_pemerintah=5)
    MonthlyReport.objects.filter(rt_id=RT4).update(return_comment="IAT salah hitung")


@pytest.fixture
def pkb(client, personas):
    client.force_login(personas["pkb"].user)
    return client


def test_the_queue_lists_every_rt_by_status(pkb, month, django_assert_max_num_queries):
    """The RWs, which head their RTs, and the month's activities (a list) cost one query each."""
    with django_assert_max_num_queries(16):
        response = pkb.get(QUEUE)
    assert response.status_code == 200
    rows = [(row.rt.code, row.status) for row in response.context["rows"]]
    assert rows == [(RT1, "submitted"), (RT2, "missing"), (RT3, "draft"), (RT4, "returned"), (RT5, "verified")]
    counts = {key: item["count"] for key, item in response.context["counts"].items()}
    assert counts == {"missing": 1, "draft": 1, "submitted": 1, "returned": 1, "verified": 1}
    body = response.content.decode()
    assert "Verifikasi sekaligus… (1 dikirim)" in body and "IAT salah hitung" in body


def test_pus_or_pa_changed_by_more_than_ten_percent_is_flagged(db):
    before = make_report(RT1, OCT, pus=20, pil_swasta=20)
    assert flags_for(make_report(RT1, NOV, pus=22, pil_swasta=22), before) == []  # 10%: not more
    MonthlyReport.objects.filter(period=NOV).delete()
    now = make_report(RT1, NOV, pus=23, pil_swasta=17)
    assert flags_for(now, before) == [
        "PUS berubah 15,00% dari bulan lalu (20 → 23).",
        "PA berubah 15,00% dari bulan lalu (20 → 17).",
    ]


def test_pb_larger_than_the_change_in_pa_is_flagged(db):
    before = make_report(RT1, OCT, pus=20, pil_swasta=20)
    now = make_report(RT1, NOV, pus=21, pil_swasta=21, pb_pil=3)
    assert flags_for(now, before) == ["PB (3) lebih besar dari perubahan PA (+1)."]


def test_a_first_month_and_corrections_from_the_register(db):
    now = make_report(RT1, NOV, pus=5, pil_swasta=5, pb_pil=5)
    assert flags_for(now, None) == []
    now.corrections = {"pus": {"register": 4, "reason": "pindahan"}}
    assert flags_for(now, None) == ["1 angka diubah dari register, dengan alasan."]


def test_a_change_from_zero_is_flagged(db):
    before = make_report(RT1, OCT, pus=0)
    assert flags_for(make_report(RT1, NOV, pus=3), before) == ["PUS berubah dari 0 dari bulan lalu (0 → 3)."]


def test_the_pkb_verifies_one_report_from_the_queue(pkb, month):
    report = MonthlyReport.objects.get(rt_id=RT1)
    response = pkb.post(f"/laporan/{RT1}/2020-11/verifikasi/", {"version": report.version, "next": QUEUE})
    assert response.status_code == 302 and response.url == QUEUE
    report.refresh_from_db()
    assert (report.status, report.verified_by.username, report.version) == ("verified", "pkb", 2)
    assert "Laporan RT Wilayah 32.14.01.2001.001.001 diverifikasi." in pkb.get(QUEUE).content.decode()


def test_a_verify_from_an_old_page_is_refused(pkb, month):
    response = pkb.post(f"/laporan/{RT1}/2020-11/verifikasi/", {"version": 7, "next": QUEUE})
    assert response.status_code == 302
    assert MonthlyReport.objects.get(rt_id=RT1).status == "submitted"
    assert "sudah diubah oleh" in pkb.get(QUEUE).content.decode()


def test_the_pkb_verifies_all_submitted_reports(pkb, month):
    make_report(RT2, NOV, status=ReportStatus.SUBMITTED, pus=1)
    assert "2 laporan berstatus Dikirim." in pkb.get(f"{QUEUE}semua/").content.decode()
    response = pkb.post(f"{QUEUE}semua/")
    assert response.status_code == 302 and response.url == QUEUE
    statuses = dict(MonthlyReport.objects.values_list("rt_id", "status"))
    assert statuses == {RT1: "verified", RT2: "verified", RT3: "draft", RT4: "returned", RT5: "verified"}
    assert "2 laporan diverifikasi." in pkb.get(QUEUE).content.decode()


def test_the_pkb_returns_a_report_with_a_comment(pkb, month):
    url = f"/laporan/{RT1}/2020-11/kembalikan/"
    page = pkb.get(url, {"next": QUEUE})
    assert page.status_code == 200 and page.context["form"]["version"].value() == 1
    refused = pkb.post(url, {"note": "  ", "version": 1, "next": QUEUE})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"note": ["Catatan untuk kader wajib diisi."]}
    response = pkb.post(url, {"note": "PB pil tidak cocok", "version": 1, "next": QUEUE})
    assert response.status_code == 302 and response.url == QUEUE
    report = MonthlyReport.objects.get(rt_id=RT1)
    assert (report.status, report.return_comment, report.returned_by.username) == (
        "returned", "PB pil tidak cocok", "pkb")


def test_the_pkb_reopens_a_verified_report_with_a_reason(pkb, month):
    url = f"/laporan/{RT5}/2020-11/buka/"
    response = pkb.post(url, {"note": "angka MOW keliru", "version": 1})
    assert response.status_code == 302 and response.url == QUEUE
    report = MonthlyReport.objects.get(rt_id=RT5)
    assert (report.status, report.return_comment, report.version) == ("returned", "angka MOW keliru", 2)
    assert report.history.first().history_change_reason == "dibuka kembali: angka MOW keliru"


def test_a_submitted_report_cannot_be_reopened_from_the_page(pkb, month):
    page = pkb.get(f"/laporan/{RT1}/2020-11/buka/")
    assert "Hanya laporan berstatus Diverifikasi yang dapat dibuka kembali." in page.content.decode()
    response = pkb.post(f"/laporan/{RT1}/2020-11/buka/", {"note": "x", "version": 1})
    assert response.status_code == 200
    assert "berstatus Dikirim" in response.context["form"].non_field_errors()[0]


@pytest.mark.parametrize("persona, status", [("kader", 403), ("opd", 403), ("outsider", 404)])
def test_only_pkb_and_admin_verify_return_or_reopen(client, personas, month, persona, status):
    client.force_login(personas[persona].user)
    for url, data in [(f"/laporan/{RT1}/2020-11/verifikasi/", {"version": 1}),
                      (f"/laporan/{RT1}/2020-11/kembalikan/", {"note": "x", "version": 1}),
                      (f"/laporan/{RT1}/2020-11/buka/", {"note": "x", "version": 1}),
                      (f"/verifikasi/{RT1}/2020-11/semua/", {})]:
        assert client.post(url, data).status_code == status, url
    assert sorted(MonthlyReport.objects.values_list("status", flat=True)) == [
        "draft", "returned", "submitted", "verified"]


def test_the_kader_sees_the_queue_of_their_rt_without_buttons(client, personas, month):
    client.force_login(personas["kader"].user)
    response = client.get(f"/verifikasi/{RT1}/2020-11/")
    assert [row.status for row in response.context["rows"]] == ["submitted"]
    assert "Verifikasi</button>" not in response.content.decode()


def test_above_a_desa_the_queue_summarises_each_desa(client, personas, month):
    make_unit("32.14.01.2002.001.002")
    make_report("32.14.01.2002.001.001", NOV, status=ReportStatus.SUBMITTED, pus=1)
    client.force_login(personas["opd"].user)
    response = client.get("/verifikasi/32.14.01/2020-11/")
    (group,) = response.context["kecamatan_groups"]
    assert group.kecamatan.code == "32.14.01" and group.silent == []
    summaries = {s.desa.code: s.by_status() for s in group.reporting}
    assert {code: {key: n for key, _label, n in rows} for code, rows in summaries.items()} == {
        DESA: {"missing": 1, "draft": 1, "submitted": 1, "returned": 1, "verified": 1},
        "32.14.01.2002": {"missing": 1, "draft": 0, "submitted": 1, "returned": 0, "verified": 0},
    }
    assert response.context["timeliness"] == (0, 0, 3)  # the 3 counted were made without a sending time


def test_no_pb_is_never_flagged_even_when_pa_falls(db):
    before = make_report(RT1, OCT, pus=20, pil_swasta=20)
    assert flags_for(make_report(RT1, NOV, pus=20, pil_swasta=19, ias=1), before) == []


def test_the_report_page_shows_the_pkb_what_to_check(pkb, month):
    make_report(RT1, OCT, pus=8, pil_swasta=8)
    body = pkb.get(f"/laporan/{RT1}/2020-11/").content.decode()
    assert "Perlu dicek:" in body and "PUS berubah 25,00% dari bulan lalu (8 → 10)." in body
    assert 'action="/laporan/32.14.01.2001.001.001/2020-11/verifikasi/"' in body


def test_a_return_after_someone_else_verified_says_who_changed_it(pkb, month, personas):
    from reports.monthly.workflow import report_verify

    report_verify(report=MonthlyReport.objects.get(rt_id=RT1), by=personas["admin"].user)  # while the page was open

    response = pkb.post(f"/laporan/{RT1}/2020-11/kembalikan/", {"note": "PB pil tidak cocok", "version": 1})

    assert response.status_code == 200
    assert "sudah diubah oleh admin" in response.content.decode()
    assert MonthlyReport.objects.get(rt_id=RT1).status == ReportStatus.VERIFIED


def test_the_queue_groups_rts_under_their_rw_and_lists_the_waiting_flagged_first(pkb, month):
    make_report(RT3, OCT, pus=2, suntik_pemerintah=2)
    MonthlyReport.objects.filter(rt_id=RT3, period=NOV).update(status=ReportStatus.SUBMITTED)  # PUS 2 → 5: flagged
    response = pkb.get(QUEUE)
    groups = [(group.rw.code, [row.rt.code for row in group.rows]) for group in response.context["groups"]]
    assert groups == [("32.14.01.2001.001", [RT1, RT2]), ("32.14.01.2001.002", [RT3, RT4, RT5])]
    assert [(row.rt.code, rw.code, bool(row.flags)) for row, rw in response.context["waiting"]] == [
        (RT3, "32.14.01.2001.002", True), (RT1, "32.14.01.2001.001", False)]
    body = response.content.decode()
    assert body.count('class="h6 mt-3 mb-1 rw-heading"') == 2 and "Menunggu verifikasi (2)" in body
    assert f'href="/laporan/{RT2}/2020-11/"' in body  # the RT without a report links to its report page
    assert "Klik" not in body


def test_the_kabupaten_queue_groups_desa_by_kecamatan_and_folds_silent_desa(client, personas, month):
    for code in ("32.14.01.2003.001.001", "32.14.01.2004.001.001", "32.14.02.2002.001.001"):
        make_unit(code)
    client.force_login(personas["opd"].user)
    response = client.get("/verifikasi/32.14/2020-11/")
    assert response.status_code == 200
    groups = {g.kecamatan.code: g for g in response.context["kecamatan_groups"]}
    assert list(groups) == ["32.14.01", "32.14.02"]
    first, second = groups["32.14.01"], groups["32.14.02"]
    assert [s.desa.code for s in first.reporting] == [DESA]
    assert [s.desa.code for s in first.silent] == ["32.14.01.2002", "32.14.01.2003", "32.14.01.2004"]
    assert (first.expected, first.submitted, first.verified, first.missing) == (8, 1, 1, 4)
    assert second.reporting == [] and len(second.silent) == 2 and second.missing == 2
    body = response.content.decode()
    assert body.count("<details class=\"card mb-2 kecamatan-group\"") == 2 and body.count('class="list-group-item list-group-item-action') == 1
    assert "3 desa belum ada laporan" in body and "2 desa belum ada laporan" in body
    assert "8 RT · dikirim 1 · diverifikasi 1 · belum masuk 4" in body


def test_the_kabupaten_queue_names_kecamatan_without_rts_in_one_line(client, personas, month):
    make_unit("32.14.03", "Jatiluhur")
    make_unit("32.14.03.2001")  # a desa, no RW or RT yet
    client.force_login(personas["opd"].user)
    response = client.get("/verifikasi/32.14/2020-11/")
    assert response.context["kecamatan_without_rts"] == ["Jatiluhur"]
    body = response.content.decode()
    assert "Belum ada RT terdaftar: Jatiluhur" in body and 'data-kecamatan="32.14.03"' not in body
