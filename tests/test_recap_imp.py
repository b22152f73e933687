"""The PPKBD's desa report in the OPD's recap ("Kegiatan PPKBD"): IMP institutions on record against
those that reported, meetings, KIE sessions and the poktan's figures, summed up the tree, in the
function's output, the PDF, the workbook and the dashboard; a constant number of queries."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from cadres.models import Institution, Role, Unit
from reports.models import ReportStatus
from reports.monthly.activities import activity_keys, desa_activity_save
from reports.numbers.exports.pdf import recap_pdf
from reports.numbers.exports.xlsx import recap_xlsx
from reports.numbers.imp_report import imp_report, imp_report_for
from tests.activity_factories import make_activity
from tests.factories import make_unit, make_user, system_admin
from tests.report_factories import make_report
from tests.test_recap_pdf import pdf_info, pdf_text

NOV = datetime.date(2020, 11, 1)
KAB, KEC = "32.14", "32.14.01"
A, B, C = "32.14.01.2001", "32.14.01.2002", "32.14.02.2001"  # desa; C in another kecamatan
OUTSIDE = "32.15.01.2001"
KINDS = ("ppkbd", "sub_ppkbd", "pok_kb", "bkb", "bkr", "bkl", "uppka", "pik_r")
FIELDS = ("families_targeted", "members", "members_pus", "members_pus_kb", "meetings")


def institutions(**pairs):
    """{kind: {"existing", "reporting"}} from kind=(existing, reporting); other kinds 0/0."""
    return {kind: dict(zip(("existing", "reporting"), pairs.get(kind, (0, 0)), strict=True)) for kind in KINDS}


def poktan(**figures):
    """{kind: {field: n}} from kind=(families, members, PUS, PUS ber-KB, meetings); others 0."""
    return {kind: dict(zip(FIELDS, figures.get(kind, (0,) * 5), strict=True)) for kind in ("bkb", "bkr", "bkl",
                                                                                          "uppka", "pik_r")}


def save_poktan(desa, version, **figures):
    values = dict.fromkeys(activity_keys(), 0)
    for kind, numbers in figures.items():
        values |= {f"{kind}_{name}": number for name, number in zip(FIELDS, numbers, strict=True)}
    desa_activity_save(desa=Unit.objects.get(code=desa), period=NOV, values=values, version=version,
                       by=system_admin())


def institution(code, kind, name="I"):
    return Institution.objects.create(unit=make_unit(code), kind=kind, name=name)


@pytest.fixture
def imp(tree):
    """Desa A: 1 PPKBD, 2 Sub-PPKBD (RW 001, 002), 3 POK KB, 2 BKB (desa, RW 001), 1 BKR, 1 PIK-R.
    Desa B: 1 PPKBD, 1 Sub-PPKBD, 1 POK KB, 1 BKB; no desa report in November.
    Desa C: 1 PPKBD, 1 Sub-PPKBD, 1 POK KB, 1 BKL. A desa of another kabupaten reports too."""
    Unit.objects.filter(code=A).update(name="Karangan Putih")
    make_unit(A + ".002.001")
    for code, kind in [(A, "ppkbd"), (A + ".001", "sub_ppkbd"), (A + ".002", "sub_ppkbd"), (A + ".001.001", "pok_kb"),
                       (A + ".001.002", "pok_kb"), (A + ".002.001", "pok_kb"), (A, "bkb"), (A + ".001", "bkb"),
                       (A, "bkr"), (A + ".002", "pik_r"),
                       (B, "ppkbd"), (B + ".001", "sub_ppkbd"), (B + ".001.001", "pok_kb"), (B, "bkb"),
                       (C, "ppkbd"), (C + ".001", "sub_ppkbd"), (C + ".001.001", "pok_kb"), (C, "bkl"),
                       (OUTSIDE, "ppkbd"), (OUTSIDE, "bkb")]:
        institution(code, kind)
    # Counted reports: RT A.001.001 (verified), A.002.001 and C.001.001 (sent); not counted: a draft
    # and a returned report, and B's report of October.
    make_report(A + ".001.001", NOV, pus=20, suntik_pemerintah=10)
    make_report(A + ".001.002", NOV, status=ReportStatus.DRAFT, pus=5)
    make_report(A + ".002.001", NOV, status=ReportStatus.SUBMITTED, pus=8)
    make_report(B + ".001.001", NOV, status=ReportStatus.RETURNED, pus=9)
    make_report(B + ".001.001", datetime.date(2020, 10, 1), pus=9)
    make_report(C + ".001.001", NOV, status=ReportStatus.SUBMITTED, pus=7)
    make_report(OUTSIDE + ".001.001", NOV, pus=3)
    # A: two meetings (one by RW 001's Sub-PPKBD) and a KIE session; BKB and PIK-R have numbers
    # (PIK-R only meetings), BKR only families targeted (not reporting), BKL numbers but no BKL on record.
    make_activity(A, kind="pertemuan")
    make_activity(A + ".001", kind="mini_lokakarya")
    make_activity(A, kind="kie")
    make_activity(A, kind="pelatihan")  # coaching counts in neither
    save_poktan(A, 1, bkb=(40, 25, 20, 15, 2), bkr=(10, 0, 0, 0, 0), bkl=(6, 5, 4, 3, 1), pik_r=(0, 0, 0, 0, 3))
    make_activity(B, kind="kie", date=datetime.date(2020, 10, 5))  # October: not November's report
    save_poktan(C, 0, bkl=(12, 9, 8, 6, 2))
    make_activity(C, kind="kie", date=datetime.date(2020, 11, 20))
    make_activity(OUTSIDE, kind="pertemuan")
    save_poktan(OUTSIDE, 1, bkb=(99, 90, 80, 70, 9))
    return A


DESA_A = {
    "institutions": institutions(ppkbd=(1, 1), sub_ppkbd=(2, 2), pok_kb=(3, 2), bkb=(2, 2), bkr=(1, 0), pik_r=(1, 1)),
    "reports": 1, "meetings": 2, "kie_sessions": 1,
    "poktan": poktan(bkb=(40, 25, 20, 15, 2), bkr=(10, 0, 0, 0, 0), bkl=(6, 5, 4, 3, 1), pik_r=(0, 0, 0, 0, 3)),
}
KECAMATAN = {
    "institutions": institutions(ppkbd=(2, 1), sub_ppkbd=(3, 2), pok_kb=(4, 2), bkb=(3, 2), bkr=(1, 0), pik_r=(1, 1)),
    "reports": 1, "meetings": 2, "kie_sessions": 1, "poktan": DESA_A["poktan"],
}
KABUPATEN = {
    "institutions": institutions(ppkbd=(3, 2), sub_ppkbd=(4, 3), pok_kb=(5, 3), bkb=(3, 2), bkr=(1, 0), bkl=(1, 1),
                                 pik_r=(1, 1)),
    "reports": 2, "meetings": 2, "kie_sessions": 2,
    "poktan": poktan(bkb=(40, 25, 20, 15, 2), bkr=(10, 0, 0, 0, 0), bkl=(18, 14, 12, 9, 3), pik_r=(0, 0, 0, 0, 3)),
}


def test_the_numbers_at_desa_kecamatan_and_kabupaten(imp):
    assert imp_report(A, NOV) == DESA_A
    assert imp_report(KEC, NOV) == KECAMATAN
    assert imp_report(KAB, NOV) == KABUPATEN


def test_a_month_without_anything_reported_has_the_institutions_and_zeros(imp):
    report = imp_report(KAB, datetime.date(2020, 9, 1))
    assert report["institutions"] == institutions(ppkbd=(3, 0), sub_ppkbd=(4, 0), pok_kb=(5, 0), bkb=(3, 0),
                                                  bkr=(1, 0), bkl=(1, 0), pik_r=(1, 0))
    assert (report["reports"], report["meetings"], report["kie_sessions"]) == (0, 0, 0)
    assert report["poktan"] == poktan()


def test_a_desa_report_counts_its_ppkbd_even_when_none_is_on_record(imp):
    Institution.objects.filter(unit_id=A, kind="ppkbd").delete()
    assert imp_report(A, NOV)["institutions"]["ppkbd"] == {"existing": 0, "reporting": 1}


def test_it_costs_two_queries_whatever_the_subtree(imp, django_assert_num_queries):
    for code in (A, KEC, KAB, "32"):
        with django_assert_num_queries(2):
            imp_report(code, NOV)


def test_below_a_desa_there_is_no_section_and_no_query(imp, django_assert_num_queries):
    rw = Unit.objects.get(code=A + ".001")
    with django_assert_num_queries(0):
        assert imp_report_for(rw, NOV) is None


def section(text: str) -> str:
    """The PDF's "Kegiatan PPKBD" section, up to the next section."""
    return re.search(r"KEGIATAN PPKBD(.*?)(?:\n\s*[IV]+\. |Kepala|\Z)", text, re.S).group(1)


