"""Every other form fuzzed through its view with hypothesis: the dashboard's month and sort, login,
password change, the PKB's verify/return/reopen/verify-all, the OPD's closing of a month, PPM
targets, campaigns and the admin's add forms. (The monthly report, its notes and the desa
activities are fuzzed in test_report_form_fuzz.py.)"""

import pytest
from django.contrib.messages import get_messages
from hypothesis import example, given
from hypothesis import strategies as st
from cadres.indicators import COUNT_FIELDS
from reports.models import ClosedPeriod, MonthlyReport, ReportStatus
from reports.numbers.exports.tables import SORT_KEYS
from tests import fuzz_stats
from tests.factories import PASSWORD
from tests.report_factories import make_report
from tests.form_fuzz import (
    RT, client_of, forget_messages, fuzz, is_ours, new_messages, odd_values, posts, rows,
)


def test_no_month_or_sort_on_the_dashboard_gives_a_server_error(personas):
    opd = client_of(personas["opd"].user)
    make_report(RT, "2020-11", pus=3)
    sorts = st.sampled_from(sorted(SORT_KEYS) + [f"-{key}" for key in SORT_KEYS])
    months = st.sampled_from(["2020-11", "1900-01", "9999-12", "2020-00", "2020-13", "0000-01", "2020-1", " 2020-11",
                              "2020-11\n", "202011", "11-2020"])

    @fuzz(40)
    @given(posts({"bulan": "2021-01", "sort": "cpr"}, odd_values | sorts | months), st.booleans())
    @example({"csrfmiddlewaretoken": "x", "bulan": "2020-11"}, True)  # the month already shown
    @example({"bulan": ["2020-13", "2020-11"]}, True)
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
            # Back to the same month: the month asked was refused ("Bulan … tidak sah"), or it
            # was this very month (a list sends its last value, as a browser's form would).
            asked = data["bulan"][-1] if isinstance(data["bulan"], list) else data["bulan"]
            messages = new_messages(response)
            assert (messages and messages[0].startswith("Bulan ")) or str(asked).strip() == "2020-11", messages
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
        from axes.utils import reset as reset_lockouts

        fuzz_stats.generated_inputs += 1
        reset_lockouts()  # a wrong current password counts towards the lockout: judge each example alone
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
    @given(posts({"action": "close", "confirm": "1"}, odd_values | st.sampled_from(["reopen", "close", "REOPEN"])),
           st.booleans())
    def check(data, closed_before):
        fuzz_stats.generated_inputs += 1
        ClosedPeriod.objects.all().delete()
        if closed_before:
            opd.post("/periode/32.14.01.2001/2020-11/tutup/", {"action": "close", "confirm": "1"})
        response = opd.post("/periode/32.14.01.2001/2020-11/tutup/", data)
        assert response.status_code == 302
        closed = list(ClosedPeriod.objects.values_list("unit_id", "period"))
        confirmed = data.get("confirm") == "1"  # both need the confirmation page's POST
        if data.get("action") == "reopen":
            assert len(closed) == (0 if confirmed else int(closed_before))
        else:  # without the confirmation the month stays as it was
            assert len(closed) == (1 if confirmed or closed_before else 0)

    check()


def test_no_ppm_target_input_gives_a_server_error_or_a_partial_write(personas):
    from cadres.indicators import METHODS
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
                      "children": "1", "registered_on": "2020-01-15", "first_use": "lama", "statuses-TOTAL_FORMS": "0",
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
        valid["institution"] = str(Institution.objects.create(unit_id="32.14.01.2001", kind="ppkbd", name="Mawar").pk)
        bodies = posts(valid)
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
