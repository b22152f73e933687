"""The read replica (kampungkb/replica.py): which database each kind of request reads, reading
your own writes, and the primary whenever the standby is down or too far behind.

The `replica` alias always exists in tests (tests/conftest.py). On SQLite, and on a PostgreSQL
without a standby, it is a second connection to default's own test database: the tests see which
connection ran each query. Under `scripts/test.sh postgres` it is a real streaming standby
(REPLICA_DATABASE_URL); the tests marked `real_replica` then also check replication itself: a
committed write seen on the standby once replayed, old numbers served while it is behind within
the limit, the primary beyond it. Every test commits (transaction=True): a standby, or a second
connection, sees nothing a test transaction has not committed.
"""

import copy
import os
import socket
import time
from dataclasses import dataclass

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections, router, transaction
from django.http import HttpResponse
from django.test import Client

from cadres.models import IdempotencyKey, Unit, User
from kampungkb import replica
from reports.models import MonthlyReport
from tests.factories import PASSWORD
from tests.report_factories import make_report
from tests.report_form_data import report_post

REAL = bool(os.environ.get("REPLICA_DATABASE_URL"))
real_replica = pytest.mark.skipif(not REAL, reason="needs a streaming standby: scripts/test.sh postgres")
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

RT = "32.14.01.2001.001.001"
DESA = "32.14.01.2001"
PAUSE_LOCK = 73_614  # an advisory lock: one test at a time pauses the standby shared by the xdist workers


# --- helpers -----------------------------------------------------------------------------------


def wait_for_replay(timeout: float = 30.0) -> None:
    """Returns once the standby has replayed everything committed on the primary so far (no-op
    without a real standby). The primary writes a WAL message now; its position is where the
    standby's pg_last_wal_replay_lsn() must reach. Polled, never slept."""
    if not REAL:
        return
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_logical_emit_message(false, 'kampungkb-tests', 'replay')")
        (position,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    while True:
        try:
            with connections["replica"].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
                if cursor.fetchone()[0]:
                    return
        except OperationalError:  # the test database itself not replayed yet
            connections["replica"].close()
        assert time.monotonic() < deadline, f"the standby did not replay {position} within {timeout:g} s"


def closed_port() -> int:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        return listener.getsockname()[1]


@dataclass
class Served:
    """A response and the SQL each database ran for it."""

    response: object
    primary: list[str]
    standby: list[str]

    def read(self, database: str, table: str) -> bool:
        """Whether "primary" or "standby" read that table."""
        return any(f'"{table}"' in sql for sql in getattr(self, database))

    def reports_from(self) -> str:
        """Which database read the reports: "standby", "primary" (or "both"/"none", both wrong)."""
        where = [name for name, queries in (("standby", self.standby), ("primary", self.primary))
                 if any('"reports_' in sql for sql in queries)]
        return where[0] if len(where) == 1 else ("both" if where else "none")


def request(client, method: str, url: str, data=None) -> Served:
    """The request, with the SQL each connection ran (Django's execute_wrapper: nothing connects)."""
    primary, standby = [], []

    def recorder(queries):
        def record(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)
        return record

    with connections["default"].execute_wrapper(recorder(primary)), \
            connections["replica"].execute_wrapper(recorder(standby)):
        response = client.get(url) if method == "get" else client.post(url, data or {})
    return Served(response, primary, standby)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def recap_url(code=DESA, period="2020-11", name="rekap.json") -> str:
    return f"/wilayah/{code}/{period}/{name}"


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def reports(tree):
    make_report(RT, "2020-11", pus=30, suntik_pemerintah=20, iat=3, pb_suntik=2)
    make_report("32.14.01.2001.001.002", "2020-11", pus=10, iud_swasta=4)


@pytest.fixture
def routing(settings, personas, reports):
    """The router and its middleware on (as with REPLICA_DATABASE_URL), the data replayed. The
    tests wait for the replay themselves, so any lag will do, except where a test says otherwise:
    another xdist worker may hold the shared standby paused for a moment (`replay_paused`)."""
    settings.DATABASE_ROUTERS = ["kampungkb.replica.ReplicaRouter"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "kampungkb.replica.ReplicaMiddleware"]
    settings.REPLICA_MAX_LAG, settings.REPLICA_PIN_SECONDS = 3600.0, 3.0
    replica.forget_reading()
    wait_for_replay()
    yield personas
    replica.forget_reading()
    connections["replica"].close()


@pytest.fixture
def replay_paused(routing):
    """With a real standby: its replay paused (pg_wal_replay_pause) until the test ends, so that
    what the test writes now is on the primary only. False without one (nothing can lag)."""
    if not REAL:
        yield False
        return
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [PAUSE_LOCK])
    try:
        wait_for_replay()
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_pause()")
        yield True
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [PAUSE_LOCK])


