"""The workflow's forms, fuzzed with hypothesis: any combination of bad input in any field (blank,
missing, negative, huge, decimals, odd Unicode, NUL bytes, stale or absurd versions, unknown
buttons) gives the page again with its errors, or a saved report that balances; never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadres.indicators import BALANCE_FIELDS, COUNT_FIELDS
from reports.models import WORK_IN_PROGRESS, DesaActivityReport, MonthlyReport, ReportStatus
from reports.monthly.activities import activity_keys
from tests import fuzz_stats
from tests.report_factories import make_report

RT = "32.14.01.2001.001.001"
ODD = ["", " ", "-1", "1.5", "1.0", "1e3", "abc", "99999999999999999999", "2147483648", "100000", "２", "٣",
       "0x10", "NaN", "inf", "\x00", "1\x00", "🙂", "<script>alert(1)</script>", "'; DROP TABLE x; --",
       "\u202e1", "1" * 400, "true", "None", "[]"]
REASONS = ["", "x", "alasan", "\x00", "a" * 201, "🙂" * 50]

odd_values = st.one_of(
    st.sampled_from(ODD),
    st.integers(min_value=-(2**40), max_value=2**40).map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
)


@st.composite
def posts(draw, valid: dict, odd=odd_values):
    """A POST body: the valid one with none, a few or all of its fields replaced by odd values or
    left out, and now and then a field nobody asked for."""
    names = sorted(valid)
    damaged = draw(st.sets(st.sampled_from(names), max_size=draw(st.sampled_from([0, 1, 2, 5, len(names)]))))
    data = {}
    for name in names:
        if name not in damaged:
            data[name] = valid[name]
        elif draw(st.booleans()):
            data[name] = draw(odd)
    if draw(st.integers(0, 9)) == 0:
        data[draw(st.text(min_size=1, max_size=10))] = draw(odd_values)
    return data


@st.composite
def report_posts(draw):
    """Counts that balance, or are off by a little; every count, reason, version and button."""
    counts = {name: draw(st.integers(0, 40)) for name in COUNT_FIELDS if name != "pus"}
    counts["pus"] = sum(counts[name] for name in BALANCE_FIELDS) + draw(st.sampled_from([0, 0, 0, -1, 2]))
    valid = {name: str(value) for name, value in counts.items()}
    valid |= {f"alasan_{name}": draw(st.sampled_from(REASONS)) for name in draw(st.sets(st.sampled_from(COUNT_FIELDS)))}
    valid |= {"version": "current", "action": draw(st.sampled_from(["draft", "draft", "submit"]))}
    return draw(posts(valid, odd_values | st.sampled_from(["draft", "submit", "hapus", "0", "-1"])))


@pytest.fixture
def kader(client, personas):
    client.force_login(personas["kader"].user)
    return client


def check_saved_reports_balance():
    """Every report that counts balances; a draft may be saved before it does, never with a blank."""
    for report in MonthlyReport.objects.all():
        if report.status not in WORK_IN_PROGRESS:
            assert report.pus == sum(getattr(report, name) for name in BALANCE_FIELDS)
        assert all(getattr(report, name) >= 0 for name in COUNT_FIELDS)


def test_no_report_form_input_gives_a_server_error(kader):
    url = f"/laporan/{RT}/2020-11/"
    saved = []

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(report_posts())
    def check(data):
        fuzz_stats.generated_inputs += 1
        report = MonthlyReport.objects.filter(rt_id=RT).first()
        if report and report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            MonthlyReport.objects.filter(pk=report.pk).update(status=ReportStatus.DRAFT)
        if data.get("version") == "current":
            data["version"] = str(report.version if report else 0)
        response = kader.post(url, data)
        assert response.status_code in (200, 302, 409), response.status_code
        if response.status_code == 302:
            saved.append(data)
        else:
            assert "form-errors" in response.content.decode(), "a refusal says why on the page"
        check_saved_reports_balance()

    check()
    assert saved, "some inputs were good enough to be saved"


def test_no_note_input_gives_a_server_error(client, personas):
    make_report(RT, "2020-11", status=ReportStatus.SUBMITTED, pus=3)
    client.force_login(personas["pkb"].user)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(posts({"note": "cek lagi", "version": "1", "next": "/"}), st.sampled_from(["kembalikan", "buka", "verifikasi"]))
    def check(data, action):
        fuzz_stats.generated_inputs += 1
        MonthlyReport.objects.filter(rt_id=RT).update(status=ReportStatus.SUBMITTED, version=1)
        response = client.post(f"/laporan/{RT}/2020-11/{action}/", data)
        assert response.status_code in (200, 302)

    check()


def test_no_desa_activity_input_gives_a_server_error(client, personas):
    client.force_login(personas["pkb"].user)
    valid = {key: "1" for key in activity_keys()} | {"version": "0"}

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(posts(valid), st.booleans())
    def check(data, current_version):
        fuzz_stats.generated_inputs += 1
        report = DesaActivityReport.objects.first()
        if current_version and "version" in data:
            data["version"] = str(report.version if report else 0)
        response = client.post("/kegiatan/32.14.01.2001/2020-11/", data)
        assert response.status_code in (200, 302, 409)
        if response.status_code != 302:
            assert "form-errors" in response.content.decode()

    check()
