from datetime import timedelta

from django.urls import reverse

from tests.factories import PASSWORD, make_user


def test_the_login_page_is_in_indonesian(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert "Masuk ke Kampung KB" in body
    assert 'lang="id"' in body


def test_a_user_logs_in_with_username_and_password(client, personas):
    response = client.post("/accounts/login/", {"username": "pkb", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    assert "Desa Wilayah 32.14.01.2001" in client.get("/").content.decode()


def test_a_wrong_password_re_renders_the_form(client, personas):
    response = client.post("/accounts/login/", {"username": "pkb", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, personas):
    client.force_login(personas["pkb"].user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get("/").status_code == 302


def test_a_new_account_must_change_its_password_first(client, tree):
    user = make_user("baru", "kader", "32.14.01.2001", must_change_password=True)
    client.force_login(user)

    response = client.get("/wilayah/32.14.01.2001/2020-11/")
    assert response.status_code == 302 and response.url == reverse("password_change")

    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Kader-Desa-2026!", "new_password2": "Kader-Desa-2026!",
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password("Kader-Desa-2026!")
    assert client.get("/wilayah/32.14.01.2001/2020-11/").status_code == 200


def test_a_weak_new_password_is_refused_in_indonesian(client, tree):
    user = make_user("baru", "kader", "32.14.01.2001", must_change_password=True)
    client.force_login(user)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678",
    })
    assert response.status_code == 200
    assert "terlalu umum" in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_not_found_pages_are_in_indonesian_and_name_nothing(client, personas):
    client.force_login(personas["kader"].user)
    response = client.get("/wilayah/32.14.02.2001/2020-11/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    assert "32.14.02.2001" not in response.content.decode()


def test_five_failures_lock_the_username_for_15_minutes(client, personas):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "pkb", "password": "salah"})
    response = client.post("/accounts/login/", {"username": "pkb", "password": PASSWORD})
    assert response.status_code == 200  # the form again, not a session
    assert "dikunci selama 15 menit" in response.content.decode()
    assert 'name="password"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_per_username(client, personas):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "pkb", "password": "salah"})
    response = client.post("/accounts/login/", {"username": "opd", "password": PASSWORD})
    assert response.status_code == 302


def test_behind_the_proxy_the_lockout_is_per_client_not_for_everyone(client, personas, settings):
    settings.PROXY_COUNT = 1  # HTTPS=1: every connection comes from the proxy, 127.0.0.1
    attacker = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.9", "REMOTE_ADDR": "127.0.0.1"}
    for _ in range(5):
        client.post("/accounts/login/", {"username": "pkb", "password": "salah"}, **attacker)
    assert "dikunci" in client.post("/accounts/login/", {"username": "pkb", "password": PASSWORD},
                                    **attacker).content.decode()
    office = {"HTTP_X_FORWARDED_FOR": "203.0.113.7", "REMOTE_ADDR": "127.0.0.1"}
    assert client.post("/accounts/login/", {"username": "pkb", "password": PASSWORD}, **office).status_code == 302


def test_the_lockout_ends_after_15_minutes(client, personas):
    from axes.models import AccessAttempt

    for _ in range(5):
        client.post("/accounts/login/", {"username": "pkb", "password": "salah"})
    AccessAttempt.objects.update(attempt_time=F_minutes_ago(16))
    response = client.post("/accounts/login/", {"username": "pkb", "password": PASSWORD})
    assert response.status_code == 302


def F_minutes_ago(minutes):
    from datetime import timedelta

    from django.utils import timezone
    return timezone.now() - timedelta(minutes=minutes)


def test_pages_carry_a_strict_content_security_policy(client, personas):
    client.force_login(personas["pkb"].user)
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline' " not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_login_warns_after_three_failures_how_many_tries_are_left(client, personas):
    for attempt in range(1, 5):
        body = client.post("/accounts/login/", {"username": "pkb", "password": "salah"}).content.decode()
        if attempt < 3:
            assert "percobaan lagi" not in body
    assert "Sisa 1 percobaan lagi sebelum akun dikunci 15 menit" in body


def test_every_page_offers_a_password_change_and_a_favicon(client, personas):
    client.force_login(personas["kader"].user)
    body = client.get("/").content.decode()
    assert reverse("password_change") in body and "Ganti kata sandi" in body
    assert 'rel="icon" href="/static/favicon.svg"' in body


def test_the_locked_out_page_says_until_when(client, personas):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(5):
        client.post("/accounts/login/", {"username": "pkb", "password": "salah"})
    last = AccessAttempt.objects.get(username="pkb").attempt_time
    response = client.post("/accounts/login/", {"username": "pkb", "password": PASSWORD})
    until = timezone.localtime(last + timedelta(minutes=15)).strftime("%H:%M")
    assert f"Coba lagi setelah pukul {until}." in response.content.decode()


def test_favicon_ico_redirects_to_the_static_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url == "/static/favicon.svg"
    from django.contrib.staticfiles import finders
    assert open(finders.find("favicon.svg")).read().startswith("<svg")


def test_a_wrong_current_password_counts_towards_the_lockout(client, personas):
    client.force_login(personas["pkb"].user)
    data = {"old_password": "salah", "new_password1": "Kader-Desa-2026!", "new_password2": "Kader-Desa-2026!"}
    for _attempt in range(5):
        assert client.post(reverse("password_change"), data).status_code == 200
    response = client.post(reverse("password_change"), {**data, "old_password": PASSWORD})
    assert "dikunci" in response.content.decode()
    assert "_auth_user_id" not in client.session  # logged out, password unchanged
    personas["pkb"].user.refresh_from_db()
    assert personas["pkb"].user.check_password(PASSWORD)
    refused = client.post("/accounts/login/", {"username": "pkb", "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session


def test_pages_and_downloads_for_a_logged_in_user_are_not_kept_by_caches(client, personas):
    client.force_login(personas["kader"].user)
    for url in ("/", "/register/32.14.01.2001.001.001/", "/register/32.14.01.2001.001.001/unduh.xlsx"):
        cache = client.get(url)["Cache-Control"]
        assert "private" in cache and "no-store" in cache, url


def test_pages_go_out_compressed(client, personas):
    client.force_login(personas["kader"].user)
    response = client.get("/laporan/32.14.01.2001.001.001/2020-11/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    import gzip

    assert "Laporan bulanan" in gzip.decompress(response.content).decode()
