"""/wilayah/<code>/<period>/: the dashboard of a unit and month — headline figures in Indonesian
format, the children table (sortable, weakest MKJP and missing reports flagged), the twelve-month
trend, method × place, PB against PPM, the RTs not yet in, and a constant number of queries."""

import datetime
import json
import re

import pytest

from cadres.models import Role, Unit
from cadres.periods import period_str
from reports.models import ReportStatus
from reports.numbers.dashboard import missing_reports, trend_for
from tests.factories import make_unit, make_user
from tests.report_factories import bulk_reports, bulk_rts, make_report
from tests.test_recap import DESA, karangan_putih  # noqa: F401 (a fixture)

NOV = datetime.date(2020, 11, 1)
URL = f"/wilayah/{DESA}/2020-11/"


@pytest.fixture
def opd(db):
    make_unit("32.14", "Kabupaten Purwakarta")
    return make_user("opd", Role.OPD, "32.14")


@pytest.fixture
def page(client, karangan_putih, opd):  # noqa: F811
    client.force_login(opd)

    def get(url=URL):
        response = client.get(url)
        assert response.status_code == 200
        return response

    return get


def kpis(body):
    return dict(re.findall(r'data-kpi="(\w+)">([^<]*)<', body))


def test_karangan_putih_shows_its_headline_figures_in_indonesian_format(page):
    body = page().content.decode()
    assert "<title>Desa Karangan Putih · November 2020</title>" in body
    assert kpis(body) == {
        "pus": "370", "pa": "320", "cpr": "86,49%", "mkjp": "8,75%", "non_mkjp": "91,25%",
        "unmet_need": "7,57%", "pb": "5", "ppm": "85,00%", "reports": "7/7", "new_mkjp": "6",
    }
    assert "51 dari target 60 · sisa 9" in body


def test_the_month_s_new_mkjp_users_are_pb_plus_switches_and_the_drop_outs_come_from_the_register(page):
    response = page()
    assert response.context["new_mkjp"] == {"pb_mkjp": 3, "gc_mkjp": 3, "total": 6, "pb": 5, "pb_pasca": 1, "gc": 4}
    body = response.content.decode()
    assert "PB MKJP 3 + ganti cara ke MKJP 3" in body and "Dari 5 PB, 1 pasca persalinan/keguguran." in body
    assert [(row["label"], row["pb"], row["gc"]) for row in response.context["new_users"]][:2] == [
        ("IUD", 1, 1), ("Implan", 2, 2)]
    assert response.context["drop_outs"] == {"ias": 0, "iat": 0, "tial": 0, "total": 0}
    assert "Drop-out bulan ini (register): 0" in body


def test_the_children_table_has_each_rw_with_the_weakest_mkjp_flagged(page):
    rows = page().context["rows"]
    assert [(row["code"], row["pus"], row["pa"], str(row["cpr"]), str(row["mkjp_pct"])) for row in rows] == [
        (DESA + ".001", 322, 275, "85.40", "8.73"),
        (DESA + ".002", 48, 45, "93.75", "8.89"),
    ]
    assert [row["weakest_mkjp"] for row in rows] == [True, False]
    body = page().content.decode()
    assert re.search(r'8,73% <span class="badge text-bg-danger">terendah</span>', body)
    assert f'href="/wilayah/{DESA}.001/2020-11/"' in body  # children are links down


@pytest.mark.parametrize(
    "sort, order",
    [("mkjp", [".001", ".002"]), ("-mkjp", [".002", ".001"]), ("-pus", [".001", ".002"]),
     ("cpr", [".001", ".002"]), ("-cpr", [".002", ".001"]), ("nonsense", [".001", ".002"])],
)
def test_the_children_table_sorts_on_the_server(page, sort, order):
    rows = page(f"{URL}?sort={sort}").context["rows"]
    assert [row["code"] for row in rows] == [DESA + suffix for suffix in order]


def test_a_sorted_column_links_to_the_other_direction(page):
    body = page(f"{URL}?sort=mkjp").content.decode()
    assert 'aria-sort="ascending"' in body
    assert 'href="?sort=-mkjp"' in body and 'href="?sort=pus"' in body


def test_a_missing_report_is_flagged_in_the_children_table_and_listed(page):
    make_unit(DESA + ".002.005", "RT 005")
    response = page()
    rw2 = response.context["rows"][1]
    assert (rw2["received"], rw2["expected"], rw2["missing"]) == (4, 5, 1)
    body = response.content.decode()
    assert '<span class="badge text-bg-warning" title="1 laporan belum masuk">4/5</span>' in body
    assert "<li>RW Wilayah 32.14.01.2001.002 · RT 005</li>" in body
    assert kpis(body)["reports"] == "7/8"


