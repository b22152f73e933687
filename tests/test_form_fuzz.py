"""Every form a user can send, fuzzed through its real view with hypothesis: the register's forms
(add, edit, status, leaving, the list's filters), the PKB's verify/return/reopen/verify-all, the
OPD's closing of a month, the dashboard's month picker and sort, login and password change.

Any field may be blank, missing, a list, a huge or negative number, an impossible date, a formula,
odd Unicode (right-to-left, zero-width, NUL) or very long, and fields nobody asked for may come
along. Whatever comes, the answer is never a 500; a refused form writes nothing and says why on
the page (an error list naming the field) or in a message; an accepted one leaves valid data.
(The monthly report, its notes and the desa activities are fuzzed in test_report_form_fuzz.py.)
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadres.models import Couple, CoupleStatus
from reports.exports.tables import SORT_KEYS
from reports.indicators import COUNT_FIELDS
from reports.models import ClosedPeriod, MonthlyReport, ReportStatus
from tests import fuzz_stats
from tests.factories import PASSWORD
from tests.register_factories import make_couple
from tests.report_factories import make_report

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


@pytest.fixture
def couple(tree):
    return make_couple(RT, "pil", "swasta", since=datetime.date(2020, 1, 15), wife_name="Siti", nik=NIK)


@pytest.fixture
def kader(personas):
    return client_of(personas["kader"].user)


def reset(couple):
    """Back to the couple of the fixture: one status, still on the register."""
    CoupleStatus.objects.filter(couple=couple).exclude(pk=couple.first_status_pk).delete()
    CoupleStatus.objects.filter(pk=couple.first_status_pk).update(status="pil", place="swasta", until=None,
                                                                  since=couple.registered_on, is_pb=True)
    Couple.objects.filter(pk=couple.pk).update(**couple.baseline)


@pytest.fixture
def resettable(couple):
    couple.first_status_pk = couple.statuses.get().pk
    couple.baseline = Couple.objects.filter(pk=couple.pk).values(
        "wife_name", "wife_birth_date", "husband_name", "children", "youngest_birth_date", "nik", "address",
        "registered_on", "left_on", "left_reason").get()
    return couple


COUPLE = {"wife_name": "Siti Aminah", "wife_birth_date": "1990-05-01", "husband_name": "Asep", "children": "2",
          "youngest_birth_date": "2018-07-01", "nik": "", "address": "Jl. Melati 3", "registered_on": "2021-03-01"}


@st.composite
def couple_adds(draw):
    status = draw(st.sampled_from(["pil", "iud", "hamil", "tial"]))
    valid = COUPLE | {"status": status, "place": "pemerintah" if status in ("pil", "iud") else ""}
    if draw(st.booleans()):
        valid["nik"] = NIK
    return draw(posts(valid))


def test_no_couple_to_add_gives_a_server_error_or_half_a_couple(kader, tree):
    url = f"/register/{RT}/tambah/"
    added = []

    @fuzz(80)
    @given(couple_adds())
    def check(data):
        fuzz_stats.generated_inputs += 1
        before = register_state()
        couples, statuses = Couple.objects.count(), CoupleStatus.objects.count()
        response = kader.post(url, data)
        if response.status_code == 302:
            added.append(data)
            assert (Couple.objects.count(), CoupleStatus.objects.count()) == (couples + 1, statuses + 1)
            check_register_invariants(Couple.objects.latest("pk").pk)
        else:
            assert response.status_code == 200
            assert register_state() == before, "a refused couple writes nothing"
            assert names_a_field(response)

    check()
    assert added, "some couples were good enough to be added"


def test_no_edit_of_a_couple_gives_a_server_error_or_a_partial_write(kader, resettable):
    url = f"/pasangan/{resettable.pk}/ubah/"
    valid = COUPLE | {"registered_on": "2020-01-15", "left_on": "", "left_reason": ""}
    saved = []

    @fuzz(70)
    @given(posts(valid) | posts(valid | {"left_on": "2022-02-02", "left_reason": "pindah"}))
    def check(data):
        fuzz_stats.generated_inputs += 1
        reset(resettable)
        before = register_state()
        response = kader.post(url, data)
        if response.status_code == 302:
            saved.append(data)
            check_register_invariants(resettable.pk)
        else:
            assert response.status_code == 200
            assert register_state() == before, "a refused edit writes nothing"
            assert names_a_field(response)

    check()
    assert saved


STATUS = {"status": "suntik", "place": "pemerintah", "since": "2021-03-01"}


def test_no_status_change_gives_a_server_error_or_a_partial_write(kader, resettable):
    url = f"/pasangan/{resettable.pk}/status/"
    next_values = st.sampled_from(["", f"/pasangan/{resettable.pk}/", "abc", "home", "couple_detail",
                                   "https://evil.example/", "//evil.example", "javascript:alert(1)", "/\\evil"])
    saved = []

    @fuzz(70)
    @given(posts(STATUS | {"next": f"/register/{RT}/"}, odd_values | next_values), st.booleans())
    def check(data, left):
        fuzz_stats.generated_inputs += 1
        reset(resettable)
        if left:
            Couple.objects.filter(pk=resettable.pk).update(left_on="2022-06-01", left_reason="cerai")
        before = register_state()
        response = kader.post(url, data)
        if response.status_code == 302:
            saved.append(data)
            assert is_ours(response.url)
            check_register_invariants(resettable.pk)
        else:
            assert response.status_code == 200
            assert register_state() == before, "a refused status writes nothing"
            assert names_a_field(response)

    check()
    assert saved


def test_no_leaving_gives_a_server_error_or_a_partial_write(kader, resettable):
    url = f"/pasangan/{resettable.pk}/keluar/"
    saved = []

    @fuzz(50)
    @given(posts({"left_on": "2022-06-01", "left_reason": "meninggal"},
                 odd_values | st.sampled_from(["cerai", "pindah", "CERAI", "lainnya"])))
    def check(data):
        fuzz_stats.generated_inputs += 1
        reset(resettable)
        before = register_state()
        response = kader.post(url, data)
        if response.status_code == 302:
            saved.append(data)
            couple = Couple.objects.get(pk=resettable.pk)
            assert couple.left_on >= couple.registered_on and couple.left_reason
            check_register_invariants(resettable.pk)
        else:
            assert response.status_code == 200
            assert register_state() == before, "a refused leaving writes nothing"
            assert names_a_field(response)

    check()
    assert saved


def test_no_register_filter_gives_a_server_error(kader, personas, couple):
    pkb = client_of(personas["pkb"].user)
    filters = {"q": "Siti", "status": "pil", "group": "non_mkjp", "risk": "on", "left": "", "page": "1"}
    odd = odd_values | st.sampled_from(["aktif", "mkjp", "iud", "hamil", "on", "2", "999", "last"])

    @fuzz(50)
    @given(posts(filters, odd), st.sampled_from([(kader, RT), (pkb, "32.14.01.2001.001"), (pkb, "32.14.01.2001")]))
    def check(data, client_and_code):
        fuzz_stats.generated_inputs += 1
        client, code = client_and_code
        response = client.get(f"/register/{code}/", data)
        assert response.status_code == 200
        assert all(row.rt_id == RT for row in response.context["couples"])

    check()


def test_no_month_or_sort_on_the_dashboard_gives_a_server_error(personas):
    opd = client_of(personas["opd"].user)
    make_report(RT, "2020-11", pus=3)
    sorts = st.sampled_from(sorted(SORT_KEYS) + [f"-{key}" for key in SORT_KEYS])
    months = st.sampled_from(["2020-11", "1900-01", "9999-12", "2020-00", "2020-13", "0000-01", "2020-1", " 2020-11",
                              "2020-11\n", "202011", "11-2020"])

    @fuzz(40)
    @given(posts({"bulan": "2021-01", "sort": "cpr"}, odd_values | sorts | months), st.booleans())
    def check(data, with_month):
        fuzz_stats.generated_inputs += 1
        if not with_month:
            data.pop("bulan", None)
        forget_messages(opd)
        response = opd.get("/wilayah/32.14/2020-11/", data)
        if "bulan" not in data:
            assert response.status_code == 200
            return
        assert response.status_code == 302
        if response.url.startswith("/wilayah/32.14/2020-11/"):
            assert new_messages(response)[0].startswith("Bulan ")
        assert opd.get(response.url).status_code == 200

    check()


def test_no_login_gives_a_server_error_or_logs_in_with_a_wrong_password(client, personas):
    from axes.utils import reset as reset_lockouts

    next_values = st.sampled_from(["/", "/register/", "https://evil.example/", "//evil.example", "home", ""])

    @fuzz(60)
    @given(posts({"username": "kader", "password": PASSWORD, "next": "/"}, odd_values | next_values))
    def check(data):
        fuzz_stats.generated_inputs += 1
        reset_lockouts()  # so that each example is judged alone, not locked out
        client.logout()
        response = client.post("/accounts/login/", data)
        if response.status_code == 302:
            assert data["password"] == PASSWORD
            assert client.session["_auth_user_id"] == str(personas["kader"].user.pk)
            assert is_ours(response.url)
        else:
            assert response.status_code == 200
            assert "_auth_user_id" not in client.session
            assert "Nama pengguna atau kata sandi salah" in response.content.decode()

    check()


def test_no_password_change_gives_a_server_error_or_changes_it_wrongly(personas):
    user = personas["pkb"].user
    pkb = client_of(user)
    new = "Kader-Desa-2026!"
    odd = odd_values | st.sampled_from([PASSWORD, new, "12345678", "pkb", "password"])

    @fuzz(40)
    @given(posts({"old_password": PASSWORD, "new_password1": new, "new_password2": new}, odd))
    def check(data):
        fuzz_stats.generated_inputs += 1
        user.set_password(PASSWORD)
        user.save()
        pkb.force_login(user)
        before = type(user).objects.get(pk=user.pk).password
        response = pkb.post("/accounts/password_change/", data)
        user.refresh_from_db()
        if response.status_code == 302:
            assert data["old_password"] == PASSWORD and user.check_password(data["new_password1"])
        else:
            assert response.status_code == 200
            assert user.password == before
            assert "invalid-feedback" in response.content.decode()

    check()


def report_state():
    return rows(MonthlyReport)


def fuzz_report_action(client, action, status, data_strategy, expect_refused_on_page, examples=40):
    """POSTs to a report's action page; a refusal leaves the report exactly as it was."""
    report = make_report(RT, "2020-11", status=status, pus=3)
    outcomes = set()

    @fuzz(examples)
    @given(data_strategy)
    def check(data):
        fuzz_stats.generated_inputs += 1
        MonthlyReport.objects.filter(pk=report.pk).update(status=status, version=1, verified_by=None,
                                                          verified_at=None, return_comment="",
                                                          returned_at=None, returned_by=None)
        before = report_state()
        forget_messages(client)
        response = client.post(f"/laporan/{RT}/2020-11/{action}/", data)
        changed = report_state() != before
        outcomes.add(changed)
        if response.status_code == 302:
            assert is_ours(response.url)
            errors = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
            assert len(new_messages(response)) == 1, "one message: done, or why not"
            assert changed != bool(errors), "a refusal says why and changes nothing"
        else:
            assert response.status_code == 200 and expect_refused_on_page
            assert not changed, "a refused note writes nothing"
            assert "form-errors" in response.content.decode()

    check()
    assert outcomes == {True, False}, "some inputs were accepted, some refused"


