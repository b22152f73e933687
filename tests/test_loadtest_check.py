"""The pure parts of the load test (bench/): percentiles, the database check against the ledger of
accepted writes, the loopback guard, and what the virtual users read from pages and send."""

import pytest

from bench.loadcheck import (
    HistoryRow, Ledger, ReportState, Write, add_bulk_writes, check_reports, latency_rows, percentile, unbalanced,
)
from bench.loadhttp import Page, Stats, check_loopback, is_stale
from bench.loadusers import BALANCE_FIELDS, COUNT_FIELDS, REASON, Kader
from cadres import indicators

RT = "32.14.01.1001.001.001"


def counts(pus=10, **changes):
    values = dict.fromkeys(COUNT_FIELDS, 0)
    values.update(pus=pus, suntik_pemerintah=pus)
    values.update(changes)
    return values


def check(ledger, *, before=None, after=None, history=None, rows=None):
    before = {RT: 1} if before is None else before
    after = after if after is not None else {}
    rows = rows if rows is not None else dict.fromkeys(after, 1)
    return check_reports(before=before, after=after, rows_per_rt=rows, history=history or {}, ledger=ledger,
                         balance_fields=BALANCE_FIELDS, count_fields=COUNT_FIELDS)


def ledger_of(*writes):
    ledger = Ledger()
    for write in writes:
        ledger.accepted(write)
    return ledger


def test_the_client_uses_the_apps_field_lists():
    assert COUNT_FIELDS == indicators.COUNT_FIELDS
    assert BALANCE_FIELDS == indicators.BALANCE_FIELDS


def test_percentile_is_the_nearest_rank():
    values = list(range(100, 0, -1))
    assert percentile(values, 95) == 95
    assert percentile(values, 50) == 50
    assert percentile(values, 100) == 100
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([0.25], 95) == 0.25
    assert percentile([1, 2], 0) == 1


def test_percentile_of_nothing_is_none_and_outside_0_100_is_refused():
    assert percentile([], 95) is None
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_latency_rows_are_milliseconds_per_kind_in_name_order():
    rows = latency_rows({"queue": [0.010, 0.030, 0.020], "dashboard": [0.1004], "empty": []})
    assert rows == [
        {"kind": "dashboard", "count": 1, "median": 100, "p95": 100, "max": 100},
        {"kind": "queue", "count": 3, "median": 20, "p95": 30, "max": 30},
    ]


def test_a_clean_run_has_no_problems():
    saved, sent = counts(pus=12), counts(pus=12, pb_pil=1)
    ledger = ledger_of(Write(RT, 2, "draft", "k1", saved), Write(RT, 3, "submit", "k1", sent),
                       Write(RT, 4, "verify", "pkb1"))
    history = {RT: [HistoryRow(2, saved), HistoryRow(3, sent), HistoryRow(4, sent)]}
    assert check(ledger, after={RT: ReportState(4, sent)}, history=history) == []


def test_a_new_report_starts_at_version_one():
    saved = counts(pus=20)
    ledger = ledger_of(Write(RT, 1, "draft", "k1", saved))
    assert check(ledger, before={}, after={RT: ReportState(1, saved)}, history={RT: [HistoryRow(1, saved)]}) == []


def test_two_writes_accepted_at_the_same_version_are_a_lost_update():
    first, second = counts(pus=10), counts(pus=11)
    ledger = ledger_of(Write(RT, 2, "draft", "k1", first), Write(RT, 2, "draft", "k1#2", second))
    problems = check(ledger, after={RT: ReportState(2, second)}, history={RT: [HistoryRow(2, second)]})
    assert f"{RT}: accepted versions [2, 2], expected [2, 3] (a doubled or lost write)" in problems


