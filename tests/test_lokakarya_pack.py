"""The mini lokakarya pack of a desa and month: its numbers by hand (RTs of unequal size, the
lowest MKJP shares, PB and GC into MKJP against the MKJP target, the funnel, the follow-ups),
the PDF's text, who may download it, and its queries."""

import datetime
import subprocess

import pytest

from cadres.models import Counselling, Role, Unit
from reports.numbers.exports.pack import lowest_mkjp_rts, mkjp_against_target, pack_html, pack_pdf
from reports.numbers.recap import recap_for
from reports.targets.campaigns import campaign_create
from tests.activity_factories import make_activity
from tests.factories import make_user, system_admin
from tests.register_factories import make_couple
from tests.report_factories import make_report, make_target

DESA = "32.14.01.2001"
NOV = datetime.date(2020, 11, 1)
URL = f"/wilayah/{DESA}/2020-11/lokakarya.pdf"


@pytest.fixture
def desa(tree):
    """Three RTs of unequal size: MKJP 1 of 20 users (5%), 6 of 8 (75%), 0 of 2 (0%)."""
    make_report(f"{DESA}.001.001", NOV, iud_pemerintah=1, suntik_pemerintah=19, tial=10, pb_implan=1, gc_iud=2)
    make_report(f"{DESA}.001.002", NOV, implan_swasta=6, pil_pemerintah=2, iat=2, gc_implan=1)
    make_report(f"{DESA}.002.001", NOV, kondom_swasta=2, hamil=1)
    make_report(f"{DESA}.002.001", datetime.date(2020, 3, 1), pb_iud=2, gc_mow=1, iud_pemerintah=3)
    make_report(f"{DESA}.001.001", datetime.date(2020, 10, 1), suntik_pemerintah=5, status="draft")  # not counted
    make_target(DESA, 2020, iud=4, implan=6, mow=0, mop=0, suntik=30)
    return recap_for(_desa(), NOV)


def _desa():
    return Unit.objects.get(code=DESA)


def test_the_rts_with_the_lowest_mkjp_share_come_first(desa):
    rows = lowest_mkjp_rts(DESA, NOV)
    assert [(row["label"], row["pa"], row["mkjp"], str(row["pct"])) for row in rows] == [
        ("RT 001 / RW 002", 2, 0, "0.00"), ("RT 001 / RW 001", 20, 1, "5.00"), ("RT 002 / RW 001", 8, 6, "75.00")]


def test_new_and_switching_mkjp_users_since_january_against_the_mkjp_target(desa):
    # PB MKJP: implan 1 (Nov) + IUD 2 (Mar) = 3; GC into MKJP: IUD 2 + implan 1 (Nov) + MOW 1 (Mar) = 4;
    # the MKJP target is IUD 4 + implan 6 = 10 (suntik's 30 is not MKJP).
    figures = mkjp_against_target(DESA, NOV, desa)
    assert figures == {"pb": 3, "gc": 4, "total": 7, "target": 10, "pct": figures["pct"]}
    assert str(figures["pct"]) == "70.00"


def test_the_pack_names_the_numbers_a_meeting_needs(desa, personas):
    couple = make_couple(f"{DESA}.001.001", "tial", since=datetime.date(2020, 1, 1), wife_name="Rahasia")
    Counselling.objects.create(couple=couple, counsellor=system_admin(), date=datetime.date(2020, 11, 5),
                               outcome="menolak", reason="mitos")
    make_activity(DESA, kind="mini_lokakarya", follow_ups=["Kunjungi PUS yang takut implan"],
                  date=datetime.date(2020, 10, 20))
    campaign_create(unit=_desa(), by=system_admin(), name="Bulan MKJP", start=datetime.date(2020, 11, 1),
                    end=datetime.date(2020, 11, 30), implan=5)
    text = " ".join(pdf_text(pack_pdf(_desa(), NOV)).split())
    # PUS 30 + 10 + 3 = 43; KB aktif 20 + 8 + 2 = 30 (69,77% of PUS); MKJP 7 (23,33% of KB aktif).
    for expected in ("November 2020", "3 dari 3 laporan RT masuk", "43", "69,77% dari PUS", "23,33% dari KB aktif",
                     "RT 001 / RW 002", "dari target PPM MKJP 10 (70,00%)", "Bulan MKJP",
                     "Mitos atau kabar burung: 1", "Kunjungi PUS yang takut implan"):
        assert expected in text, expected
    assert "Rahasia" not in text  # no couple is named


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_the_pack_is_one_a4_page(desa):
    info = subprocess.run(["pdfinfo", "-"], input=pack_pdf(_desa(), NOV), capture_output=True, check=True).stdout.decode()
    assert "Pages:           1" in info and "595.276 x 841.89 pts (A4)" in info


def test_who_may_download_the_pack(client, desa, personas):
    client.force_login(personas["opd"].user)  # sums and follow-ups only: the OPD too
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="lokakarya-{DESA}-2020-11.pdf"'
    assert client.get(f"/wilayah/{DESA}.001/2020-11/lokakarya.pdf").status_code == 404  # a desa's only
    client.force_login(personas["kader"].user)  # an RT's cadre does not see the desa
    assert client.get(URL).status_code == 404
    client.force_login(make_user("ppkbd", Role.KADER, DESA))
    assert client.get(URL).status_code == 200


def test_the_pack_takes_the_same_queries_whatever_the_desa_holds(desa, django_assert_max_num_queries):
    with django_assert_max_num_queries(16) as queries:
        pack_html(_desa(), NOV)
    for day in range(1, 10):
        make_activity(DESA, follow_ups=["A", "B"], date=datetime.date(2020, 11, day))
        make_report(f"{DESA}.003.00{day}", NOV, implan_swasta=day, suntik_pemerintah=3)
        make_couple(f"{DESA}.003.00{day}", "tial")
    with django_assert_max_num_queries(len(queries)):
        pack_html(_desa(), NOV)
