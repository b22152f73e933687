"""The recap as a DHIS2 data value set: its shape as DHIS2's Web API documents it (a `dataValues`
list of objects with `dataElement`, `period`, `orgUnit`, `categoryOptionCombo` and `value`; a
monthly period as `yyyyMM`; values as strings), each data element summed equal to the recap, the
mapping to UIDs, the command and the URL, and scope."""

import datetime
import json
import re
from collections import defaultdict
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cadres.indicators import COUNT_FIELDS, METHODS, NON_USERS
from cadres.models import Unit
from reports.models import ReportStatus
from reports.numbers.exports.dhis2 import MappingError, data_value_set, read_mapping
from reports.numbers.recap import recap_for
from tests.register_factories import make_couple
from tests.report_factories import make_report
from tests.test_recap_command import run_failing

NOV = datetime.date(2020, 11, 1)
DESA = "32.14.01.2001"
ROOT = Path(__file__).resolve().parent.parent
# The fields of a data value in DHIS2's Web API ("Data values": the data value set format).
DHIS2_FIELDS = {"dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "value",
                "storedBy", "created", "lastUpdated", "comment", "followup"}
REQUIRED = {"dataElement", "period", "orgUnit", "categoryOptionCombo", "value"}


@pytest.fixture
def month(tree):
    make_report(f"{DESA}.001.001", NOV, pus=30, suntik_pemerintah=20, iud_swasta=2, iat=3, pb_suntik=2, gc_iud=1,
                pb_pasca=1)
    make_report(f"{DESA}.001.002", NOV, pus=10, implan_swasta=4, pil_pemerintah=5, hamil=1)
    make_report("32.14.01.2002.001.001", NOV, pus=7, kondom_swasta=7)
    make_report(f"{DESA}.001.001", datetime.date(2020, 10, 1), pus=1, ias=1)  # another month
    make_report("32.14.02.2001.001.001", NOV, status=ReportStatus.DRAFT, pus=3, ias=3)  # not counted


def check_shape(document: dict) -> None:
    assert set(document) == {"dataValues"} and isinstance(document["dataValues"], list)
    for value in document["dataValues"]:
        assert REQUIRED <= set(value) <= DHIS2_FIELDS, value
        assert all(isinstance(value[key], str) for key in REQUIRED), value
        assert re.fullmatch(r"\d{6}", value["period"]) and re.fullmatch(r"\d+", value["value"]), value


def sums(document: dict) -> dict[str, int]:
    totals = defaultdict(int)
    for value in document["dataValues"]:
        totals[value["dataElement"]] += int(value["value"])
    return totals


@pytest.mark.parametrize("code", ["32.14", "32.14.01", DESA])
def test_each_data_element_sums_to_the_recap(month, code):
    document = data_value_set(code, NOV, mapping={})
    check_shape(document)
    recap, totals = recap_for(Unit.objects.get(code=code), NOV), sums(document)
    assert totals["pus"] == recap["pus"]
    assert {m: totals[m] for m in METHODS} == recap["methods"]
    assert {key: totals[key] for key in NON_USERS} == recap["non_users"]
    assert {m: totals[f"pb_{m}"] for m in METHODS} == recap["pb_methods"]
    assert {m: totals[f"gc_{m}"] for m in METHODS} == recap["gc_methods"]
    assert totals["pb_pasca"] == recap["pb_pasca"]


def test_one_value_per_rt_with_a_counted_report_and_per_count_field(month):
    values = data_value_set("32.14", NOV, mapping={})["dataValues"]
    assert len(values) == 3 * len(COUNT_FIELDS)
    assert {v["orgUnit"] for v in values} == {f"{DESA}.001.001", f"{DESA}.001.002", "32.14.01.2002.001.001"}
    iud = [v for v in values if v["dataElement"] == "iud" and v["orgUnit"] == f"{DESA}.001.001"]
    assert [(v["categoryOptionCombo"], v["value"]) for v in iud] == [("pemerintah", "0"), ("swasta", "2")]
    assert {v["period"] for v in values} == {"202011"}
    pus = next(v for v in values if v["dataElement"] == "pus" and v["orgUnit"] == f"{DESA}.001.002")
    assert pus == {"dataElement": "pus", "categoryOptionCombo": "default", "orgUnit": f"{DESA}.001.002",
                   "period": "202011", "value": "10"}


