"""No lost updates: a save from a version someone else has already changed is refused, naming who
and when, and the refused input stays on the page. Runs on SQLite and PostgreSQL; the true race
of two transactions runs on PostgreSQL (SQLite lets only one writer in at a time anyway)."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format

from cadres.models import Unit
from reports.models import MonthlyReport, ReportStatus
from reports.monthly import workflow
from reports.monthly.locking import StaleReport
from reports.monthly.workflow import report_return, report_save_draft, report_verify
from tests.report_factories import balanced_counts, make_report
from tests.report_form_data import report_post

RT = "32.14.01.2001.001.001"
NOV = datetime.date(2020, 11, 1)
URL = f"/laporan/{RT}/2020-11/"


def save(user, version, **counts):
    return report_save_draft(rt=Unit.objects.get(code=RT), period=NOV, counts=balanced_counts(**counts),
                             corrections={}, version=version, by=user)


def changed_message(who, report):
    latest = report.history.order_by("-history_date", "-history_id").first()
    return (
        f"Laporan ini sudah diubah oleh {who} pada "
        f"{date_format(timezone.localtime(latest.history_date), 'j F Y H:i')} (versi {latest.version}) setelah Anda "
        "membukanya. Isian Anda belum disimpan dan masih ada di halaman ini: periksa, lalu simpan lagi bila memang benar."
    )


def test_the_second_save_from_the_same_version_is_refused_naming_who_and_when(personas):
    kader, pkb = personas["kader"].user, personas["pkb"].user
    opened = save(kader, 0, pus=5, pil_swasta=5)  # both open version 1
    saved = save(pkb, opened.version, pus=6, pil_swasta=6)
    with pytest.raises(StaleReport) as refused:
        save(kader, opened.version, pus=7, pil_swasta=7)
    assert refused.value.message == changed_message("pkb", saved)
    assert refused.value.version == 2
    assert MonthlyReport.objects.values_list("pus", "version").get() == (6, 2)


def test_two_people_filling_an_empty_form_cannot_both_create_it(personas):
    save(personas["pkb"].user, 0, pus=6, pil_swasta=6)
    with pytest.raises(StaleReport) as refused:
        save(personas["kader"].user, 0, pus=7, pil_swasta=7)
    assert "sudah diubah oleh pkb" in refused.value.message
    assert MonthlyReport.objects.values_list("pus", "version").get() == (6, 1)


def test_a_status_change_from_an_old_version_is_refused(personas):
    pkb, admin = personas["pkb"].user, personas["admin"].user
    report = make_report(RT, NOV, status=ReportStatus.SUBMITTED, pus=3)
    seen = report.version
    report_return(report=report, comment="cek", by=pkb, version=seen)
    with pytest.raises(StaleReport):
        report_verify(report=report, by=admin, version=seen)
    assert MonthlyReport.objects.get().status == "returned"


def test_the_page_refuses_the_second_save_and_keeps_the_input(client, personas):
    client.force_login(personas["pkb"].user)
    assert client.post(URL, report_post(0, pus=6, pil_swasta=6)).status_code == 302
    client.force_login(personas["kader"].user)
    response = client.post(URL, report_post(0, pus=7, pil_swasta=4, iat=3))
    assert response.status_code == 409
    body = response.content.decode()
    assert changed_message("pkb", MonthlyReport.objects.get()) in body
    form = response.context["form"]
    assert (form["pus"].value(), form["pil_swasta"].value(), form["iat"].value()) == ("7", "4", "3")
    assert 'name="pus" value="7"' in body and 'name="version" value="1"' in body
    assert MonthlyReport.objects.values_list("pus", "version").get() == (6, 1)
    # Saving again from the page, after reading the message, is a deliberate overwrite.
    again = client.post(URL, {**report_post(0, pus=7, pil_swasta=4, iat=3), "version": form["version"].value()})
    assert again.status_code == 302
    assert MonthlyReport.objects.values_list("pus", "pil_swasta", "version").get() == (7, 4, 2)


@pytest.mark.django_db(transaction=True)
def test_two_saves_racing_on_postgresql_one_wins_and_the_other_is_refused(personas, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the row lock race needs two concurrent writers: PostgreSQL")
    kader, pkb = personas["kader"].user, personas["pkb"].user
    opened = save(kader, 0, pus=5, pil_swasta=5)
    claimed, release = threading.Event(), threading.Event()
    check = workflow.check_period_open

    def held_after_the_claim(code, period):
        if threading.current_thread().name == "first":
            claimed.set()
            assert release.wait(30)
        return check(code, period)

    monkeypatch.setattr(workflow, "check_period_open", held_after_the_claim)
    outcomes = {}

    def run(name, user, pus):
        try:
            outcomes[name] = save(user, opened.version, pus=pus, pil_swasta=pus).version
        except StaleReport as stale:
            outcomes[name] = stale.message
        finally:
            connection.close()

    first = threading.Thread(target=run, name="first", args=("first", kader, 6))
    second = threading.Thread(target=run, name="second", args=("second", pkb, 7))
    first.start()
    assert claimed.wait(30)
    second.start()
    deadline = time.monotonic() + 30
    while not _someone_waits_for_a_lock() and time.monotonic() < deadline:
        pass  # the second save now waits for the first one's row lock
    release.set()
    first.join(30)
    second.join(30)
    assert outcomes["first"] == 2
    assert outcomes["second"].startswith("Laporan ini sudah diubah oleh kader pada ")
    assert MonthlyReport.objects.values_list("pus", "version").get() == (6, 2)


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def test_a_change_in_the_admin_makes_an_open_form_stale(client, personas):
    opened = save(personas["kader"].user, 0, pus=5, pil_swasta=5)
    client.force_login(personas["admin"].user)
    data = {"rt": RT, "period": "2020-11-01", "status": "draft", **balanced_counts(pus=6, pil_swasta=6)}
    response = client.post(f"/admin/reports/monthlyreport/{opened.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert MonthlyReport.objects.values_list("pus", "version").get() == (6, 2)
    with pytest.raises(StaleReport) as refused:
        save(personas["kader"].user, opened.version, pus=7, pil_swasta=7)
    assert "sudah diubah oleh admin" in refused.value.message
