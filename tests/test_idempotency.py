"""cadres.idempotency: a form sent twice with the same key (a phone resending its offline outbox)
is applied once; the second answer is the first redirect, marked `X-Idempotent-Replay: 1`."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cadres.idempotency import key_of
from cadres.models import Couple, IdempotencyKey, Role, Unit
from cadres.register import views as register_views
from reports.models import MonthlyReport
from reports.monthly.workflow import report_save_draft
from tests.factories import make_user
from tests.register_factories import make_couple
from tests.report_factories import balanced_counts
from tests.report_form_data import report_post

RT = "32.14.01.2001.001.001"
NOV = datetime.date(2020, 11, 1)
REPORT = f"/laporan/{RT}/2020-11/"
SEND = f"/laporan/{RT}/2020-11/kirim/"
KEY = "outbox-0001_abc"
BUSY = "sedang diproses"


@pytest.fixture
def kader(client, personas):
    client.force_login(personas["kader"].user)
    return client


def add_form(**fields):
    return {"wife_name": "Nining", "wife_birth_date": "1995-04-02", "husband_name": "Ujang", "children": "1",
            "registered_on": "2024-01-10", "status": "pil", "place": "pemerintah", **fields}


def add(client, key=KEY, rt=RT, **fields):
    return client.post(reverse("couple_add", args=[rt]), add_form(idempotency_key=key, **fields))


def is_replay(response, url):
    return response.status_code == 302 and response.url == url and response["X-Idempotent-Replay"] == "1"


def test_a_couple_added_twice_with_the_same_key_is_added_once(kader):
    first = add(kader)
    couple = Couple.objects.get()
    assert first.status_code == 302 and first.url == reverse("couple_detail", args=[couple.pk])
    assert "X-Idempotent-Replay" not in first
    second = add(kader)
    assert is_replay(second, first.url)
    assert Couple.objects.count() == 1
    assert IdempotencyKey.objects.get().path == reverse("couple_add", args=[RT])


def test_the_key_may_come_as_a_header_and_the_form_field_wins(kader):
    kader.post(reverse("couple_add", args=[RT]), add_form(), headers={"X-Idempotency-Key": "from-header-1"})
    assert is_replay(kader.post(reverse("couple_add", args=[RT]), add_form(),
                                headers={"X-Idempotency-Key": "from-header-1"}), reverse("couple_detail", args=[Couple.objects.get().pk]))
    add(kader, key="from-field-1", wife_name="Euis")
    kader.post(reverse("couple_add", args=[RT]), add_form(idempotency_key="from-field-1"),
               headers={"X-Idempotency-Key": "from-header-2"})
    assert sorted(IdempotencyKey.objects.values_list("key", flat=True)) == ["from-field-1", "from-header-1"]
    assert Couple.objects.count() == 2


def test_the_report_saved_twice_with_the_same_key_is_one_version(kader, tree):
    first = kader.post(REPORT, {**report_post(0, pus=5, pil_swasta=5), "idempotency_key": KEY})
    assert first.status_code == 302 and first.url == REPORT
    second = kader.post(REPORT, {**report_post(0, pus=5, pil_swasta=5), "idempotency_key": KEY})
    assert is_replay(second, REPORT)
    report = MonthlyReport.objects.get()
    assert (report.version, report.history.count()) == (1, 1)


def test_the_report_sent_twice_with_the_same_key_is_sent_once(kader, personas):
    saved = report_save_draft(rt=Unit.objects.get(code=RT), period=NOV, counts=balanced_counts(pus=5, pil_swasta=5),
                              corrections={}, version=0, by=personas["kader"].user)
    first = kader.post(SEND, {"version": str(saved.version), "idempotency_key": KEY})
    second = kader.post(SEND, {"version": str(saved.version), "idempotency_key": KEY})
    assert first.status_code == 302 and first.url == REPORT and is_replay(second, REPORT)
    report = MonthlyReport.objects.get()
    assert (report.status, report.version, report.history.count()) == ("submitted", 2, 2)
    shown = [str(message) for message in kader.get(REPORT).context["messages"]]
    assert shown == ["Laporan dikirim ke PKB/PLKB."]  # no "changed since" refusal from the resend


def test_a_refused_send_keeps_no_key(kader, personas):
    saved = report_save_draft(rt=Unit.objects.get(code=RT), period=NOV, counts=balanced_counts(pus=5, pil_swasta=5),
                              corrections={}, version=0, by=personas["kader"].user)
    response = kader.post(SEND, {"version": str(saved.version + 1), "idempotency_key": KEY})
    assert response.status_code == 302 and "X-Idempotent-Replay" not in response
    assert not IdempotencyKey.objects.exists() and MonthlyReport.objects.get().status == "draft"


def test_a_stale_resend_with_a_fresh_key_is_the_conflict_and_changes_nothing(kader, tree):
    kader.post(REPORT, {**report_post(0, pus=5, pil_swasta=5), "idempotency_key": KEY})
    for _attempt in range(2):  # nothing kept after a conflict: the retry is checked again
        stale = kader.post(REPORT, {**report_post(0, pus=7, pil_swasta=7), "idempotency_key": "fresh-key-2"})
        assert stale.status_code == 409 and "X-Idempotent-Replay" not in stale
    report = MonthlyReport.objects.get()
    assert (report.version, report.pus) == (1, 5)
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == [KEY]


def test_keys_are_per_user(kader, client, personas):
    add(kader)
    other = Client()
    other.force_login(make_user("kader2", Role.KADER, RT))
    response = add(other, wife_name="Euis")
    assert response.status_code == 302 and "X-Idempotent-Replay" not in response
    assert sorted(Couple.objects.values_list("wife_name", flat=True)) == ["Euis", "Nining"]


def test_the_same_key_on_another_form_is_a_conflict(kader):
    add(kader)
    couple = Couple.objects.get()
    response = kader.post(reverse("couple_status", args=[couple.pk]),
                          {"status": "iat", "since": "2024-02-01", "idempotency_key": KEY})
    assert response.status_code == 409 and "formulir lain" in response.content.decode()
    assert couple.statuses.count() == 1


@pytest.mark.parametrize("key", ["short", "x" * 65, "with space", "kunci!12345", "ключ123456", "abcdefgh\n", ""])
def test_an_invalid_key_is_ignored(kader, key):
    assert key_of(type("R", (), {"POST": {"idempotency_key": key}, "META": {}})()) is None
    for _attempt in range(2):
        assert add(kader, key=key).status_code == 302
    assert Couple.objects.count() == 2 and not IdempotencyKey.objects.exists()


def test_a_key_after_a_form_with_errors_is_used_again(kader):
    response = add(kader, wife_name="")
    assert response.status_code == 200 and not IdempotencyKey.objects.exists()
    response = add(kader)
    assert response.status_code == 302 and "X-Idempotent-Replay" not in response
    assert Couple.objects.count() == 1


def test_a_key_the_unique_constraint_finds_in_progress_is_a_409_not_a_500(kader, personas):
    """The row another request inserted, seen before it knows its answer: 'sedang diproses'."""
    IdempotencyKey.objects.create(user=personas["kader"].user, key=KEY, path=reverse("couple_add", args=[RT]))
    response = add(kader)
    assert response.status_code == 409 and BUSY in response.content.decode()
    assert not Couple.objects.exists()


def test_keys_older_than_30_days_are_forgotten(kader, personas):
    IdempotencyKey.objects.create(user=personas["kader"].user, key=KEY, path=reverse("couple_add", args=[RT]),
                                  url="/old/", created=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    response = add(kader)
    assert response.status_code == 302 and "X-Idempotent-Replay" not in response
    assert Couple.objects.count() == 1 and IdempotencyKey.objects.get().url != "/old/"


def test_every_cadre_write_view_replays_a_kept_key(kader, personas):
    couple = make_couple(RT)
    paths = [reverse("couple_add", args=[RT]), reverse("couple_status", args=[couple.pk]),
             reverse("couple_repeat", args=[couple.pk]), reverse("counselling_new", args=[couple.pk]),
             REPORT, SEND, reverse("activity_new", args=["32.14.01.2001", "2020-11"])]
    for number, path in enumerate(paths):
        key = f"kept-key-{number}"
        IdempotencyKey.objects.create(user=personas["kader"].user, key=key, path=path, url=f"/done/{number}/")
        assert is_replay(kader.post(path, {"idempotency_key": key}), f"/done/{number}/"), path
    assert couple.statuses.count() == 1 and not MonthlyReport.objects.exists()


def test_logout_clears_the_offline_copies(kader):
    response = kader.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_add_one_couple(personas, monkeypatch):
    """Two threads post the same key together; on PostgreSQL the second's insert waits for the
    first's commit, then answers the replay."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database is one connection's; the lock path is tested above")
    slow_add = register_views.couple_add

    def couple_add(**fields):
        time.sleep(0.3)
        return slow_add(**fields)

    monkeypatch.setattr(register_views, "couple_add", couple_add)
    responses, together = [], threading.Barrier(2)

    def post():
        client = Client()
        client.force_login(personas["kader"].user)
        together.wait()
        responses.append(add(client))
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in responses) == [302, 302]
    assert sum(r.has_header("X-Idempotent-Replay") for r in responses) == 1
    assert Couple.objects.count() == 1