def test_numbers_other_than_the_last_accepted_save_are_reported_lost():
    first, last = counts(pus=10), counts(pus=10, pb_iud=2)
    ledger = ledger_of(Write(RT, 2, "draft", "k1", first), Write(RT, 3, "draft", "k1", last))
    history = {RT: [HistoryRow(2, first), HistoryRow(3, last)]}
    problems = check(ledger, after={RT: ReportState(3, first)}, history=history)
    assert problems == [f"{RT}: the last accepted numbers (version 3, k1) were lost: pb_iud 0≠2"]


def test_a_status_change_after_a_save_keeps_the_saves_numbers_as_the_ones_to_find():
    saved = counts(pus=9)
    ledger = ledger_of(Write(RT, 3, "verify", "pkb1"), Write(RT, 2, "submit", "k1", saved))
    assert check(ledger, after={RT: ReportState(3, saved)},
                 history={RT: [HistoryRow(2, saved), HistoryRow(3, saved)]}) == []


def test_a_missing_history_row_and_a_wrong_final_version_are_reported():
    saved = counts()
    ledger = ledger_of(Write(RT, 2, "draft", "k1", saved))
    assert check(ledger, after={RT: ReportState(3, saved)}, history={}) == [
        f"{RT}: version 3 in the database, expected 2",
        f"{RT}: history has versions [], expected [2]",
    ]


def test_a_doubled_or_unbalanced_or_vanished_report_is_reported():
    other = "32.14.01.1001.001.002"
    unbalanced_counts = counts(pus=10, hamil=1)
    problems = check(Ledger(), before={RT: 1, other: 1}, after={RT: ReportState(1, unbalanced_counts)},
                     rows={RT: 2})
    assert problems == [
        f"{RT}: 2 reports for one period (doubled)",
        f"{RT}: unbalanced (PUS 10, PA + non-users 11)",
        f"{other}: report lost (it existed before the run at version 1)",
    ]


def test_a_report_changed_without_an_accepted_write_is_reported():
    problems = check(Ledger(), after={RT: ReportState(2, counts())}, history={RT: [HistoryRow(2, counts())]})
    assert f"{RT}: version 1 → 2 without an accepted write" in problems


def test_an_rt_whose_write_had_no_answer_is_not_judged():
    ledger = ledger_of(Write(RT, 2, "draft", "k1", counts()))
    ledger.unknown(RT)
    assert check(ledger, after={RT: ReportState(3, counts(pus=4))}) == []


def test_unbalanced_names_each_report():
    assert unbalanced({"a": counts(pus=3), "b": counts(pus=3, tial=2)}, BALANCE_FIELDS) == [
        "b: unbalanced (PUS 3, PA + non-users 5)"
    ]


@pytest.mark.parametrize("url", ["http://localhost:8000", "http://10.0.0.1:8000", "https://127.0.0.1:8000",
                                 "http://127.0.0.1:8000/app/", "http://127.0.0.1.example.org/"])
def test_only_plain_http_on_127_0_0_1_is_accepted(url):
    with pytest.raises(ValueError, match="only runs against http://127.0.0.1"):
        check_loopback(url)


def test_the_loopback_base_url_keeps_its_port():
    assert check_loopback("http://127.0.0.1:45123/") == "http://127.0.0.1:45123"


QUEUE = (
    '<div class="alert alert-danger" role="alert">Laporan ini sudah diubah oleh Dadang pada 23 November 2026 '
    "12:00\n(versi 4) setelah Anda membukanya.</div>"
    '<form method="post" action="/verifikasi/32.14.01.1001/2026-10/semua/">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="tok"></form>'
    '<div class="list-group-item queue-row" data-rt="32.14.01.1001.001.001" data-status="missing">'
    '<a href="#">RT 001</a></div>'
    '<div class="list-group-item queue-row" data-rt="32.14.01.1001.001.002" data-status="submitted"><div>'
    '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="tok">'
    '<input type="hidden" name="version" value="7"></form></div></div>'
)