@pytest.fixture
def replica_down(routing):
    """The replica alias pointed at a closed port (PostgreSQL) or at a file that cannot be opened."""
    working = connections["replica"]
    broken = copy.deepcopy(working.settings_dict)
    if working.vendor == "postgresql":
        broken["PORT"] = closed_port()
    else:
        broken["NAME"] = "file:/nonexistent/kampungkb-replica.sqlite3?mode=ro"
    connections["replica"] = type(working)(broken, "replica")
    yield
    connections["replica"].close()
    connections["replica"] = working


# --- the router's choice, per kind of request --------------------------------------------------


def test_a_dashboard_reads_the_standby(routing):
    served = request(logged_in(routing["pkb"].user), "get", f"/wilayah/{DESA}/2020-11/")
    assert served.response.status_code == 200
    assert served.reports_from() == "standby"
    assert served.read("standby", "cadres_unit")


def test_the_recap_json_reads_the_standby_with_the_right_numbers(routing):
    served = request(logged_in(routing["pkb"].user), "get", recap_url())
    assert served.response.status_code == 200
    recap = served.response.json()
    assert (recap["pus"], recap["pa"], recap["reports"]) == (40, 24, {"expected": 2, "received": 2})
    assert served.reports_from() == "standby"


@pytest.mark.parametrize("name", ["rekap.pdf", "rekap.xlsx", "rekap.dhis2.json", "lokakarya.pdf"])
def test_exports_read_the_standby(routing, name):
    served = request(logged_in(routing["pkb"].user), "get", recap_url(name=name))
    assert served.response.status_code == 200
    assert served.reports_from() == "standby"


def test_the_register_workbook_reads_the_standby_and_logs_on_the_primary(routing):
    client = logged_in(routing["kader"].user)
    served = request(client, "get", f"/register/{RT}/unduh.xlsx")
    assert served.response.status_code == 200
    assert served.read("standby", "cadres_couple") and not served.read("primary", "cadres_couple")
    assert any(sql.startswith('INSERT INTO "cadres_exportlog"') for sql in served.primary)
    assert replica.WROTE_AT in client.session  # a write, even in a GET: the session reads the primary


def test_sessions_and_accounts_are_read_on_the_primary_even_by_a_standby_page(routing):
    served = request(logged_in(routing["kader"].user), "get", recap_url(RT))
    assert served.reports_from() == "standby"
    for table in ("django_session", "cadres_user_units"):
        assert served.read("primary", table) and not served.read("standby", table)
    assert not any('FROM "cadres_user"' in sql for sql in served.standby)


def test_a_post_reads_and_writes_the_primary_and_keeps_the_session_there(routing):
    client = logged_in(routing["kader"].user)
    served = request(client, "post", f"/laporan/{RT}/2020-12/", report_post(0, pus=5, pil_swasta=5))
    assert served.response.status_code == 302
    assert served.standby == []
    assert MonthlyReport.objects.filter(rt_id=RT, period="2020-12-01", pus=5).exists()
    assert time.time() - client.session[replica.WROTE_AT] < 60


