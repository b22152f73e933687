"""reports.monthly.workflow.report_send: the saved draft is sent as it stands, after the confirmation page."""

import datetime

import pytest

from cadres.models import Unit
from reports.models import MonthlyReport
from reports.monthly.workflow import WorkflowError, report_save_draft, report_send, send_problems
from reports.numbers.recap import recap_for
from tests.report_factories import balanced_counts

RT = "32.14.01.2001.001.001"
NOV = datetime.date(2020, 11, 1)


@pytest.fixture
def kader(personas):
    return personas["kader"].user


def draft(user, corrections=None, **counts):
    return report_save_draft(rt=Unit.objects.get(code=RT), period=NOV, counts=balanced_counts(**counts),
                             corrections=corrections or {}, version=0, by=user)


def test_a_balanced_draft_is_sent_and_counts_in_the_recap(kader):
    saved = draft(kader, pus=5, pil_swasta=4, iat=1)
    sent = report_send(rt=saved.rt, period=NOV, version=saved.version, by=kader)
    assert (sent.status, sent.version, sent.submitted_by) == ("submitted", 2, kader)
    figures = recap_for(Unit.objects.get(code="32.14.01.2001"), NOV)
    assert (figures["pus"], figures["pa"], figures["reports"]["received"]) == (5, 4, 1)


def test_a_draft_with_an_unexplained_difference_from_the_register_is_not_sent(kader):
    saved = draft(kader, corrections={"pus": {"register": 4, "reason": ""}}, pus=5, pil_swasta=5)
    assert send_problems(saved) == ["Tulis alasan angka yang berbeda dari register: PUS."]
    with pytest.raises(WorkflowError, match="Tulis alasan angka yang berbeda dari register: PUS"):
        report_send(rt=saved.rt, period=NOV, version=saved.version, by=kader)
    assert MonthlyReport.objects.get().status == "draft"


def test_an_unbalanced_draft_is_not_sent_saying_by_how_much(kader):
    counts = {**balanced_counts(pus=5, pil_swasta=5), "pil_swasta": 3}
    saved = report_save_draft(rt=Unit.objects.get(code=RT), period=NOV, counts=counts, corrections={},
                              version=0, by=kader)
    with pytest.raises(WorkflowError, match=r"PUS 5, tetapi PA \+ hamil \+ IAS \+ IAT \+ TIAL = 3 \(kurang 2\)"):
        report_send(rt=saved.rt, period=NOV, version=saved.version, by=kader)


def test_a_draft_changed_since_the_confirmation_opened_is_not_sent(kader):
    saved = draft(kader, pus=5, pil_swasta=5)
    report_save_draft(rt=saved.rt, period=NOV, counts=balanced_counts(pus=6, pil_swasta=6), corrections={},
                      version=saved.version, by=kader)
    with pytest.raises(WorkflowError, match="sudah diubah"):
        report_send(rt=saved.rt, period=NOV, version=saved.version, by=kader)
    assert MonthlyReport.objects.get().status == "draft"


def test_someone_outside_the_rt_cannot_send_it(kader, personas):
    saved = draft(kader, pus=5, pil_swasta=5)
    with pytest.raises(WorkflowError):
        report_send(rt=saved.rt, period=NOV, version=saved.version, by=personas["outsider"].user)
    assert MonthlyReport.objects.get().status == "draft"