def test_a_queue_page_gives_its_rows_versions_token_and_messages():
    page = Page(QUEUE)
    assert page.rows == [
        {"rt": "32.14.01.1001.001.001", "status": "missing", "version": None},
        {"rt": "32.14.01.1001.001.002", "status": "submitted", "version": "7"},
    ]
    assert page.csrf_token() == "tok"
    [(level, text)] = page.messages()
    assert level == "danger" and is_stale(text)
    assert "(versi 4)" in text


FORM = (
    '<form method="post" class="report-form" novalidate><input type="hidden" name="csrfmiddlewaretoken" value="tok">'
    '<input type="hidden" name="version" value="3" id="id_version">'
) + "".join(
    f'<input type="number" name="{field}" value="{value}"><div id="id_{field}_helptext" class="form-text">'
    f'Register: {value}</div><input type="text" name="alasan_{field}">'
    for field, value in counts(pus=10).items()
) + """<button type="submit" name="action" value="draft">Simpan draf</button></form>"""


def test_a_cadre_sends_balanced_numbers_with_a_reason_for_each_change():
    kader = Kader(rt=RT, twin=False, name="lt_kader01", base_url="http://127.0.0.1:1", password="x",
                  period="2026-10", stats=Stats(), ledger=Ledger(), seed=1)
    page = Page(FORM)
    form = page.form(css_class="report-form")
    for _ in range(20):
        data, sent = kader.filled(page, form)
        assert sum(sent[field] for field in BALANCE_FIELDS) == sent["pus"] == 10
        assert data["version"] == "3" and data["csrfmiddlewaretoken"] == "tok"
        assert all(data[field] == str(sent[field]) for field in COUNT_FIELDS)
        changed = {field for field in COUNT_FIELDS if sent[field] != counts(pus=10)[field]}
        assert {field for field in COUNT_FIELDS if data[f"alasan_{field}"] == REASON} == changed


def test_a_cadre_with_an_empty_form_makes_up_balanced_numbers():
    kader = Kader(rt=RT, twin=False, name="lt_kader01", base_url="http://127.0.0.1:1", password="x",
                  period="2026-10", stats=Stats(), ledger=Ledger(), seed=1)
    empty = Page('<form class="report-form"><input name="version" value="0"><input name="pus" value=""></form>')
    data, sent = kader.filled(empty, empty.form(css_class="report-form"))
    assert 15 <= sent["pus"] <= 35
    assert sum(sent[field] for field in BALANCE_FIELDS) == sent["pus"]
    assert data["version"] == "0"


def test_twins_are_half_rts_without_a_report_and_half_every_fifth_with_one():
    from bench.loadtest import twin_rts

    rts = [f"rt{i:02d}" for i in range(40)]
    reported = set(rts) - {"rt03", "rt07", "rt11", "rt12", "rt30"}
    twins = twin_rts(rts, reported)
    assert twins == {"rt03", "rt07", "rt11", "rt12"} | {"rt00", "rt06", "rt14", "rt19"}
    assert twin_rts(rts, set(rts)) == {f"rt{i:02d}" for i in range(0, 40, 5)}


def test_verify_all_adds_the_reports_the_history_names_and_checks_the_pages_counts():
    other = "32.14.01.1001.001.002"
    ledger = Ledger()
    ledger.verified_all("pkb1", 2)
    assert add_bulk_writes(ledger, [(RT, 2, "pkb1"), (other, 5, "pkb1")]) == []
    assert ledger.writes[RT] == [Write(RT, 2, "verify all", "pkb1")]
    assert ledger.writes[other] == [Write(other, 5, "verify all", "pkb1")]


def test_verify_all_that_verified_other_than_it_said_is_a_problem():
    ledger = Ledger()
    ledger.verified_all("pkb1", 3)
    ledger.verified_all("pkb2", 0)
    assert add_bulk_writes(ledger, [(RT, 2, "pkb1"), (RT, 3, "pkb2")]) == [
        "verify all by pkb1: the pages said 3 verified, the history has 1",
        "verify all by pkb2: the pages said 0 verified, the history has 1",
    ]
