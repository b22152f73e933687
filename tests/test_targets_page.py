"""/target/<code>/<year>/: the OPD enters a unit's yearly PPM target and its children's, splits it
by PUS ("Bagi otomatis"), and saves; the recap then shows the children's targets."""

import datetime

import pytest

from cadres.indicators import METHODS
from reports.models import PpmTarget
from reports.numbers.recap import recap_for
from tests.report_factories import make_report, make_target

URL = "/target/32.14/2024/"
KECAMATAN = ("32.14.01", "32.14.02")


def post_data(targets, action="simpan"):
    data = {"action": action}
    for code, methods in targets.items():
        for method in METHODS:
            data[f"{method}_{code}"] = str(methods.get(method, 0))
    return data


@pytest.fixture
def opd(client, personas):
    client.force_login(personas["opd"].user)
    return client


def test_the_opd_sees_the_unit_and_its_children_prefilled_with_saved_targets(opd):
    make_target("32.14.01", 2024, iud=40, implan=10)
    response = opd.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    # No own row for the kabupaten: its target is the sum of its children's (docs/interfaces.md).
    assert form["iud_32.14"].value() == 40 and form["iud_32.14.01"].value() == 40
    assert form["iud_32.14.02"].value() is None
    assert "Bagi otomatis" in response.content.decode()


def test_bagi_otomatis_splits_the_typed_target_by_pus_and_adds_up_exactly(opd):
    make_report("32.14.01.2001.001.001", "2023-12", pus=370)
    make_report("32.14.02.2001.001.001", "2023-12", pus=130)
    response = opd.post(URL, post_data({"32.14": {"iud": 10, "implan": 7, "pil": 1}}, action="bagi"))
    assert response.status_code == 200
    form = response.context["form"]
    assert [form[f"iud_{code}"].value() for code in KECAMATAN] == [7, 3]
    assert [form[f"implan_{code}"].value() for code in KECAMATAN] == [5, 2]
    assert [form[f"pil_{code}"].value() for code in KECAMATAN] == [1, 0]
    assert [sum_["difference"] for sum_ in response.context["sums"]] == [0] * 7
    body = response.content.decode()
    assert "Usulan pembagian menurut PUS (laporan bulanan)" in body and "370" in body
    assert PpmTarget.objects.count() == 0  # a proposal, not saved


def test_bagi_otomatis_without_any_pus_splits_equally(opd):
    response = opd.post(URL, post_data({"32.14": {"suntik": 5}}, action="bagi"))
    form = response.context["form"]
    assert [form[f"suntik_{code}"].value() for code in KECAMATAN] == [3, 2]
    assert "target dibagi rata" in response.content.decode()


def test_bagi_otomatis_names_a_bad_own_target_and_ignores_blank_children(opd):
    data = post_data({"32.14": {"iud": 10}}, action="bagi")
    data["iud_32.14"] = "sepuluh"
    response = opd.post(URL, data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["iud_32.14"]
    assert "Target IUD Kabupaten Wilayah 32.14 harus bilangan bulat." in response.content.decode()


def test_saving_writes_every_row_and_the_recap_shows_the_childrens_targets(opd):
    make_target("32.14.01", 2024, iud=99)
    targets = {"32.14": {"iud": 10, "implan": 7}, "32.14.01": {"iud": 7, "implan": 5}, "32.14.02": {"iud": 2, "implan": 2}}
    response = opd.post(URL, post_data(targets))
    assert response.status_code == 302 and response.url == URL
    rows = {t.unit_id: t.methods() for t in PpmTarget.objects.filter(year=2024)}
    assert rows == {code: dict.fromkeys(METHODS, 0) | methods for code, methods in targets.items()}
    from cadres.models import Unit
    recap = recap_for(Unit.objects.get(code="32.14"), datetime.date(2024, 3, 1))
    assert recap["ppm"]["target_total"] == 17
    assert [child["ppm"]["target"]["iud"] for child in recap["children"]] == [7, 2]
    # The children add up to 16, not 17: allowed, and shown.
    page = opd.get(URL)
    assert [s["difference"] for s in page.context["sums"]][:2] == [-1, 0]
    assert "Target PPM 2024 disimpan." in page.content.decode()


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "Target Implan Kecamatan Wilayah 32.14.02 wajib diisi (tulis 0 bila tidak ada)."),
        ("-1", "Target Implan Kecamatan Wilayah 32.14.02 tidak boleh kurang dari 0."),
        ("2,5", "Target Implan Kecamatan Wilayah 32.14.02 harus bilangan bulat."),
        ("99999999999999999999", "Target Implan Kecamatan Wilayah 32.14.02 terlalu besar (paling banyak 9.999.999)."),
        ("\x00", "Target Implan Kecamatan Wilayah 32.14.02 harus bilangan bulat."),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(opd, value, message):
    data = post_data({code: {"iud": 1} for code in ("32.14", *KECAMATAN)})
    data["implan_32.14.02"] = value
    response = opd.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert PpmTarget.objects.count() == 0


def test_a_missing_field_is_an_error_not_a_500(opd):
    response = opd.post(URL, {"action": "simpan"})
    assert response.status_code == 200
    assert len(response.context["form"].errors) == 21


@pytest.mark.parametrize("persona", ["kader", "pkb", "outsider"])
def test_other_roles_are_refused_inside_their_scope(client, personas, persona):
    client.force_login(personas[persona].user)
    code = personas[persona].inside
    assert client.get(f"/target/{code}/2024/").status_code == 403
    assert client.post(f"/target/{code}/2024/", post_data({code: {"iud": 5}})).status_code == 403
    assert PpmTarget.objects.count() == 0


def test_the_opd_gets_404_outside_its_kabupaten_and_for_a_silly_year(opd):
    assert opd.get("/target/32.15/2024/").status_code == 404
    assert opd.post("/target/32.15/2024/", post_data({"32.15": {"iud": 5}})).status_code == 404
    assert opd.get("/target/32.14/1800/").status_code == 404


def test_an_admin_may_enter_targets_anywhere(client, personas):
    client.force_login(personas["admin"].user)
    response = client.post("/target/32.15.01/2024/", post_data({"32.15.01": {"mop": 3}, "32.15.01.2001": {"mop": 3}}))
    assert response.status_code == 302
    assert PpmTarget.objects.get(unit_id="32.15.01.2001", year=2024).mop == 3