def test_the_register_source_counts_the_rts_with_couples(tree):
    make_couple(f"{DESA}.001.001", "pil", since=datetime.date(2020, 1, 15))
    make_couple(f"{DESA}.001.001", "tial", since=datetime.date(2020, 1, 15))
    totals = sums(data_value_set(DESA, NOV, "register", mapping={}))
    assert (totals["pus"], totals["pil"], totals["tial"]) == (2, 1, 1)


def test_the_sample_mapping_turns_keys_and_codes_into_uids(month):
    mapping = read_mapping(str(ROOT / "docs" / "dhis2-mapping.sample.json"))
    values = data_value_set(DESA, NOV, mapping=mapping)["dataValues"]
    check_shape({"dataValues": values})
    pus = next(v for v in values if v["orgUnit"] == "Rt5yU8iO2lK" and v["dataElement"] == "Xk7yP1qQ2aB")
    assert (pus["categoryOptionCombo"], pus["value"]) == ("HllvX50cXC0", "30")
    assert any(v["dataElement"] == "suntik" and v["categoryOptionCombo"] == "Gv2hS6tU7mN" for v in values)
    assert {v["orgUnit"] for v in values} == {"Rt5yU8iO2lK", f"{DESA}.001.002"}  # unmapped codes stay


def test_the_command_writes_it_and_a_bad_mapping_is_one_line(month, tmp_path, settings):
    stdout = StringIO()
    call_command("recap", DESA, "2020-11", "--format", "dhis2", stdout=stdout)
    assert sums(json.loads(stdout.getvalue()))["pus"] == 40
    out = tmp_path / "rekap.dhis2.json"
    call_command("recap", DESA, "2020-11", "--format", "dhis2", "-o", str(out), stdout=StringIO())
    assert json.loads(out.read_text()) == json.loads(stdout.getvalue())
    broken = tmp_path / "mapping.json"
    broken.write_text('{"dataElements": {"pus": 5}}')
    settings.DHIS2_MAPPING = str(broken)
    assert "berkas pemetaan DHIS2" in run_failing(DESA, "2020-11", "--format", "dhis2")
    with pytest.raises(MappingError):
        read_mapping(str(tmp_path / "missing.json"))


def test_the_url_gives_only_what_the_user_may_see(client, month, personas, django_assert_max_num_queries):
    client.force_login(personas["pkb"].user)  # desa 2001 and 2002 of kecamatan 32.14.01
    with django_assert_max_num_queries(8):
        response = client.get("/wilayah/32.14.01.2002/2020-11/rekap.dhis2.json")
    assert response.status_code == 200
    assert {v["orgUnit"] for v in response.json()["dataValues"]} == {"32.14.01.2002.001.001"}
    assert client.get("/wilayah/32.14.02/2020-11/rekap.dhis2.json").status_code == 404
    client.force_login(personas["kader"].user)
    assert client.get(f"/wilayah/{DESA}/2020-11/rekap.dhis2.json").status_code == 404


def test_a_mapping_that_cannot_be_read_stops_the_app_at_start(settings, tmp_path):
    from reports.numbers.exports.dhis2 import check_mapping

    settings.DHIS2_MAPPING = str(tmp_path / "missing.json")
    assert [error.id for error in check_mapping()] == ["reports.E001"]
    settings.DHIS2_MAPPING = str(ROOT / "docs" / "dhis2-mapping.sample.json")
    assert check_mapping() == []