def test_a_get_right_after_a_post_reads_the_primary_until_the_pin_ends(routing):
    client = logged_in(routing["kader"].user)
    assert client.post(f"/laporan/{RT}/2020-12/", report_post(0, pus=5, pil_swasta=5)).status_code == 302
    after = request(client, "get", recap_url(RT))
    assert after.response.status_code == 200
    assert after.reports_from() == "primary" and after.standby == []
    session = client.session
    session[replica.WROTE_AT] = time.time() - 3.5  # the pin (3 s here) is over
    session.save()
    wait_for_replay()
    later = request(client, "get", recap_url(RT))
    assert later.response.json()["pus"] == 30 and later.reports_from() == "standby"


def test_the_pkb_verification_queue_reads_the_primary(routing):
    served = request(logged_in(routing["pkb"].user), "get", f"/verifikasi/{DESA}/2020-11/")
    assert served.response.status_code == 200
    assert served.standby == [] and served.reports_from() == "primary"


def test_the_admin_reads_the_primary(routing):
    client = logged_in(routing["admin"].user)
    for url in ("/admin/", "/admin/cadres/unit/", "/admin/reports/monthlyreport/"):
        served = request(client, "get", url)
        assert served.response.status_code == 200, url
        assert served.standby == [], url


def test_logging_in_uses_the_primary_and_keeps_the_new_session_there(routing):
    client = Client()
    form = request(client, "get", "/accounts/login/")
    login = request(client, "post", "/accounts/login/", {"username": "kader", "password": PASSWORD})
    assert form.response.status_code == 200 and login.response.status_code == 302
    assert form.standby == [] and login.standby == []
    assert replica.WROTE_AT in client.session
    assert request(client, "get", recap_url(RT)).reports_from() == "primary"


def test_the_router_outside_and_inside_a_request(routing, rf):
    """Outside a request everything is default; in a request reading the standby, the models of
    accounts, sessions and idempotency keys, a user's own units, and any read inside a transaction
    still read the primary; every write goes to the primary; migrations only there."""
    user = routing["kader"].user
    assert router.db_for_read(MonthlyReport) == "default"
    seen = {}

    def view(request):
        replica.current().alias = replica.REPLICA  # as the middleware decides for a fresh standby
        seen["reports"] = router.db_for_read(MonthlyReport)
        seen["units"] = router.db_for_read(Unit)
        seen["user"] = router.db_for_read(User)
        seen["session"] = router.db_for_read(Session)
        seen["idempotency key"] = router.db_for_read(IdempotencyKey)
        seen["a user's units"] = router.db_for_read(Unit, instance=user)
        with transaction.atomic():
            seen["in a transaction"] = router.db_for_read(MonthlyReport)
        seen["write"] = router.db_for_write(MonthlyReport)
        return HttpResponse()

    replica.ReplicaMiddleware(view)(rf.get("/"))
    assert seen == {"reports": "replica", "units": "replica", "user": "default", "session": "default",
                    "idempotency key": "default", "a user's units": "default", "in a transaction": "default",
                    "write": "default"}
    assert router.allow_migrate("default", "reports") and not router.allow_migrate("replica", "reports")
    standby_unit = Unit.objects.using("replica").get(code=RT)
    assert router.allow_relation(standby_unit, user)


# --- read your own writes --------------------------------------------------------------------


def test_a_cadre_sees_her_sent_report_at_once_even_while_the_standby_is_behind(routing, replay_paused):
    # The standby may be far behind (REPLICA_MAX_LAG is an hour here): only the pin keeps her on the primary.
    kader = logged_in(routing["kader"].user)
    answer = kader.post(f"/laporan/{RT}/2020-12/", report_post(0, action="submit", pus=6, pil_swasta=6))
    assert answer.status_code == 302 and answer.url == f"/laporan/{RT}/2020-12/kirim/"
    sent = kader.post(answer.url, {"version": "1"})
    assert sent.status_code == 302
    assert "Laporan dikirim ke PKB/PLKB." in kader.get(sent.url).content.decode()
    mine = request(kader, "get", recap_url(RT, "2020-12"))
    assert mine.reports_from() == "primary"
    assert (mine.response.json()["pus"], mine.response.json()["reports"]["received"]) == (6, 1)
    # Her PKB, who wrote nothing, reads the standby: behind, it has not the report yet.
    theirs = request(logged_in(routing["pkb"].user), "get", recap_url(RT, "2020-12"))
    assert theirs.reports_from() == "standby"
    assert theirs.response.json()["reports"]["received"] == (0 if replay_paused else 1)


