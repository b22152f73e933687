"""The PKB's queue on the demo of `seed_demo`: the on-time line accounts for every sent report."""

import pytest

from cadres.models import User

from cadres.periods import current_period, period_str
from reports.models import MonthlyReport
from reports.monthly.deadlines import on_time_counts

pytestmark = pytest.mark.django_db

CAMPAKA = "32.14.02.2001"


def test_on_time_counts_agree_with_the_demo_s_sent_reports(demo, client):
    period = current_period()
    received = MonthlyReport.objects.counted().in_subtree(CAMPAKA).filter(period=period).count()
    assert received > 10
    assert on_time_counts(CAMPAKA, period) == (received, 0, 0)
    client.force_login(User.objects.get(username="pkb"))
    body = client.get(f"/verifikasi/{CAMPAKA}/{period_str(period)}/").content.decode()
    assert f"<strong data-on-time>{received}</strong>" in body and "<strong data-late>0</strong>" in body
    assert "data-unknown" not in body
