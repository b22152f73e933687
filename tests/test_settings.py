"""Settings come from the environment (docs/interfaces.md); checked in a fresh process each time."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_SECRET = "k8#2pQ!vZr7@Lm4$Wx9^Tn6&Yb3*Hc5(Ej1)Fg0-Ud8+Sa7=Ri2?Oq4"


def run(args, **env):
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly flags.
    dropped = ("DATABASE_URL", "HTTPS", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def settings_in(**env):
    code = (
        "from django.conf import settings as s; import json; print(json.dumps({k: getattr(s, k, None) for k in "
        "['DEBUG', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
        "'ALLOWED_HOSTS', 'CSRF_TRUSTED_ORIGINS', 'LANGUAGE_CODE', 'TIME_ZONE']}))"
    )
    result = run(["shell", "--no-imports", "-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_deploy_check_is_clean_in_production_settings():
    result = run(["check", "--deploy", "--fail-level", "WARNING"],
                 DEBUG="0", HTTPS="1", SECRET_KEY=REAL_SECRET, ALLOWED_HOSTS="kb.example.go.id")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_plain_http_works_without_https():
    values = settings_in(DEBUG="0", SECRET_KEY=REAL_SECRET)
    assert values["DEBUG"] is False
    assert not values["SECURE_SSL_REDIRECT"]
    assert not values["SESSION_COOKIE_SECURE"]
    assert not values["SECURE_HSTS_SECONDS"]


def test_https_turns_on_secure_cookies_redirect_and_hsts():
    values = settings_in(HTTPS="1", ALLOWED_HOSTS="a.example,b.example", CSRF_TRUSTED_ORIGINS="https://a.example")
    assert values["SECURE_SSL_REDIRECT"] and values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] > 0
    assert values["ALLOWED_HOSTS"] == ["a.example", "b.example"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://a.example"]


def test_the_language_is_indonesian_and_the_time_jakarta():
    values = settings_in()
    assert values["LANGUAGE_CODE"] == "id" and values["TIME_ZONE"] == "Asia/Jakarta"


def test_debug_0_without_collectstatic_serves_pages_with_plain_static_names(tmp_path):
    """No manifest collected yet: the login page and its stylesheet still answer 200, not 500."""
    code = (
        "from django.test import Client; c = Client(); r = c.get('/accounts/login/'); "
        "s = c.get('/static/css/app.css'); print(r.status_code, s.status_code, '/static/css/app.css' in r.content.decode())"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "STATIC_MANIFEST", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env = {**clean, "DEBUG": "0", "SECRET_KEY": REAL_SECRET, "ALLOWED_HOSTS": "testserver", "STATIC_ROOT": str(tmp_path)}
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "200", "True"]
