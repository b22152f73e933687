"""Who may do what is decided in `cadres/access.py` alone: no other module compares roles; the
services check again, so a script cannot do what a page refuses; a wife's birth date shows only
to those who keep the register, on every page that shows a couple."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from cadres import access
from cadres.models import Unit
from reports.monthly.deadlines import period_close
from reports.targets.campaigns import campaign_create
from reports.targets.ppm import targets_save
from tests.register_factories import make_couple

ROOT = Path(__file__).resolve().parents[1]
RT = "32.14.01.2001.001.001"
BORN = datetime.date(1990, 5, 17)
# A comparison with a role, or a tuple of roles: not the model's field and default, nor the check
# that a role typed on the command line is one of Role.values.
ROLE_CHECK = re.compile(r"\brole\s*(==|!=|\bin\b|\bnot in\b)(?! Role\.values)|\.role\s*(==|!=)|is_admin_role"
                        r"|\(Role\.\w+, Role\.|\{Role\.\w+:")


def test_no_module_but_the_access_module_compares_roles():
    allowed = {ROOT / "cadres" / "access.py"}
    sources = [path for folder in ("cadres", "reports", "kampungkb", "templates")
               for path in (ROOT / folder).rglob("*") if path.suffix in (".py", ".html")
               and "migrations" not in path.parts and "demo" not in path.parts and path not in allowed]
    found = [f"{path.relative_to(ROOT)}:{number}" for path in sources
             for number, line in enumerate(path.read_text().splitlines(), start=1) if ROLE_CHECK.search(line)]
    assert found == []


@pytest.mark.parametrize("persona", ["kader", "pkb", "outsider"])
def test_a_month_is_closed_only_by_the_opd_or_an_admin_even_from_a_script(personas, persona):
    with pytest.raises(PermissionDenied):
        period_close(kabupaten="32.14", period=datetime.date(2020, 11, 1), by=personas[persona].user)
    assert period_close(kabupaten="32.14", period=datetime.date(2020, 11, 1), by=personas["opd"].user)


def test_targets_and_campaigns_are_set_only_by_the_opd_in_its_scope_even_from_a_script(personas):
    targets = {"32.14.01": dict.fromkeys(("iud", "implan", "mow", "mop", "suntik", "pil", "kondom"), 1)}
    for persona in ("kader", "pkb"):
        with pytest.raises(PermissionDenied):
            targets_save(year=2020, targets=targets, by=personas[persona].user)
    with pytest.raises(PermissionDenied):  # an OPD outside its kabupaten
        targets_save(year=2020, targets={"32.15": targets["32.14.01"]}, by=personas["opd"].user)
    assert targets_save(year=2020, targets=targets, by=personas["opd"].user) == 1
    dates = {"start": datetime.date(2020, 1, 1), "end": datetime.date(2020, 1, 31)}
    with pytest.raises(PermissionDenied):
        campaign_create(unit=Unit.objects.get(code="32.14"), by=personas["pkb"].user, name="x", **dates)
    assert campaign_create(unit=Unit.objects.get(code="32.14"), by=personas["opd"].user, name="x", **dates)


def test_the_roles_rules(personas):
    rules = {name: {persona: getattr(access, name)(personas[persona].user) for persona in ("kader", "pkb", "opd", "admin")}
             for name in ("may_verify", "may_close_period", "may_set_targets", "may_export_register",
                          "sees_full_nik", "sees_birth_dates", "follows_reports", "sees_counselling", "sees_couple_names")}
    assert rules == {
        "may_verify": {"kader": False, "pkb": True, "opd": False, "admin": True},
        "may_close_period": {"kader": False, "pkb": False, "opd": True, "admin": True},
        "may_set_targets": {"kader": False, "pkb": False, "opd": True, "admin": True},
        "may_export_register": {"kader": True, "pkb": True, "opd": False, "admin": True},
        "sees_full_nik": {"kader": False, "pkb": False, "opd": False, "admin": True},
        "sees_birth_dates": {"kader": True, "pkb": False, "opd": False, "admin": True},
        "follows_reports": {"kader": False, "pkb": True, "opd": True, "admin": True},
        "sees_counselling": {"kader": True, "pkb": True, "opd": False, "admin": True},
        "sees_couple_names": {"kader": True, "pkb": True, "opd": False, "admin": True},
    }


BIRTH_DATE_SHAPES = ("17 Mei 1990", "17/05/1990", "1990-05-17", "17-05-1990")


@pytest.mark.parametrize("persona", ["kader", "pkb", "opd", "admin"])
def test_a_birth_date_shows_only_to_those_who_keep_the_register_on_every_page(client, personas, persona):
    couple = make_couple(RT, "pil", born=BORN, wife_name="Siti")
    couple.children = 3  # a change, so that the history has an entry naming the field
    couple.save()
    client.force_login(personas[persona].user)
    pages = [reverse("couple_detail", args=[couple.pk]), reverse("register", args=[RT]),
             reverse("register", args=["32.14.01.2001"])]
    if access.can_write(personas[persona].user, RT):
        pages += [reverse("couple_edit", args=[couple.pk]), reverse("couple_status", args=[couple.pk]),
                  reverse("couple_leave", args=[couple.pk])]
    shows = persona in ("kader", "admin")
    for url in pages:
        body = client.get(url).content.decode()
        assert any(shape in body for shape in BIRTH_DATE_SHAPES) == (shows and url.startswith("/pasangan/")
                                                                     and "status" not in url
                                                                     and "keluar" not in url), (persona, url)
    download = client.get(reverse("register_xlsx", args=[RT]))
    if not access.may_export_register(personas[persona].user):
        assert download.status_code == 403
        return
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)
                                     if download.streaming else download.content)).active
    header = next(values for values in sheet.iter_rows(values_only=True) if "Nama istri" in values)
    assert ("Tanggal lahir istri" in header) == shows and ("Umur istri" in header) == (not shows)
    cells = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    assert any(value in (BORN, datetime.datetime(1990, 5, 17)) for value in cells) == shows
