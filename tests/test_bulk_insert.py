"""cadres.imports.bulk_insert: the imports' fast INSERTs, on both databases."""

import datetime

import pytest

from cadres.imports import bulk_insert
from cadres.indicators import COUNT_FIELDS
from cadres.models import Couple
from reports.models import MonthlyReport
from tests.factories import make_unit

RT = "32.14.01.2001.001.001"
NOW = datetime.datetime(2020, 12, 2, 8, 30, tzinfo=datetime.UTC)


@pytest.fixture(params=[2, 5000], ids=["many-statements", "one-statement"])
def rows_per_statement(request, monkeypatch):
    monkeypatch.setattr(bulk_insert, "_ROWS_PER_STATEMENT", request.param)
    return request.param


def test_it_inserts_rows_returns_their_keys_in_order_and_defaults_the_rest(db, rows_per_statement):
    make_unit(RT)
    table = bulk_insert.Table(Couple, ["rt_id", "wife_name", "wife_birth_date", "husband_name", "registered_on"])
    rows = [
        table.complete((RT, f"Istri {n}", datetime.date(1990, 1, n), "Suami", datetime.date(2020, 1, 1)))
        for n in range(1, 6)
    ]

    ids = table.insert(rows, returning="id")

    assert [Couple.objects.get(pk=pk).wife_name for pk in ids] == [f"Istri {n}" for n in range(1, 6)]
    couple = Couple.objects.get(pk=ids[2])
    assert (couple.wife_birth_date, couple.children, couple.nik, couple.left_on, couple.left_reason) == (
        datetime.date(1990, 1, 3), 0, "", None, "",
    )


def test_an_upsert_overwrites_the_row_with_the_same_key_and_history_records_both(db, rows_per_statement):
    make_unit(RT)
    table = bulk_insert.Table(MonthlyReport, ["rt_id", "period", *COUNT_FIELDS, "updated_at", "version"])
    history = bulk_insert.HistoryTable(table)
    counts = dict.fromkeys(COUNT_FIELDS, 0)

    def row(period, pus, version):
        values = counts | {"pus": pus, "ias": pus}
        return table.complete((RT, period, *(values[field] for field in COUNT_FIELDS), NOW, version))

    first = [row(datetime.date(2020, month, 1), 3, 1) for month in (1, 2, 3)]
    ids = table.insert(first, unique_fields=["rt", "period"], returning="id")
    history.insert([(pk, "+", values) for pk, values in zip(ids, first)], date=NOW, reason="uji")
    again = [row(datetime.date(2020, 2, 1), 7, 2)]
    again_ids = table.insert(again, unique_fields=["rt", "period"], returning="id")
    history.insert([(again_ids[0], "~", again[0])], date=NOW, reason="uji")

    assert again_ids == [ids[1]]
    assert list(MonthlyReport.objects.order_by("period").values_list("pus", "version", "status", "corrections")) == [
        (3, 1, "draft", {}), (7, 2, "draft", {}), (3, 1, "draft", {}),
    ]
    report = MonthlyReport.objects.get(pk=ids[1])
    assert report.updated_at == NOW
    records = report.history.order_by("history_id")
    assert [(h.history_type, h.pus, h.history_date, h.history_change_reason) for h in records] == [
        ("+", 3, NOW, "uji"), ("~", 7, NOW, "uji"),
    ]
