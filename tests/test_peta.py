"""The Peta PUS: the houses of an RT in walking order, coloured by the status at the month's end,
with marks; its counts equal the register recap of the RT; names only for those who may see them."""

import datetime
import subprocess

import pytest

from django.db.models import BooleanField, Case, Value, When

from cadres.models import Couple, Role, Service
from cadres.models.register import pus_on_q
from cadres.register.followup import with_status_on
from cadres.register.outreach import prospect_q
from cadres.register.peta import _couples, peta
from reports.numbers.register_month import rt_counts
from tests.factories import make_unit, make_user
from tests.register_factories import bulk_couples, make_couple, set_status
from tests.test_register_month import OLD, karangan_putih_histories, spread

D = datetime.date
NOV = D(2020, 11, 1)
DESA = "32.14.01.2001"
RT, RT2 = f"{DESA}.001.001", f"{DESA}.001.002"
URL = f"/wilayah/{RT}/2020-11/peta.pdf"


def colours(rt_map) -> dict[str, int]:
    return {key: n for key, n in rt_map.counts.items() if n}


def recap_colours(counts: dict) -> dict[str, int]:
    """The register recap's counts of one RT by the map's colours (methods over both places)."""
    by_key = {key: counts[key] for key in ("hamil", "ias", "iat", "tial")}
    for method in ("iud", "implan", "mow", "mop", "suntik", "pil", "kondom"):
        by_key[method] = counts[f"{method}_pemerintah"] + counts[f"{method}_swasta"]
    return {key: n for key, n in by_key.items() if n}


def test_the_maps_counts_equal_the_register_recap_of_each_rt(tree):
    make_unit(f"{DESA}.002.001")
    spread(karangan_putih_histories(), [(RT, 300), (RT2, 60), (f"{DESA}.002.001", 10)])
    maps = {rt_map.rt: rt_map for rt_map in peta(DESA, NOV)}
    recap = rt_counts(DESA, NOV)
    assert set(maps) == set(recap)
    for rt, rt_map in maps.items():
        assert colours(rt_map) == recap_colours(recap[rt]), rt
        assert rt_map.figures["pus"] == recap[rt]["pus"]
    assert sum(m.figures["pa"] for m in maps.values()) == 320  # Karangan Putih: 320 of 370
    assert sum(m.figures["mkjp"] for m in maps.values()) == 28


def test_who_left_passed_49_or_came_later_is_not_drawn_and_a_later_change_does_not_count(tree):
    make_couple(RT, "pil", since=OLD, wife_name="Ada Tetap", house_number="1")
    left = make_couple(RT, "pil", since=OLD, wife_name="Berhenti Oktober", house_number="2")
    Couple.objects.filter(pk=left.pk).update(left_on=D(2020, 10, 20), left_reason="pindah")
    make_couple(RT, "pil", since=OLD, born=D(1970, 11, 15), wife_name="Umur Lima Puluh", house_number="3")
    make_couple(RT, "pil", since=D(2020, 12, 5), wife_name="Datang Desember", house_number="4")
    changed = make_couple(RT, "suntik", since=OLD, wife_name="Ganti Desember", house_number="5")
    set_status(changed, D(2020, 12, 2), "implan")
    (rt_map,) = peta(RT, NOV)
    assert [(h.first_name, h.status) for h in rt_map.houses] == [("Ada", "pil"), ("Ganti", "suntik")]
    assert colours(rt_map) == recap_colours(rt_counts(RT, NOV)[RT])


def test_houses_follow_the_cadres_round_and_those_without_a_number_come_last(tree):
    for number, name in [("10", "Sepuluh"), ("", "Tanpa"), ("2A", "DuaA"), ("2", "Dua"), ("1", "Satu"),
                         ("Blok C", "Blok")]:
        make_couple(RT, "pil", since=OLD, wife_name=f"{name} Wati", house_number=number)
    (rt_map,) = peta(RT, NOV)
    assert [(h.number, h.first_name) for h in rt_map.houses] == [
        ("1", "Satu"), ("2", "Dua"), ("2A", "DuaA"), ("10", "Sepuluh"), ("Blok C", "Blok"), ("", "Tanpa")]