def test_the_trend_has_twelve_months_from_one_grouped_query(karangan_putih, django_assert_num_queries):  # noqa: F811
    with django_assert_num_queries(1):
        trend = trend_for(DESA, NOV)
    assert [month["period"] for month in trend] == ["2019-12"] + [f"2020-{m:02d}" for m in range(1, 12)]
    assert [month["label"] for month in trend][:2] == ["Des 2019", "Jan 2020"]
    november, june, march = trend[-1], trend[6], trend[3]
    assert (november["pus"], november["pa"], str(november["cpr"]), str(november["mkjp_pct"])) == (370, 320, "86.49", "8.75")
    assert (june["pus"], june["pa"], str(june["cpr"]), june["mkjp_pct"]) == (300, 0, "0.00", None)
    assert (march["pus"], march["cpr"], march["received"]) == (0, None, 0)


def test_the_trend_and_the_method_mix_are_in_a_json_block_for_the_charts(page):
    body = page().content.decode()
    block = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', body, re.S)
    data = json.loads(block.group(1))
    assert data["trend"]["cpr"][-1] == 86.49 and data["trend"]["mkjp"][-1] == 8.75
    assert data["trend"]["cpr"][3] is None
    assert data["methods"]["labels"] == ["IUD", "Implan", "MOW", "MOP", "Suntik", "Pil", "Kondom"]
    assert data["methods"]["pemerintah"] == [6, 12, 3, 1, 140, 80, 8]
    assert data["methods"]["swasta"] == [3, 3, 0, 0, 50, 10, 4]


def test_the_page_has_no_inline_script(page):
    body = page().content.decode()
    for tag in re.findall(r"<script[^>]*>", body):
        assert 'src="' in tag or 'type="application/json"' in tag, tag
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in body
    assert 'src="/static/js/dashboard.js"' in body


def test_the_tables_are_readable_without_javascript(page):
    body = page().content.decode()
    assert re.search(r"<td><a href=\"/wilayah/32.14.01.2001/2020-11/\">Nov 2020</a></td>\s*"
                     r"<td class=\"num\">370</td><td class=\"num\">320</td>\s*"
                     r"<td class=\"num\">86,49%</td><td class=\"num\">8,75%</td>", body)
    assert re.search(r"Suntik</th>\s*<td class=\"num\">140</td><td class=\"num\">50</td>\s*"
                     r"<td class=\"num\">190</td><td class=\"num\">59,38%</td>", body)


def test_the_ppm_table_shows_pb_so_far_the_target_and_what_remains(page):
    methods = page().context["methods"]
    iud = methods[0]
    assert (iud["target"], iud["pb"], iud["pb_ytd"], iud["remaining"], str(iud["ppm_pct"])) == (12, 1, 9, 3, "75.00")
    assert [row["remaining"] for row in methods] == [3, 2, 1, 1, 1, 1, 0]


def test_the_month_picker_goes_to_the_chosen_month(page, client):
    response = client.get(f"{URL}?bulan=2020-10")
    assert response.status_code == 302 and response.url == f"/wilayah/{DESA}/2020-10/"


def test_the_month_picker_keeps_the_sort(page, client):
    assert 'name="sort" value="-mkjp"' in page(f"{URL}?sort=-mkjp").content.decode()
    response = client.get(f"{URL}?bulan=2020-10&sort=-mkjp")
    assert response.url == f"/wilayah/{DESA}/2020-10/?sort=-mkjp"


