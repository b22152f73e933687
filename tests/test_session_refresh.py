"""A session ends after SESSION_COOKIE_AGE (8 h) without a request, though it is written at most
once in SESSION_REFRESH_AFTER (5 min), not on every page (kampungkb/session_refresh.py). The
clock is Django's `timezone.now`, moved by hand."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PASSWORD

START = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)
AGE = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
REFRESH = datetime.timedelta(seconds=settings.SESSION_REFRESH_AFTER)


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    clock = Clock()
    with mock.patch("django.utils.timezone.now", clock):
        yield clock


@pytest.fixture
def kader(client, personas, clock):
    response = client.post("/accounts/login/", {"username": "kader", "password": PASSWORD})
    assert response.status_code == 302
    return client


def expiry() -> datetime.datetime:
    return Session.objects.get().expire_date


def session_writes(client, path="/") -> tuple[int, int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    return response.status_code, len(writes), response


def test_the_defaults_are_8_hours_idle_and_a_write_at_most_every_5_minutes():
    assert (settings.SESSION_COOKIE_AGE, settings.SESSION_REFRESH_AFTER) == (8 * 3600, 300)
    assert not settings.SESSION_SAVE_EVERY_REQUEST


def test_pages_within_the_refresh_interval_do_not_write_the_session(kader, clock):
    assert expiry() == START + AGE
    for minutes in (1, 2, 4):
        clock.now = START + datetime.timedelta(minutes=minutes)
        status, writes, response = session_writes(kader)
        assert (status, writes) == (200, 0)
        assert settings.SESSION_COOKIE_NAME not in response.cookies  # the phone keeps its cookie
    assert expiry() == START + AGE


def test_a_page_after_the_refresh_interval_moves_the_expiry_to_8_hours_from_now(kader, clock):
    clock.now = START + REFRESH + datetime.timedelta(seconds=1)
    status, writes, response = session_writes(kader)
    assert (status, writes) == (200, 1)
    assert expiry() == clock.now + AGE
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_user_working_for_hours_stays_logged_in(kader, clock):
    for minutes in range(4, 12 * 60, 4):  # a page every 4 minutes for 12 hours
        clock.now = START + datetime.timedelta(minutes=minutes)
        assert kader.get("/").status_code == 200
    assert expiry() >= clock.now + AGE - REFRESH


def test_the_session_ends_8_hours_after_the_last_request_not_before(kader, clock):
    last = START + datetime.timedelta(hours=3)
    clock.now = last
    assert kader.get("/").status_code == 200
    for minutes in (1, 3):  # within the refresh interval: not written, still counted from `last`
        clock.now = last + datetime.timedelta(minutes=minutes)
        assert kader.get("/").status_code == 200
    last = clock.now
    clock.now = last + AGE - REFRESH - datetime.timedelta(seconds=1)
    assert kader.get("/").status_code == 200  # 7 h 55 min idle: still in
    last = clock.now
    clock.now = last + AGE + datetime.timedelta(seconds=1)
    response = kader.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_logging_out_still_ends_the_session_at_once(kader, clock):
    clock.now = START + datetime.timedelta(minutes=1)
    assert kader.post("/accounts/logout/").status_code == 302
    assert Session.objects.count() == 0
    response = kader.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_an_anonymous_visit_makes_no_session(client, db):
    status, writes, _ = session_writes(client, "/accounts/login/")
    assert (status, writes) == (200, 0)
    assert Session.objects.count() == 0