def test_the_marks_say_4t_prospect_visit_due_and_new_this_month(tree):
    make_couple(RT, "tial", since=OLD, wife_name="Tial Prospek", children=1, house_number="1")
    make_couple(RT, "implan", since=OLD, wife_name="Sudah Mkjp", children=4, house_number="2")
    pb = make_couple(RT, "hamil", since=OLD, wife_name="Baru Pasca", house_number="3")
    set_status(pb, D(2020, 11, 10), "iud")
    gc = make_couple(RT, "suntik", since=OLD, wife_name="Ganti Cara", house_number="4")
    set_status(gc, D(2020, 11, 12), "implan")
    make_couple(RT, "suntik", since=D(2020, 8, 20), wife_name="Suntik Telat", house_number="5")
    houses = {h.first_name: h for h in peta(RT, NOV, today=D(2020, 11, 30))[0].houses}
    assert (houses["Tial"].prospect, houses["Tial"].risk) == (True, False)
    assert (houses["Sudah"].prospect, houses["Sudah"].risk) == (False, True)  # 4 children, already MKJP
    assert (houses["Baru"].new, houses["Ganti"].new, houses["Tial"].new) == ("PB", "GC", "")
    assert houses["Suntik"].visit_due and not houses["Sudah"].visit_due  # 3-monthly, due 20 November


def orm_couples(code, end):
    """The ORM's statement that `peta._couples` writes as plain SQL."""
    return (
        with_status_on(Couple.objects.in_subtree(code).filter(pus_on_q(end)), end)
        .filter(current_status__isnull=False)
        .annotate(is_prospect=Case(When(prospect_q(end, "current_status"), then=Value(True)), default=Value(False),
                                   output_field=BooleanField()))
        .order_by("rt_id")
    )


READ = ("pk", "rt_id", "wife_name", "wife_birth_date", "children", "youngest_birth_date", "house_number",
        "current_status", "current_place", "current_since", "current_kind", "current_cycle",
        "current_expected_birth", "last_service", "is_prospect")


