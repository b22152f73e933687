"""What the form fuzz tests share: odd values, a strategy that damages a valid POST, and
checks that a refusal wrote nothing and said why (see test_form_fuzz_register.py and
test_form_fuzz_pages.py)."""

from django.contrib.messages import get_messages
from django.test import Client
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from cadres.models import Couple, CoupleStatus

RT = "32.14.01.2001.001.001"
NIK = "3214014505900001"
ODD_TEXT = ["", " ", "\u200b", "\u200f\u202eabc", "עברית", "مرحبا", "🙂", "ⓢⓘⓣⓘ", "\x00", "a\x00b", "=1+1",
            '=HYPERLINK("http://x")', "<script>alert(1)</script>", "'; DROP TABLE cadres_couple; --", "a" * 5000,
            "%", "_", "\\", "None", "true", "[]"]
ODD_NUMBERS = ["0", "-1", "1.5", "1.0", "1e3", str(10**30), "-" + str(10**30), "2147483648", "32768", "NaN",
               "inf", "٣", "２", "0x10"]
ODD_DATES = ["2020-02-30", "0000-00-00", "99999-01-01", "0001-01-01", "1900-01-01", "9999-12-31", "2020-13-01",
             "30/11/2020", "2020-11", "2100-01-01", "2019-01-01", "1970-01-01", "2020-1-5"]
odd_scalars = st.one_of(
    st.sampled_from(ODD_TEXT + ODD_NUMBERS + ODD_DATES),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
)
odd_values = st.one_of(odd_scalars, st.lists(odd_scalars, min_size=2, max_size=3))


@st.composite
def posts(draw, valid: dict, odd=odd_values):
    """The valid body with none, a few or all of its fields replaced by odd values or left out,
    and now and then a field nobody asked for. Like a browser's, it always has a CSRF token (the
    test client does not check it), so that it is never an empty POST."""
    names = sorted(valid)
    damaged = draw(st.sets(st.sampled_from(names), max_size=draw(st.sampled_from([0, 1, 2, len(names)]))))
    data = {"csrfmiddlewaretoken": "x"}
    for name in names:
        if name not in damaged:
            data[name] = valid[name]
        elif draw(st.booleans()):
            data[name] = draw(odd)
    if draw(st.integers(0, 7)) == 0:
        data[draw(st.text(min_size=1, max_size=10))] = draw(odd_values)
    return data


def fuzz(max_examples):
    return settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def is_ours(url) -> bool:
    """A redirect stays on this site, whatever `next` said."""
    return url_has_allowed_host_and_scheme(url, {"testserver"})


def new_messages(response) -> list[str]:
    """The messages of a request made after `forget_messages`: only those it added."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def forget_messages(client):
    """Drops the messages no page has shown yet (the test client follows no redirect)."""
    client.cookies.pop("messages", None)


def rows(model, **filters):
    """A fingerprint of a table: every row's values, and its history rows'."""
    values = list(model.objects.filter(**filters).order_by("pk").values())
    return values, model.history.count() if hasattr(model, "history") else None


def register_state():
    return rows(Couple), rows(CoupleStatus)


def names_a_field(response) -> bool:
    """The page has the register's error list with at least one line."""
    body = response.content.decode()
    return 'class="mb-0 form-error-list">' in body and "<li>" in body.split("form-error-list", 1)[1]


def check_register_invariants(pk):
    """What an accepted form may leave: a valid couple whose statuses start on or after registering."""
    couple = Couple.objects.get(pk=pk)
    couple.full_clean()
    statuses = list(couple.statuses.order_by("since"))
    assert statuses and statuses[0].since >= couple.registered_on
    assert [row.until for row in statuses] == [row.since for row in statuses[1:]] + [None]