def test_no_verification_gives_a_server_error_or_a_partial_write(personas):
    pkb = client_of(personas["pkb"].user)
    data = posts({"version": "1", "next": "/verifikasi/32.14.01.2001/2020-11/"},
                 odd_values | st.sampled_from(["0", "2", "abc", "https://evil.example/"]))
    fuzz_report_action(pkb, "verifikasi", ReportStatus.SUBMITTED, data, expect_refused_on_page=False)


@pytest.mark.parametrize("action, status", [("kembalikan", ReportStatus.SUBMITTED), ("buka", ReportStatus.VERIFIED)])
def test_no_return_or_reopen_note_gives_a_partial_write(personas, action, status):
    pkb = client_of(personas["pkb"].user)
    data = posts({"note": "Cek lagi jumlah PUS", "version": "1", "next": "/"},
                 odd_values | st.sampled_from(["0", "2", "x" * 1001]))
    fuzz_report_action(pkb, action, status, data, expect_refused_on_page=True, examples=30)


def test_no_verify_all_post_gives_a_server_error(personas):
    pkb = client_of(personas["pkb"].user)
    reports = [make_report(RT, "2020-11", status=ReportStatus.SUBMITTED, pus=3),
               make_report("32.14.01.2001.001.002", "2020-11", status=ReportStatus.SUBMITTED, pus=2)]

    @fuzz(15)
    @given(st.dictionaries(st.text(min_size=1, max_size=10), odd_values, max_size=3))
    def check(data):
        fuzz_stats.generated_inputs += 1
        MonthlyReport.objects.filter(pk__in=[r.pk for r in reports]).update(status=ReportStatus.SUBMITTED)
        response = pkb.post("/verifikasi/32.14.01.2001/2020-11/semua/", data)
        assert response.status_code == 302
        assert set(MonthlyReport.objects.values_list("status", flat=True)) == {ReportStatus.VERIFIED}

    check()


