"""Every URL the project has, walked from the URL patterns, for every persona, in and out of scope.

A new URL cannot slip past: a pattern that is not classified below fails the first test.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reports.periods import current_period, period_str

# Pages for anyone, logged in or not.
PUBLIC = {"login", "healthz"}
# Pages about the user themselves: logged-in users get 200, nobody else's data is on them.
PERSONAL = {"home", "password_change", "password_change_done"}
# Pages that only answer POST.
POST_ONLY = {"logout"}
PERIOD = "2020-11"


def walk(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: staff only, tested in test_admin.py
            yield from walk(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern


def named_patterns():
    return {pattern.name: pattern for pattern in walk(get_resolver().url_patterns)}


def scoped_names():
    return sorted(name for name, pattern in named_patterns().items() if "code" in pattern.pattern.converters)


def sample_url(name, code):
    """A concrete URL for a scoped pattern; every kwarg needs a sample here."""
    samples = {"code": code, "period": PERIOD}
    kwargs = {}
    for kwarg in named_patterns()[name].pattern.converters:
        assert kwarg in samples, f"add a sample value for <{kwarg}> of URL {name!r} to this test"
        kwargs[kwarg] = samples[kwarg]
    return reverse(name, kwargs=kwargs)


def test_every_url_is_classified():
    unnamed = [str(pattern.pattern) for pattern in walk(get_resolver().url_patterns) if not pattern.name]
    assert unnamed == [], "every URL needs a name so that this test can check it"
    unclassified = set(named_patterns()) - PUBLIC - PERSONAL - POST_ONLY - set(scoped_names())
    assert unclassified == set(), "classify these URLs in test_urls_scope.py"


def test_there_are_scoped_urls_to_check():
    assert {"dashboard"} <= set(scoped_names())


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_urls_answer_everyone(client, db, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", sorted(PERSONAL))
def test_personal_urls_need_a_login(client, personas, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for persona in personas.values():
        client.force_login(persona.user)
        assert client.get(url).status_code == 200, persona.user.username


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_urls_refuse_get(client, personas, name):
    client.force_login(personas["kader"].user)
    assert client.get(reverse(name)).status_code == 405


def scoped_cases():
    for name in scoped_names():
        for persona in ["kader", "pkb", "opd", "admin", "outsider"]:
            yield name, persona


@pytest.mark.parametrize("name, persona_name", list(scoped_cases()))
def test_scoped_urls_answer_only_inside_the_scope(client, personas, name, persona_name):
    persona = personas[persona_name]
    anonymous = client.get(sample_url(name, persona.inside))
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))

    client.force_login(persona.user)
    assert client.get(sample_url(name, persona.inside)).status_code == 200
    if persona.outside:
        response = client.get(sample_url(name, persona.outside))
        assert response.status_code in (403, 404)
        assert persona.outside not in response.content.decode()


@pytest.mark.parametrize("name", scoped_names())
def test_scoped_urls_are_404_for_unknown_units_and_bad_periods(client, personas, name):
    client.force_login(personas["admin"].user)
    assert client.get(sample_url(name, "99.99")).status_code == 404
    good = sample_url(name, "32.14")
    assert client.get(good.replace(PERIOD, "2020-13")).status_code == 404


def test_the_home_page_links_to_the_current_month(client, personas):
    client.force_login(personas["pkb"].user)
    body = client.get("/").content.decode()
    assert f"/wilayah/32.14.01.2001/{period_str(current_period())}/" in body
    assert f"/wilayah/32.14.01.2002/{period_str(current_period())}/" in body
    assert "32.14.02" not in body