def test_a_bad_month_goes_back_with_a_message(page, client):
    response = client.get(f"{URL}?bulan=2020-13", follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Bulan 2020-13 tidak sah: pilih bulan dan tahun." in response.content.decode()


def test_previous_and_next_months_are_links(page):
    body = page().content.decode()
    assert f'href="/wilayah/{DESA}/2020-10/" rel="prev"' in body
    assert f'href="/wilayah/{DESA}/2020-12/" rel="next"' in body
    assert f'href="/wilayah/{DESA}/2020-11/rekap.pdf"' in body
    assert f'href="/wilayah/{DESA}/2020-11/rekap.xlsx"' in body


def test_there_is_no_next_month_after_the_one_being_reported(page, client):
    from cadres.periods import current_period

    body = page(f"/wilayah/{DESA}/{period_str(current_period())}/").content.decode()
    assert 'rel="next"' not in body


def test_an_rt_dashboard_has_no_children_table_and_says_its_report_is_in(page):
    body = page(f"/wilayah/{DESA}.001.001/2020-11/").content.decode()
    assert "children-table" not in body
    assert kpis(body)["pus"] == "300"
    assert "Semua laporan RT November 2020 sudah masuk." in body


def test_thousands_have_a_dot(client, opd):
    rts = bulk_rts("32.14", 1, 1, 1, 2)
    bulk_reports(rts, "2020-11", pus=617, pil_pemerintah=617)
    client.force_login(opd)
    assert kpis(client.get("/wilayah/32.14/2020-11/").content.decode())["pus"] == "1.234"


def test_missing_reports_are_grouped_by_desa_and_capped(db):
    make_unit("32.14")
    rts = bulk_rts("32.14", 1, 3, 2, 10)  # 60 RTs in 3 desa
    bulk_reports(rts[:5], "2020-11", pus=10)
    kecamatan = Unit.objects.get(code="32.14.01")
    missing = missing_reports(kecamatan, NOV, {"expected": 60, "received": 5}, limit=50)
    assert (missing.total, missing.shown) == (55, 50)
    assert [(heading, len(rts)) for heading, rts in missing.groups] == [
        ("Desa Wilayah 32.14.01.2001", 15), ("Desa Wilayah 32.14.01.2002", 20), ("Desa Wilayah 32.14.01.2003", 15),
    ]
    assert missing.groups[0][1][0] == "RW Wilayah 32.14.01.2001.001 · RT Wilayah 32.14.01.2001.001.006"


def test_drafts_count_as_missing(karangan_putih):  # noqa: F811
    make_report(DESA + ".002.005", "2020-11", status=ReportStatus.DRAFT, pus=3)
    desa = Unit.objects.get(code=DESA)
    missing = missing_reports(desa, NOV, {"expected": 8, "received": 7})
    assert missing.groups == [("", ["RW Wilayah 32.14.01.2001.002 · RT Wilayah 32.14.01.2001.002.005"])]


def kabupaten_dashboard_queries(client, opd, django_assert_num_queries, fanout, queries):
    rts = bulk_rts("32.14", *fanout)
    bulk_reports(rts[: len(rts) // 2], "2020-11", pus=20, suntik_pemerintah=10, iud_swasta=2, iat=3)
    bulk_reports(rts, "2020-10", pus=20, suntik_pemerintah=9)
    client.force_login(opd)
    client.get("/healthz")  # the session's first save with its time (kampungkb/session_refresh.py), not a page's
    with django_assert_num_queries(queries):
        response = client.get("/wilayah/32.14/2020-11/")
    assert response.status_code == 200
    return response, len(rts)


# Session, user, the user's units with the unit and its ancestors (one query); the recap's three
# queries (the children with the RTs expected, the sums, the targets); the trend; the missing RTs;
# the verified reports (apart from the only sent); the running campaigns; "Kegiatan PPKBD" (the
# desa reports' sums, the institutions by kind). The session is not saved (at most once in 5
# minutes: kampungkb/session_refresh.py).
DASHBOARD_QUERIES = 12


@pytest.mark.parametrize("fanout", [(1, 2, 1, 2), (4, 12, 3, 6)])
def test_the_kabupaten_dashboard_does_a_constant_number_of_queries(client, opd, django_assert_num_queries, fanout):
    response, rts = kabupaten_dashboard_queries(client, opd, django_assert_num_queries, fanout, DASHBOARD_QUERIES)
    assert kpis(response.content.decode())["reports"] == f"{rts // 2}/{rts}"


def test_a_month_without_any_report_says_belum_ada_data_instead_of_zeros(client, opd):
    make_unit("32.14.01.2001.001.001")
    client.force_login(opd)
    response = client.get("/wilayah/32.14.01.2001.001.001/2020-11/")
    body = response.content.decode()
    assert "Belum ada data untuk bulan ini." in body
    assert 'data-kpi="pus"' not in body and "trend-chart" not in body and "methods-chart" not in body


def test_the_dashboard_says_how_many_reports_are_verified_and_how_many_only_sent(client, opd):
    make_report("32.14.01.2001.001.001", "2020-11", status="verified", pus=2, ias=2)
    make_report("32.14.01.2001.001.002", "2020-11", status="submitted", pus=2, ias=2)
    client.force_login(opd)
    response = client.get("/wilayah/32.14.01.2001/2020-11/")
    assert (response.context["verified_count"], response.context["sent_only"]) == (1, 1)
    assert "2 dari 2 laporan RT masuk: 1 diverifikasi, 1 baru dikirim." in response.content.decode()


def test_an_rt_whose_report_is_only_a_draft_has_no_data_yet_and_no_chart(client, opd):
    make_report("32.14.01.2001.001.001", "2020-11", status="draft", pus=2, ias=2)
    client.force_login(opd)
    response = client.get("/wilayah/32.14.01.2001.001.001/2020-11/")
    body = response.content.decode()
    assert response.status_code == 200 and "Belum ada data untuk bulan ini." in body
    assert 'data-kpi="cpr"' not in body and "methods-chart" not in body and "trend-chart" not in body
    assert "0 dari 1 laporan RT masuk: 0 diverifikasi, 0 baru dikirim." in body


def test_the_children_table_has_a_scroll_cue_for_phones(client, opd):
    make_report("32.14.01.2001.001.001", "2020-11", pus=2, ias=2)
    client.force_login(opd)
    body = client.get("/wilayah/32.14/2020-11/").content.decode()
    assert 'class="small text-muted mb-1 scroll-cue d-lg-none" id="children-cue"' in body
    assert 'aria-describedby="children-cue"' in body


def test_the_dashboard_shows_the_register_s_drop_outs_of_the_month_in_the_subtree(page):
    from tests.factories import make_unit
    from tests.register_factories import bulk_couples

    make_unit("32.14.01.2002.001.001")
    stops = [(datetime.date(2019, 1, 1), "pil", "swasta"), (datetime.date(2020, 11, 10), "iat", "")]
    bulk_couples(DESA + ".001.001", [stops] * 2)
    bulk_couples(DESA + ".002.001", [[(datetime.date(2019, 1, 1), "suntik", "swasta"),
                                      (datetime.date(2020, 11, 2), "tial", "")]])
    bulk_couples("32.14.01.2002.001.001", [stops])  # another desa
    bulk_couples(DESA + ".001.001", [[(datetime.date(2019, 1, 1), "pil", "swasta"),
                                      (datetime.date(2020, 10, 30), "ias", "")]])  # October
    response = page()
    assert response.context["drop_outs"] == {"ias": 0, "iat": 2, "tial": 1, "total": 3}
    assert "Drop-out bulan ini (register): 3 — ke IAS 0, IAT 2, TIAL 1." in response.content.decode()


def orm_missing_rts(code, period, limit):
    """The ORM's statement that `dashboard._missing_rts` writes as plain SQL."""
    from reports.models import MonthlyReport, rt_subtree_q

    reported = MonthlyReport.objects.counted().filter(rt_subtree_q(code), period=period).values("rt_id")
    rts = (Unit.objects.subtree(code).at_level("rt").exclude(code__in=reported)
           .select_related("parent__parent").order_by("code")[:limit])
    return [(rt.code, rt.name, rt.parent.code, rt.parent.name, rt.parent.parent.code, rt.parent.parent.name)
            for rt in rts]


def test_the_missing_rts_plain_sql_lists_what_the_orm_listed(db):
    from reports.demo.synth import Size, synth_kabupaten
    from reports.models import MonthlyReport
    from reports.numbers.dashboard import _missing_rts

    period = datetime.date(2026, 10, 1)
    synth_kabupaten(code="32.99", size=Size(desa=3, rw_per_desa=2, rt_per_rw=3, couples_per_rt=1, months=2),
                    until=period)
    rts = list(Unit.objects.subtree("32.99").at_level("rt").order_by("code").values_list("code", flat=True))
    MonthlyReport.objects.filter(rt_id__in=rts[::4], period=period).update(status=ReportStatus.DRAFT)
    MonthlyReport.objects.filter(rt_id__in=rts[1::5], period=period).update(status=ReportStatus.RETURNED)
    MonthlyReport.objects.filter(rt_id__in=rts[2::6], period=period).delete()
    desa = rts[0][:13]
    for code in ("32.99", "32.99.01", desa, rts[0][:17], rts[0], rts[1]):
        for month, limit in ((period, 50), (period, 3), (datetime.date(2026, 9, 1), 50),
                             (datetime.date(2025, 1, 1), 7)):
            assert _missing_rts(code, month, limit) == orm_missing_rts(code, month, limit), (code, month, limit)
    assert len(_missing_rts("32.99", period, 50)) == len(set(rts[::4]) | set(rts[1::5]) | set(rts[2::6]))