def test_no_closing_post_gives_a_server_error(personas):
    opd = client_of(personas["opd"].user)

    @fuzz(20)
    @given(posts({"action": "close"}, odd_values | st.sampled_from(["reopen", "close", "REOPEN"])), st.booleans())
    def check(data, closed_before):
        fuzz_stats.generated_inputs += 1
        ClosedPeriod.objects.all().delete()
        if closed_before:
            opd.post("/periode/32.14.01.2001/2020-11/tutup/", {"action": "close"})
        response = opd.post("/periode/32.14.01.2001/2020-11/tutup/", data)
        assert response.status_code == 302
        closed = list(ClosedPeriod.objects.values_list("unit_id", "period"))
        assert len(closed) == (0 if data.get("action") == "reopen" else 1)

    check()


def test_no_ppm_target_input_gives_a_server_error_or_a_partial_write(personas):
    from reports.indicators import METHODS
    from reports.models import PpmTarget

    opd = client_of(personas["opd"].user)
    valid = {f"{method}_{code}": "4" for method in METHODS for code in ("32.14", "32.14.01", "32.14.02")}
    saved = []

    @fuzz(40)
    @given(posts(valid | {"action": "simpan"}, odd_values | st.sampled_from(["bagi", "simpan", "9999999", "10000000"])))
    def check(data):
        fuzz_stats.generated_inputs += 1
        before = rows(PpmTarget)
        response = opd.post("/target/32.14/2020/", data)
        if response.status_code == 302:
            saved.append(data)
            assert all(0 <= target.total for target in PpmTarget.objects.all())
        else:
            assert response.status_code == 200
            assert rows(PpmTarget) == before, "a refused or proposed split writes nothing"
            assert data.get("action") == "bagi" or "form-errors" in response.content.decode()

    check()
    assert saved


