"""The report page's markup written in Python (reports/templatetags/kb_fields.py, the history's
lines in reports/monthly/report_page.py) against what Django and crispy render for the same
fields and dates: the page must not change when its rendering gets faster."""

import datetime
import random
import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.utils import dateformat, translation

from cadres.indicators import COUNT_FIELDS
from reports.monthly.forms import MonthlyReportForm
from reports.monthly.report_page import _date_minute, _history_words
from reports.templatetags.kb_fields import bootstrap_field, hidden_input


def markup(html: str) -> str:
    """The HTML without the whitespace next to its tags (crispy's templates leave some around a
    label's text, which renders alike), other runs of whitespace as one space."""
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", re.sub(r"\s+", " ", str(html))).strip()


def forms_to_compare():
    register = {field: 3 for field in COUNT_FIELDS}
    unbound = MonthlyReportForm(register=register, initial={"version": 4})
    data = {"version": "4", "action": "submit", "pus": "x", "pil_swasta": "-1", "iud_pemerintah": "2",
            "alasan_iud_pemerintah": 'dipindah <b>"&"</b>'}
    bound = MonthlyReportForm(data, register=register)
    bound.is_valid()
    return unbound, bound


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_input_is_the_markup_crispy_renders(language):
    with translation.override(language):
        for form in forms_to_compare():
            visible = [name for name in form.fields if name != "version"]
            assert len(visible) == 2 * len([name for name in visible if not name.startswith("alasan_")])
            for name in visible:
                assert markup(bootstrap_field(form[name])) == markup(as_crispy_field(form[name])), name
    assert form.errors  # the bound form's errors were rendered too


def test_the_hidden_version_is_the_markup_django_renders():
    for form in forms_to_compare():
        assert hidden_input(form["version"]) == str(form["version"])


def test_bootstrap_field_refuses_other_widgets():
    form = forms_to_compare()[0]
    with pytest.raises(TypeError):
        bootstrap_field(form["version"])
    with pytest.raises(TypeError):
        hidden_input(form["pus"])


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_history_s_dates_are_django_s_date_format(language):
    rng = random.Random(7)
    start = datetime.datetime(1999, 1, 1)
    with translation.override(language):
        months = _history_words(language)["months"]
        for _ in range(5000):
            moment = start + datetime.timedelta(minutes=rng.randrange(40 * 366 * 24 * 60))
            assert _date_minute(moment, months) == dateformat.format(moment, "j M Y H:i")
