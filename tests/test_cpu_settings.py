"""Settings the CPU per request depends on (docs/cpu.md): compiled templates are kept, and the
session is not written on every request."""

from django.conf import settings
from django.template import engines


def test_templates_are_compiled_once_per_process():
    loaders = engines["django"].engine.template_loaders
    assert [type(loader).__name__ for loader in loaders] == ["Loader"]
    assert type(loaders[0]).__module__ == "django.template.loaders.cached"


def test_the_session_refresh_runs_before_the_session_middleware_saves():
    sessions = settings.MIDDLEWARE.index("kampungkb.sessions.SessionMiddleware")
    assert settings.MIDDLEWARE[sessions + 1] == "kampungkb.session_refresh.SessionRefreshMiddleware"