def test_the_maps_plain_sql_reads_the_couples_the_orm_read(tree):
    make_unit(f"{DESA}.002.001")
    spread(karangan_putih_histories(), [(RT, 300), (RT2, 60), (f"{DESA}.002.001", 10)])
    make_couple(RT, "tial", since=OLD, wife_name="Tial Muda", born=D(1995, 1, 1), children=1, house_number="1")
    make_couple(RT, "pil", since=OLD, wife_name="Pil Tua", born=D(1984, 11, 30), children=0,
                youngest_birth_date=D(2019, 12, 1))
    make_couple(RT, "pil", since=OLD, wife_name="Pil Hampir", born=D(1984, 12, 1), children=0)
    left = make_couple(RT2, "pil", since=OLD, wife_name="Pindah")
    Couple.objects.filter(pk=left.pk).update(left_on=D(2020, 11, 20), left_reason="pindah")
    served = make_couple(RT, "suntik", since=D(2020, 6, 5), wife_name="Suntik Ulang")
    Service.objects.create(couple=served, date=D(2020, 9, 5))
    Service.objects.create(couple=served, date=D(2020, 12, 5))  # after the month: not read
    set_status(make_couple(RT2, "hamil", since=OLD, wife_name="Hamil Lalu"), D(2020, 11, 28), "iud")
    for code in (DESA, RT, RT2, f"{DESA}.001"):
        for end in (D(2020, 11, 30), D(2020, 10, 31), D(2019, 5, 31), D(2021, 2, 28)):
            plain = sorted(tuple(getattr(c, name) for name in READ) for c in _couples(code, end))
            orm = sorted(tuple(getattr(c, name) for name in READ) for c in orm_couples(code, end))
            assert plain == orm, (code, end)
            assert [c.rt_id for c in _couples(code, end)] == sorted(c.rt_id for c in _couples(code, end))
    assert any(c.last_service for c in _couples(RT, D(2020, 11, 30)))
    assert {c.is_prospect for c in _couples(DESA, D(2020, 11, 30))} == {True, False}


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def pages(content: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return int(info.split("Pages:")[1].split()[0])


@pytest.fixture
def houses(tree):
    make_couple(RT, "iud", since=OLD, wife_name="Rahasia Wati", house_number="17")
    make_couple(RT, "tial", since=OLD, wife_name="Nining Lestari", house_number="18")
    make_couple(RT2, "pil", since=OLD, wife_name="Euis Rahayu", house_number="3")


def test_the_pdf_names_houses_for_the_cadres_and_gives_the_opd_counts_only(client, houses, personas):
    ppkbd = make_user("ppkbd", Role.KADER, DESA)
    client.force_login(ppkbd)
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="peta-{RT}-2020-11.pdf"'
    text = " ".join(pdf_text(response.content).split())
    assert "Peta PUS · RT 001 / RW 001" in text and all(word in text for word in ("17", "18", "Rahasia", "Nining"))
    assert "PUS 2" in text and "KB aktif (50,00%) 1" in text
    client.force_login(personas["opd"].user)
    text = " ".join(pdf_text(client.get(URL).content).split())
    assert "Rahasia" not in text and "Nining" not in text and "PUS 2" in text
    assert "Nama dan nomor rumah hanya untuk kader, PKB dan admin" in text


def test_a_desa_map_has_a_page_per_rt_with_couples(client, houses, personas):
    client.force_login(personas["pkb"].user)
    response = client.get(f"/wilayah/{DESA}/2020-11/peta.pdf")
    assert pages(response.content) == 2
    assert client.get("/wilayah/32.14.01/2020-11/peta.pdf").status_code == 404  # a kecamatan: too many
    client.force_login(personas["outsider"].user)
    assert client.get(URL).status_code == 404
    client.force_login(personas["kader"].user)  # her own RT only
    assert client.get(URL).status_code == 200
    assert client.get(f"/wilayah/{RT2}/2020-11/peta.pdf").status_code == 404


def test_the_rt_dashboard_shows_the_map_to_the_cadre_and_counts_to_the_opd(client, houses, personas):
    client.force_login(personas["kader"].user)
    page = client.get(f"/wilayah/{RT}/2020-11/").content.decode()
    assert 'data-status="iud"' in page and "Rahasia" in page and f"/wilayah/{RT}/2020-11/peta.pdf" in page
    client.force_login(personas["opd"].user)
    page = client.get(f"/wilayah/{RT}/2020-11/").content.decode()
    assert "Rahasia" not in page and 'data-status="iud"' not in page and 'data-legend="iud"' in page


def test_the_map_takes_one_query_whatever_the_number_of_couples(tree, django_assert_num_queries):
    bulk_couples(RT, [[(OLD, "pil", "pemerintah")]] * 40)
    bulk_couples(RT2, [[(OLD, "suntik", "swasta"), (D(2020, 11, 3), "implan", "swasta")]] * 25)
    with django_assert_num_queries(1):
        maps = peta(DESA, NOV)
    assert [len(m.houses) for m in maps] == [40, 25]


def test_an_rt_of_48_couples_fits_one_a4_page_and_a_longer_one_goes_on_named(client, tree, personas):
    bulk_couples(RT, [[(OLD, "pil", "pemerintah")]] * 48)
    client.force_login(personas["kader"].user)
    assert pages(client.get(URL).content) == 1
    bulk_couples(RT, [[(OLD, "suntik", "swasta")]] * 40)
    content = client.get(URL).content
    assert pages(content) == 2
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-", "-"], input=content, capture_output=True,
                            check=True).stdout.decode()
    assert "Peta PUS · RT 001 / RW 001" in second  # the RT named on the page it continues on


# The houses' loop as the template wrote it before `kb_format.peta_houses` (the same markup).
HOUSES_LOOP = """{% for house in houses %}
  <li class="peta-house peta-{{ house.status }}" data-status="{{ house.status }}">
    <span class="peta-number">{{ house.number|default:"–" }}</span>
    <span class="peta-name">{{ house.first_name }}</span>
    <span class="peta-status">{{ house.short }}</span>
    <span class="peta-marks">{% if house.risk %}<b>4T</b> {% endif %}{% if house.prospect %}<b>P</b> {% endif %}{% if house.visit_due %}<b>K</b> {% endif %}{% if house.new %}<b>{{ house.new }}</b>{% endif %}</span>
  </li>
  {% endfor %}"""


def test_the_houses_written_in_python_are_the_templates_markup():
    from itertools import product

    from django.template import Context, Template

    from cadres.register.peta import House
    from reports.templatetags.kb_format import peta_houses

    houses = [House(number, name, status, risk, prospect, due, new)
              for (number, name), status, (risk, prospect, due), new in product(
                  [("", "Tanpa"), ("12A", "<Siti> & 'Ani\\\""), ("3", "")], ("iud", "tial", "hamil"),
                  product((False, True), repeat=3), ("", "PB", "GC"))]
    assert str(peta_houses(houses)) == Template(HOUSES_LOOP).render(Context({"houses": houses}))
    assert peta_houses([]) == ""