# Per line of the PDF: the left table (institution, on record, reporting) and, beside it, the
# poktan (on record, reporting, families, members, PUS, PUS ber-KB, meetings).
@pytest.mark.parametrize(("code", "lines"), [
    (A, [r"PPKBD\s+1\s+1\s+BKB\s+2\s+2\s+40\s+25\s+20\s+15\s+2",
         r"Sub-PPKBD\s+2\s+2\s+BKR\s+1\s+0\s+10\s+0\s+0\s+0\s+0",
         r"POK KB\s+3\s+2\s+BKL\s+0\s+0\s+6\s+5\s+4\s+3\s+1",
         r"Pertemuan\s+2\s+UPPKA\s+0\s+0\s+0\s+0\s+0\s+0\s+0",
         r"Penyuluhan KIE\s+1\s+PIK-R\s+1\s+1\s+0\s+0\s+0\s+0\s+3"]),
    (KEC, [r"PPKBD\s+2\s+1\s+BKB\s+3\s+2\s+40\s+25", r"POK KB\s+4\s+2\s+BKL\s+0\s+0\s+6"]),
    (KAB, [r"PPKBD\s+3\s+2\s+BKB\s+3\s+2\s+40\s+25\s+20\s+15\s+2",
           r"Sub-PPKBD\s+4\s+3\s+BKR\s+1\s+0\s+10",
           r"POK KB\s+5\s+3\s+BKL\s+1\s+1\s+18\s+14\s+12\s+9\s+3",
           r"Pertemuan\s+2\s+UPPKA", r"Penyuluhan KIE\s+2\s+PIK-R\s+1\s+1\s+0\s+0\s+0\s+0\s+3"]),
])
def test_the_pdf_has_the_section_by_number(imp, code, lines):
    text = section(pdf_text(recap_pdf(Unit.objects.get(code=code), NOV)))
    for line in lines:
        assert re.search(line, text), (line, text)