# --- the standby down or behind ----------------------------------------------------------------


def test_a_standby_that_is_down_is_not_used_and_the_page_answers(routing, replica_down):
    served = request(logged_in(routing["pkb"].user), "get", recap_url())
    assert served.response.status_code == 200
    assert served.response.json()["pus"] == 40
    assert served.reports_from() == "primary" and served.standby == []
    assert not replica.replica_is_fresh()  # kept: the next requests do not try it again at once


def test_a_standby_failing_inside_the_view_is_retried_on_the_primary(routing, replica_down, monkeypatch):
    monkeypatch.setattr(replica, "measure_lag", lambda: 0.0)  # it looked fresh when the request began
    served = request(logged_in(routing["pkb"].user), "get", recap_url())
    assert served.response.status_code == 200
    assert served.response.json()["pus"] == 40
    assert served.reports_from() == "primary"
    assert not replica.replica_is_fresh()


@pytest.mark.parametrize("lag, source", [(60.0, "primary"), (None, "primary"), (1.0, "standby")])
def test_a_standby_behind_the_limit_is_not_used(routing, monkeypatch, settings, lag, source):
    settings.REPLICA_MAX_LAG = 3.0
    monkeypatch.setattr(replica, "measure_lag", lambda: lag)
    served = request(logged_in(routing["pkb"].user), "get", recap_url())
    assert served.response.status_code == 200
    assert served.response.json()["pus"] == 40
    assert served.reports_from() == source


def test_a_kept_measurement_ages_until_measured_again(routing, monkeypatch, settings):
    """Kept for a second, a lag counts its own age: 2.5 s measured 0.9 s ago is 3.4 s, beyond 3."""
    settings.REPLICA_MAX_LAG = 3.0
    monkeypatch.setattr(replica, "measure_lag", lambda: 10.0)  # if it measured again: still beyond
    replica._remember_reading(time.monotonic() - 0.9, 2.5)
    assert not replica.replica_is_fresh()
    monkeypatch.setattr(replica, "measure_lag", lambda: 0.0)
    replica._remember_reading(time.monotonic(), 2.0)
    assert replica.replica_is_fresh()


# --- real streaming replication ----------------------------------------------------------------


@real_replica
def test_a_committed_write_is_seen_on_the_standby_once_replayed(routing):
    report = make_report(RT, "2021-01", pus=7, pil_swasta=7)
    wait_for_replay()
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
    standby_copy = MonthlyReport.objects.using("replica").get(pk=report.pk)
    assert (standby_copy.pus, standby_copy.pil_swasta, standby_copy.version) == (7, 7, report.version)
    assert replica.measure_lag() is not None


@real_replica
def test_a_page_is_served_by_the_standby_server(routing):
    standby, primary = connections["replica"].settings_dict, connections["default"].settings_dict
    assert (standby["HOST"], standby["PORT"]) != (primary["HOST"], primary["PORT"])
    served = request(logged_in(routing["opd"].user), "get", recap_url("32.14"))
    assert served.response.status_code == 200 and served.reports_from() == "standby"
    assert served.response.json()["pus"] == 40


@real_replica
def test_a_standby_behind_serves_old_numbers_within_the_limit_and_the_primary_beyond(
        routing, replay_paused, settings):
    make_report(RT, "2020-10", pus=9, pil_swasta=9)  # on the primary only: the standby is paused
    pkb = logged_in(routing["pkb"].user)
    assert replica.measure_lag() is not None and replica.measure_lag() >= 0
    old = request(pkb, "get", recap_url(RT, "2020-10"))
    assert old.reports_from() == "standby" and old.response.json()["reports"]["received"] == 0
    settings.REPLICA_MAX_LAG = 0.0
    replica.forget_reading()
    new = request(pkb, "get", recap_url(RT, "2020-10"))
    assert new.reports_from() == "primary" and new.response.json()["pus"] == 9
