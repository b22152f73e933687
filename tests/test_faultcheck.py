"""The fault test's check (bench/faultcheck.py): acknowledged writes there once, unanswered ones
there at most once, nothing half-written; and the section it writes into docs/loadtest.md."""

from collections import Counter

from bench.faultcheck import CoupleLedger, check_couple_faults, check_report_faults
from bench.faultreport import END, START, write_section
from bench.loadcheck import HistoryRow, ReportState, Write
from bench.loadtest import FAULTS_START, kept_sections
from bench.loadusers import BALANCE_FIELDS, COUNT_FIELDS

RT = "32.14.01.1001.001.001"


def counts(pus=10, **changes):
    values = dict.fromkeys(COUNT_FIELDS, 0)
    values.update(pus=pus, suntik_pemerintah=pus)
    values.update(changes)
    return values


def check(writes, history, after_version, *, uncertain=(), before=1, after_counts=None, rows=1):
    last = history[-1].counts if history else counts()
    return check_report_faults(
        before={RT: before}, after={RT: ReportState(after_version, after_counts or last)}, rows_per_rt={RT: rows},
        history={RT: history} if history else {}, writes={RT: writes} if writes else {}, uncertain=set(uncertain),
        balance_fields=BALANCE_FIELDS, count_fields=COUNT_FIELDS)


def test_acknowledged_writes_in_the_history_pass():
    writes = [Write(RT, 2, "draft", "a", counts(11)), Write(RT, 3, "submit", "a", counts(12))]
    assert check(writes, [HistoryRow(2, counts(11)), HistoryRow(3, counts(12))], 3) == []


def test_an_unanswered_write_may_have_committed():
    writes = [Write(RT, 2, "draft", "a", counts(11))]
    history = [HistoryRow(2, counts(11)), HistoryRow(3, counts(12))]
    assert check(writes, history, 3, uncertain=[RT]) == []
    assert any("no unanswered one" in p for p in check(writes, history, 3))


def test_a_lost_acknowledged_write_is_found():
    writes = [Write(RT, 2, "draft", "a", counts(11)), Write(RT, 3, "draft", "a", counts(12))]
    problems = check(writes, [HistoryRow(2, counts(11))], 2, uncertain=[RT])
    assert any("LOST" in p for p in problems)


def test_doubles_gaps_and_half_writes_are_found():
    history = [HistoryRow(2, counts(11)), HistoryRow(2, counts(11))]
    assert any("gap or a double" in p for p in check([], history, 2, uncertain=[RT]))
    assert any("gap or a double" in p for p in check([], [HistoryRow(3, counts(11))], 3, uncertain=[RT]))
    unbalanced = counts(11, pil_swasta=1)
    assert any("unbalanced" in p for p in check([], [HistoryRow(2, unbalanced)], 2, uncertain=[RT]))
    assert any("last history row" in p for p in check([], [HistoryRow(2, counts(11))], 2, uncertain=[RT],
                                                         after_counts=counts(12)))
    assert any("doubled" in p for p in check([], [], 1, rows=2))


def test_couples():
    ledger = CoupleLedger()
    ledger.add("a", ok=True)
    ledger.add("b", ok=False)
    assert check_couple_faults(ledger, Counter({"a": 1}), {1: True}, {1: "a"}) == []
    assert check_couple_faults(ledger, Counter({"a": 1, "b": 1}), {1: True, 2: True}, {}) == []
    assert any("LOST" in p for p in check_couple_faults(ledger, Counter(), {}, {}))
    assert any("doubled" in p for p in check_couple_faults(ledger, Counter({"a": 1, "b": 2}), {}, {}))
    assert any("first status" in p for p in check_couple_faults(ledger, Counter({"a": 1}), {1: False}, {1: "a"}))


def test_the_section_is_replaced_and_kept_by_the_load_test(tmp_path):
    out = tmp_path / "loadtest.md"
    out.write_text("# Load test\n\nfigures\n")
    write_section(out, f"{START}\n## Faults\none\n{END}\n")
    write_section(out, f"{START}\n## Faults\ntwo\n{END}\n")
    text = out.read_text()
    assert text.count(START) == 1 and "two" in text and "one" not in text and text.startswith("# Load test")
    assert FAULTS_START == START
    assert kept_sections(out).strip() == f"{START}\n## Faults\ntwo\n{END}"