def test_the_desa_pdf_stays_one_a4_page(imp):
    content = recap_pdf(Unit.objects.get(code=A), NOV)
    assert re.search(r"Pages:\s+1\n", pdf_info(content))
    assert "V. KEGIATAN PPKBD" in pdf_text(content)


def test_an_rw_pdf_has_no_section(imp):
    assert "KEGIATAN PPKBD" not in pdf_text(recap_pdf(Unit.objects.get(code=A + ".001"), NOV))


def sheet_rows(code):
    workbook = load_workbook(io.BytesIO(recap_xlsx(Unit.objects.get(code=code), NOV)))
    return workbook, [[cell.value for cell in row] for row in workbook["Kegiatan PPKBD"].iter_rows()]


@pytest.mark.parametrize(("code", "expected"), [(A, DESA_A), (KEC, KECAMATAN), (KAB, KABUPATEN)])
def test_the_workbook_has_the_section_by_number(imp, code, expected):
    workbook, rows = sheet_rows(code)
    assert workbook.sheetnames == ["Rekap", "Metode x Tempat", "Kegiatan PPKBD", "Laporan RT"]
    start = rows.index(["Institusi", "Ada", "Melapor"] + [None] * 3)
    institution_rows = rows[start + 1:start + 9]
    assert [row[1:3] for row in institution_rows] == [
        [expected["institutions"][kind]["existing"], expected["institutions"][kind]["reporting"]] for kind in KINDS]
    assert [row[0] for row in institution_rows] == ["PPKBD", "Sub-PPKBD", "POK KB", "BKB", "BKR", "BKL", "UPPKA",
                                                    "PIK-R"]
    assert ["Pertemuan", expected["meetings"]] + [None] * 4 in rows
    assert ["Penyuluhan KIE", expected["kie_sessions"]] + [None] * 4 in rows
    head = rows.index(["Poktan", "Keluarga sasaran", "Anggota", "Anggota PUS", "Anggota PUS ber-KB", "Pertemuan"])
    assert {row[0]: row[1:] for row in rows[head + 1:head + 6]} == {
        label: [expected["poktan"][kind][name] for name in FIELDS]
        for kind, label in [("bkb", "BKB"), ("bkr", "BKR"), ("bkl", "BKL"), ("uppka", "UPPKA"), ("pik_r", "PIK-R")]}