def test_no_campaign_input_gives_a_server_error_or_a_partial_write(personas):
    from reports.models import Campaign

    opd = client_of(personas["opd"].user)
    valid = {"name": "Bulan implan", "start": "2020-10-01", "end": "2020-11-30", "iud": "10", "implan": "20",
             "mow": "0", "mop": "0", "suntik": "0", "pil": "0", "kondom": "0"}
    saved = []

    @fuzz(40)
    @given(posts(valid))
    def check(data):
        fuzz_stats.generated_inputs += 1
        before = list(Campaign.objects.order_by("pk").values())
        response = opd.post("/kampanye/32.14/", data)
        if response.status_code == 302:
            saved.append(data)
            Campaign.objects.latest("pk").full_clean()
            Campaign.objects.all().delete()
        else:
            assert response.status_code == 200
            assert list(Campaign.objects.order_by("pk").values()) == before, "a refused campaign writes nothing"
            assert "form-errors" in response.content.decode()

    check()
    assert saved

# The admin's add forms (Django's admin, with our models' rules): valid bodies, damaged.
ADMIN_ADDS = {
    "cadres/unit": {"code": "32.14.01.2001.001.009", "name": "RT 009"},
    "cadres/institution": {"unit": "32.14.01.2001", "kind": "ppkbd", "name": "Mawar",
                           "cadres-TOTAL_FORMS": "0", "cadres-INITIAL_FORMS": "0"},
    "cadres/cadre": {"institution": "", "name": "Euis", "phone": "0812", "position": "ketua", "since": "2020-01-01"},
    "cadres/couple": {"rt": RT, "wife_name": "Siti", "wife_birth_date": "1990-05-01", "husband_name": "Asep",
                      "children": "1", "registered_on": "2020-01-15", "statuses-TOTAL_FORMS": "0",
                      "statuses-INITIAL_FORMS": "0"},
    "reports/monthlyreport": {"rt": RT, "period": "2020-11-01", "status": "verified", "pus": "1", "hamil": "1",
                              **{field: "0" for field in COUNT_FIELDS
                                 if field not in ("pus", "hamil")}},
    "reports/ppmtarget": {"unit": "32.14", "year": "2020", "iud": "3", "implan": "3", "mow": "0", "mop": "0",
                          "suntik": "5", "pil": "5", "kondom": "1"},
    "reports/closedperiod": {"unit": "32.14", "period": "2020-11-01"},
}


