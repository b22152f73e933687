def test_a_kader_logs_in_on_a_phone_and_sees_their_rt(personas, login, live_server):
    page = login(personas["kader"].user)
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Tugas Anda"
    assert "32.14.01.2001.001.001" in page.locator(".task-card").inner_text()
    # Nothing wider than the phone: no sideways scrolling on the home page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_wrong_password_shows_an_indonesian_message(personas, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "kader")
    page.fill("input[name=password]", "salah")
    page.click("button[type=submit]")
    assert "kata sandi salah" in page.locator(".alert-danger").inner_text()