def test_the_workbook_numbers_are_numbers(imp):
    workbook, _rows = sheet_rows(KAB)
    sheet = workbook["Kegiatan PPKBD"]
    numbers = [cell for row in sheet.iter_rows() for cell in row[1:] if cell.value is not None
               and not isinstance(cell.value, str)]
    assert numbers and all(isinstance(cell.value, int) and cell.number_format == "#,##0" for cell in numbers)


def test_the_dashboard_shows_the_card(client, imp):
    client.force_login(make_user("opd", Role.OPD, KAB))
    page = client.get(f"/wilayah/{KAB}/2020-11/")
    assert page.context["imp_report"] == KABUPATEN
    html = page.content.decode()
    card = html[html.index('id="imp-heading"'):]
    assert 'class="table-responsive" tabindex="0"' in card
    assert re.search(r'data-imp="pok_kb".*?<td class="num">5</td><td class="num">3</td>', card, re.S)
    assert re.search(r'data-poktan="bkl".*?<td class="num">18</td><td class="num">14</td><td class="num">12</td>'
                     r'<td class="num">9</td><td class="num">3</td>', card, re.S)
    assert re.search(r'data-sum="meetings">2<', card) and re.search(r'data-sum="kie_sessions">2<', card)


def test_an_rt_dashboard_has_no_card(client, imp):
    client.force_login(make_user("opd", Role.OPD, KAB))
    page = client.get(f"/wilayah/{A}.001.001/2020-11/")
    assert page.context["imp_report"] is None
    assert 'id="imp-heading"' not in page.content.decode()


def orm_institution_counts(code, period):
    """The ORM's statement that `imp_report._institution_rows` writes as plain SQL."""
    from django.db.models import Count, Exists, OuterRef, Q
    from django.db.models.functions import Substr

    from cadres import codes
    from cadres.models import subtree_q
    from cadres.models.imp import InstitutionKind
    from reports.models import MonthlyReport, PoktanActivity
    from reports.monthly.activities import POKTAN_KINDS

    counted = MonthlyReport.objects.counted().filter(period=period)
    desa = Substr(OuterRef("unit_id"), 1, codes.CODE_LENGTHS["desa"])
    poktan_with_numbers = PoktanActivity.objects.filter(
        Q(members__gt=0) | Q(meetings__gt=0), report__desa_id=desa, report__period=period, kind=OuterRef("kind"))
    rw_reported = Unit.objects.filter(parent_id=OuterRef("unit_id")).filter(
        Exists(counted.filter(rt_id=OuterRef("code"))))
    reporting = ((Q(kind=InstitutionKind.SUB_PPKBD) & Exists(rw_reported))
                 | (Q(kind=InstitutionKind.POK_KB) & Exists(counted.filter(rt_id=OuterRef("unit_id"))))
                 | (Q(kind__in=POKTAN_KINDS) & Exists(poktan_with_numbers)))
    rows = (Institution.objects.filter(subtree_q(code, "unit__code")).values("kind")
            .annotate(existing=Count("pk"), reporting=Count("pk", filter=reporting)).order_by())
    return sorted((row["kind"], row["existing"], row["reporting"]) for row in rows)


def test_the_institutions_plain_sql_counts_what_the_orm_counted(imp):
    from reports.numbers.imp_report import _institution_rows

    for code in (A, KEC, KAB, "32", A + ".001", A + ".001.001", B, C, OUTSIDE):
        for period in (NOV, datetime.date(2020, 10, 1), datetime.date(2020, 9, 1)):
            assert sorted(_institution_rows(code, period)) == orm_institution_counts(code, period), (code, period)
    assert orm_institution_counts(KAB, NOV) != orm_institution_counts(KAB, datetime.date(2020, 9, 1))