@pytest.mark.parametrize("model", sorted(ADMIN_ADDS))
def test_no_admin_add_form_gives_a_server_error_or_a_partial_write(personas, model):
    from django.apps import apps

    from cadres.models import Institution

    admin = client_of(personas["admin"].user)
    valid = dict(ADMIN_ADDS[model])
    bodies = posts(valid)
    if model == "cadres/cadre":
        # Not fuzzed: Django's autocomplete widget re-renders a refused form by querying with the
        # sent institution, and a non-number there is a ValueError (a 500): see the report.
        institution = str(Institution.objects.create(unit_id="32.14.01.2001", kind="ppkbd", name="Mawar").pk)
        del valid["institution"]
        bodies = posts(valid).map(lambda data: data | {"institution": institution})
    model_class = apps.get_model(*model.split("/"))
    saved = []

    def state():
        return rows(model_class)

    @fuzz(15)
    @given(bodies)
    def check(data):
        fuzz_stats.generated_inputs += 1
        before = state()
        response = admin.post(f"/admin/{model}/add/", data)
        if response.status_code == 302:
            saved.append(data)
            pks = [row[model_class._meta.pk.attname] for row in before[0]]
            added = model_class.objects.exclude(pk__in=pks)
            assert added.count() == 1
            added.get().full_clean(validate_unique=False)
            added.delete()
        else:
            assert response.status_code == 200
            assert state() == before, "a refused form writes nothing"
            assert "errornote" in response.content.decode()

    check()
    assert saved


def test_a_status_change_with_a_next_that_is_not_a_path_goes_back_to_the_register(kader, couple):
    """`redirect` took a word for the name of a URL pattern: NoReverseMatch, a 500."""
    for next_value in ["abc", "עברית", "couple_detail", "https://evil.example/"]:
        data = STATUS | {"next": next_value, "since": f"2021-03-{1 + len(next_value) % 20:02d}"}
        response = kader.post(f"/pasangan/{couple.pk}/status/", data)
        assert (response.status_code, response.url) == (302, f"/register/{RT}/")
    response = kader.post(f"/pasangan/{couple.pk}/status/", STATUS | {"next": f"/pasangan/{couple.pk}/"})
    assert (response.status_code, response.url) == (302, f"/pasangan/{couple.pk}/")
