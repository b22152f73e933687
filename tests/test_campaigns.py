"""MKJP campaigns: a one-month drive in Kabupaten 32.14 for 1,831 implant and IUD acceptors (new
users and users switching from another method), its progress from the register and from the
monthly reports, the campaign page and the dashboard."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reports.models import Campaign, ReportStatus
from reports.targets.campaigns import active_campaigns, campaign_create, progress
from tests.factories import system_admin
from tests.register_factories import bulk_couples
from tests.report_factories import make_report

RT_A = "32.14.01.2001.001.001"
RT_B = "32.14.02.2001.001.001"
RT_OUTSIDE = "32.15.01.2001.001.001"
MAY = {"start": datetime.date(2024, 5, 1), "end": datetime.date(2024, 5, 31)}


def drive(unit_code="32.14", **dates):
    from cadres.models import Unit

    return campaign_create(unit=Unit.objects.get(code=unit_code), by=system_admin(), name="Bulan MKJP",
                           **(dates or MAY), iud=600, implan=1231)


def day(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def may_register(tree):
    """The register around May 2024: three PB count (implan 10 May, IUD 31 May, IUD 20 May) and
    one switch into an implant (12 May)."""
    bulk_couples(RT_A, [
        [(day("2024-04-01"), "ias", ""), (day("2024-05-10"), "implan", "pemerintah")],  # never used before
        [(day("2024-03-01"), "suntik", "swasta"), (day("2024-05-12"), "implan", "swasta")],  # a switch: GC
    ])
    bulk_couples(RT_A, [
        [(day("2024-05-31"), "iud", "swasta")],
        [(day("2024-06-01"), "iud", "pemerintah")],  # after the end
        [(day("2024-04-30"), "implan", "pemerintah")],  # before the start
        [(day("2024-05-15"), "pil", "swasta")],  # not a method of the drive
    ], first_use="pb")  # each her first use, said when written in
    bulk_couples(RT_A, [[(day("2024-05-05"), "iud", "pemerintah")]], born=day("1970-01-01"), first_use="pb")  # 54
    bulk_couples(RT_A, [[(day("2024-05-06"), "implan", "pemerintah")]] * 3)  # continuing users written in
    bulk_couples(RT_B, [[(day("2024-05-20"), "iud", "pemerintah")]], first_use="pb")
    bulk_couples(RT_OUTSIDE, [[(day("2024-05-20"), "implan", "pemerintah")]], first_use="pb")  # elsewhere


@pytest.fixture
def may_reports(tree):
    """Counted reports of May 2024 give 4 IUD and 6 implant PB (and 9 pill, not counted), and 7
    switches into IUD and implants (and 3 into pills, not counted)."""
    make_report(RT_A, "2024-05", pus=30, pil_pemerintah=20, pb_iud=4, pb_implan=6, pb_pil=9,
                gc_iud=2, gc_implan=5, gc_pil=3)
    make_report(RT_A, "2024-04", pus=30, pil_pemerintah=20, pb_iud=100)  # before
    make_report(RT_B, "2024-06", pus=30, pil_pemerintah=20, pb_implan=50)  # after
    make_report("32.14.01.2001.001.002", "2024-05", status=ReportStatus.DRAFT, pus=9, pb_iud=30)  # not counted
    make_report(RT_OUTSIDE, "2024-05", pus=30, pil_pemerintah=20, pb_iud=70)  # another kabupaten


def test_the_drive_counts_register_pb_and_switches_of_its_methods_within_its_dates(may_register, may_reports):
    [result] = progress([drive()])
    assert result.target == 1831
    assert result.counted["register"]["pb"]["iud"] == 2 and result.counted["register"]["pb"]["implan"] == 1
    assert result.counted["register"]["gc"]["implan"] == 1
    assert result.register == {"pb": 3, "gc": 1, "total": 4, "pct": Decimal("0.22"), "remaining": 1827}
    assert [(row["method"], row["target"], row["register"]) for row in result.method_rows()] == [
        ("iud", 600, {"pb": 2, "gc": 0, "total": 2}), ("implan", 1231, {"pb": 1, "gc": 1, "total": 2})]


def test_the_drive_counts_pb_and_switches_of_the_counted_reports_of_the_months_it_overlaps(may_register,
                                                                                             may_reports):
    [result] = progress([drive()])
    assert result.reports == {"pb": 10, "gc": 7, "total": 17, "pct": Decimal("0.93"), "remaining": 1814}
    assert result.months == "Mei 2024"
    # From 20 April to 10 May: the reports of April and May count, the register only within the days.
    [longer] = progress([drive(start=day("2024-04-20"), end=day("2024-05-10"))])
    assert (longer.reports["pb"], longer.reports["gc"]) == (110, 7) and longer.months == "April 2024 – Mei 2024"
    assert (longer.register["pb"], longer.register["gc"]) == (2, 0)  # the implants of 30 April and 10 May


def test_the_1831_drive_is_met_half_by_switches(tree, client, personas):
    """The reports of May bring 916 new implant and IUD users and 915 injection and pill users
    who switched to them: the drive is met, and its page says how."""
    make_report(RT_A, "2024-05", pus=3000, implan_pemerintah=1500, iud_pemerintah=1000, pil_pemerintah=500,
                pb_implan=616, pb_iud=300, gc_implan=615, gc_iud=300, gc_pil=40)
    [result] = progress([drive()])
    assert result.reports == {"pb": 916, "gc": 915, "total": 1831, "pct": Decimal("100.00"), "remaining": 0}
    client.force_login(personas["opd"].user)
    body = client.get("/kampanye/32.14/").content.decode()
    assert "Laporan: PB 916 + ganti cara 915 = <strong>1.831</strong> (100,00%), sisa 0" in body


def test_a_drive_in_the_register_met_half_by_switches(tree, client, personas):
    """A drive of 10 acceptors in one RT: five couples start an implant or IUD for the first time
    (or after a birth), five switch to one from injections; continuing users written in count not."""
    campaign = drive(RT_A)
    Campaign.objects.filter(pk=campaign.pk).update(iud=4, implan=6)
    bulk_couples(RT_A, [[(day("2024-04-01"), "ias", ""), (day("2024-05-10"), "implan", "pemerintah")]] * 3)
    bulk_couples(RT_A, [[(day("2024-04-01"), "hamil", ""), (day("2024-05-11"), "iud", "pemerintah")]] * 2)
    bulk_couples(RT_A, [[(day("2024-01-01"), "suntik", "swasta"), (day("2024-05-12"), "implan", "swasta")]] * 3)
    bulk_couples(RT_A, [[(day("2024-01-01"), "pil", "swasta"), (day("2024-05-13"), "iud", "swasta")]] * 2)
    bulk_couples(RT_A, [[(day("2024-05-14"), "implan", "swasta")]] * 30)  # written in, already using
    [result] = progress([Campaign.objects.get()])
    assert result.register == {"pb": 5, "gc": 5, "total": 10, "pct": Decimal("100.00"), "remaining": 0}
    client.force_login(personas["kader"].user)
    body = client.get(f"/kampanye/{RT_A}/").content.decode()
    assert "Register: PB 5 + ganti cara 5 = <strong>10</strong> (100,00%), sisa 0" in body


def test_the_progress_of_many_campaigns_takes_two_queries(may_register, may_reports, django_assert_num_queries):
    campaigns = [drive(), drive("32.14.01"), drive("32.14.02", start=day("2024-05-15"), end=day("2024-06-30"))]
    with django_assert_num_queries(2):
        results = progress(campaigns)
    assert [(r.reports["total"], r.register["total"]) for r in results] == [(17, 4), (17, 3), (50, 1)]


def test_a_campaign_cannot_end_before_it_starts(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.create(unit_id="32.14", name="x", start=day("2024-05-02"), end=day("2024-05-01"))


def test_only_running_campaigns_of_the_unit_and_above_are_active(tree):
    today = day("2024-05-20")
    running, _ended, _elsewhere = drive(), drive(start=day("2024-04-01"), end=day("2024-04-30")), drive("32.15")
    below = drive("32.14.01.2001")
    assert [p.campaign for p in active_campaigns("32.14.01.2001", today)] == [running, below]
    assert [p.campaign for p in active_campaigns("32.14", today)] == [running]


def test_the_dashboard_shows_the_running_drive_with_its_progress(client, personas, may_reports):
    today = timezone.localdate()
    drive(start=today - datetime.timedelta(days=5), end=today + datetime.timedelta(days=25))
    client.force_login(personas["pkb"].user)
    body = client.get("/wilayah/32.14.01.2001/2024-05/").content.decode()
    assert "Kampanye berjalan" in body and "Bulan MKJP" in body and "1.831" in body
    assert 'href="/kampanye/32.14.01.2001/"' in body
    assert "/target/" not in body  # only the OPD and admins set targets
    client.force_login(personas["opd"].user)
    assert 'href="/target/32.14/2024/"' in client.get("/wilayah/32.14/2024-05/").content.decode()


def test_the_opd_creates_a_campaign_and_a_kader_reads_it(client, personas):
    client.force_login(personas["opd"].user)
    data = {"name": "Bulan MKJP", "start": "2024-05-01", "end": "2024-05-31", "iud": "600", "implan": "1231",
            "mow": "0", "mop": "0", "suntik": "0", "pil": "0", "kondom": "0"}
    response = client.post("/kampanye/32.14/", data)
    assert response.status_code == 302 and response.url == "/kampanye/32.14/"
    campaign = Campaign.objects.get()
    assert (campaign.unit_id, campaign.total, campaign.created_by) == ("32.14", 1831, personas["opd"].user)
    client.force_login(personas["kader"].user)
    response = client.get(f"/kampanye/{RT_A}/")
    body = response.content.decode()
    assert response.status_code == 200 and "Bulan MKJP" in body and "Target 1.831 akseptor" in body
    assert "laporan bulanan, bulan yang beririsan (Mei 2024)" in body
    assert "Kampanye baru" not in body
    assert client.post(f"/kampanye/{RT_A}/", data).status_code == 403
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"end": "2024-04-30"}, "Tanggal selesai tidak boleh sebelum tanggal mulai."),
        ({"start": "2024-13-01"}, "Tanggal mulai tidak sah (TTTT-BB-HH)."),
        ({"name": ""}, "Nama kampanye wajib diisi."),
        ({"iud": "-3"}, "Target IUD tidak boleh kurang dari 0."),
        ({"implan": ""}, "Target Implan wajib diisi (tulis 0 bila tidak ada)."),
        ({"iud": "0", "implan": "0"}, "Isi target paling sedikit satu metode."),
    ],
)
def test_a_bad_campaign_is_named_and_not_saved(client, personas, change, message):
    client.force_login(personas["opd"].user)
    data = {"name": "Bulan MKJP", "start": "2024-05-01", "end": "2024-05-31", "iud": "600", "implan": "1231",
            "mow": "0", "mop": "0", "suntik": "0", "pil": "0", "kondom": "0"} | change
    response = client.post("/kampanye/32.14/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Campaign.objects.count() == 0


def test_an_outsider_gets_404(client, personas):
    client.force_login(personas["outsider"].user)
    assert client.get("/kampanye/32.14/").status_code == 404
    assert client.post("/kampanye/32.14/", {"name": "x"}).status_code == 404


FORM = {"name": "Bulan MKJP", "start": "2024-05-01", "end": "2024-05-31", "iud": "600", "implan": "1231",
        "mow": "0", "mop": "0", "suntik": "0", "pil": "0", "kondom": "0"}


def test_the_opd_creates_edits_and_deletes_a_campaign_after_confirming(client, personas):
    client.force_login(personas["opd"].user)
    assert 'href="/kampanye/32.14/baru/"' in client.get("/kampanye/32.14/").content.decode()
    assert client.get("/kampanye/32.14/baru/").status_code == 200
    response = client.post("/kampanye/32.14/baru/", FORM)
    assert response.status_code == 302 and response.url == "/kampanye/32.14/"
    campaign = Campaign.objects.get()
    body = client.get("/kampanye/32.14/").content.decode()
    assert f'href="/kampanye/32.14/{campaign.pk}/ubah/"' in body
    assert f'href="/kampanye/32.14/{campaign.pk}/hapus/"' in body

    edit = f"/kampanye/32.14/{campaign.pk}/ubah/"
    assert 'value="Bulan MKJP"' in client.get(edit).content.decode()
    assert 'value="2024-05-01"' in client.get(edit).content.decode()
    response = client.post(edit, FORM | {"name": "MKJP Juni", "start": "2024-06-01", "end": "2024-06-30", "iud": "700"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.start, campaign.iud, campaign.total) == ("MKJP Juni", day("2024-06-01"), 700, 1931)

    delete = f"/kampanye/32.14/{campaign.pk}/hapus/"
    page = client.get(delete)
    body = page.content.decode()
    assert page.status_code == 200 and Campaign.objects.count() == 1  # asking deletes nothing
    assert "Hapus kampanye?" in body and "MKJP Juni" in body and "target 1.931 PB" in body
    assert "Ya, hapus kampanye MKJP Juni" in body
    response = client.post(delete)
    assert response.status_code == 302 and response.url == "/kampanye/32.14/"
    assert Campaign.objects.count() == 0


@pytest.mark.parametrize("persona, status", [("kader", 403), ("pkb", 403), ("outsider", 404)])
def test_only_the_opd_and_the_admin_change_campaigns(client, personas, persona, status):
    campaign = drive("32.14.01.2001.001.001")
    client.force_login(personas[persona].user)
    base = f"/kampanye/{campaign.unit_id}/"
    for url in (f"{base}baru/", f"{base}{campaign.pk}/ubah/", f"{base}{campaign.pk}/hapus/"):
        assert client.get(url).status_code == status, url
        assert client.post(url, FORM | {"name": "diubah"}).status_code == status, url
    assert list(Campaign.objects.values_list("name", flat=True)) == ["Bulan MKJP"]
    assert Campaign.objects.count() == 1
    if status == 403:
        assert "/ubah/" not in client.get(base).content.decode()


def test_a_campaign_outside_the_scope_or_under_another_unit_is_not_found(client, personas):
    outside = drive("32.15")
    inside = drive("32.14.01")
    client.force_login(personas["opd"].user)
    assert client.get(f"/kampanye/32.15/{outside.pk}/ubah/").status_code == 404
    assert client.post(f"/kampanye/32.15/{outside.pk}/hapus/").status_code == 404
    # A campaign is addressed under its own unit: another unit's code, even in scope, finds nothing.
    assert client.post(f"/kampanye/32.14/{outside.pk}/hapus/").status_code == 404
    assert client.get(f"/kampanye/32.14/{inside.pk}/ubah/").status_code == 404
    assert Campaign.objects.count() == 2
    client.force_login(personas["admin"].user)
    assert client.post(f"/kampanye/32.15/{outside.pk}/hapus/").status_code == 302
    assert list(Campaign.objects.values_list("unit_id", flat=True)) == ["32.14.01"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"start": "1999-12-31"}, "Tanggal mulai harus antara tahun 2000 dan 2100."),
        ({"end": "2101-01-01"}, "Tanggal selesai harus antara tahun 2000 dan 2100."),
        ({"iud": "100000"}, "Target IUD terlalu besar (paling banyak 99.999)."),
        ({"implan": "2,5"}, "Target Implan harus bilangan bulat."),
        ({"end": "2024-04-30"}, "Tanggal selesai tidak boleh sebelum tanggal mulai."),
    ],
)
def test_a_bad_edit_is_named_and_changes_nothing(client, personas, change, message):
    campaign = drive()
    client.force_login(personas["opd"].user)
    response = client.post(f"/kampanye/32.14/{campaign.pk}/ubah/", FORM | {"name": "diubah"} | change)
    assert response.status_code == 200 and message in response.content.decode()
    campaign.refresh_from_db()
    assert (campaign.name, campaign.iud, campaign.end) == ("Bulan MKJP", 600, day("2024-05-31"))


def test_a_cadre_of_one_rt_sees_her_rts_share_of_a_kabupaten_drive_not_the_others(client, personas, tree):
    """The drive runs for the kabupaten; RT_A's cadre sees RT_A's acceptors only, and no
    percentage of a target that is not hers; the OPD sees the whole drive."""
    drive()
    make_report(RT_A, "2024-05", pus=30, implan_pemerintah=10, suntik_pemerintah=20, pb_implan=2, gc_implan=1)
    make_report("32.14.01.2001.001.002", "2024-05", pus=30, implan_pemerintah=30, pb_implan=9, gc_iud=7)
    make_report(RT_B, "2024-05", pus=30, implan_pemerintah=30, pb_implan=20)
    client.force_login(personas["kader"].user)
    body = client.get(f"/kampanye/{RT_A}/").content.decode()
    assert "Laporan: PB 2 + ganti cara 1 = <strong>3</strong>" in body
    assert "Target 1.831 akseptor untuk seluruh" in body and "PB 31" not in body and "(0," not in body
    [share] = active_campaigns(RT_A, today=datetime.date(2024, 5, 20))
    assert (share.partial, share.reports) == (True, {"pb": 2, "gc": 1, "total": 3, "pct": None, "remaining": None})
    client.force_login(personas["opd"].user)
    body = client.get("/kampanye/32.14/").content.decode()
    assert "Laporan: PB 31 + ganti cara 8 = <strong>39</strong> (2,13%), sisa 1.792" in body


def orm_reports_counts(campaigns, units):
    """The ORM's statement that `campaigns._reports_sums` writes as plain SQL, added up per campaign."""
    from django.db.models import Sum

    from cadres.indicators import METHODS
    from reports.models import MonthlyReport, rt_subtree_q

    places = sorted(set(units.values()))
    fields = [f"{kind}_{m}" for kind in ("pb", "gc") for m in METHODS]
    q = rt_subtree_q(places[0])
    for place in places[1:]:
        q |= rt_subtree_q(place)
    rows = (MonthlyReport.objects.counted().filter(q, period__gte=min(c.start.replace(day=1) for c in campaigns),
                                                   period__lte=max(c.end.replace(day=1) for c in campaigns))
            .values("period").annotate(**{f"u{i}_{name}": Sum(name, filter=rt_subtree_q(place))
                                          for i, place in enumerate(places) for name in fields}).order_by())
    counts = {c.pk: {kind: dict.fromkeys(METHODS, 0) for kind in ("pb", "gc")} for c in campaigns}
    for row in rows:
        for c in campaigns:
            if c.start.replace(day=1) <= row["period"] <= c.end.replace(day=1):
                for name in fields:
                    kind, m = name.split("_")
                    counts[c.pk][kind][m] += row[f"u{places.index(units[c.pk])}_{name}"] or 0
    return counts


def test_the_reports_plain_sql_sums_what_the_orm_summed(may_reports):
    from reports.targets.campaigns import _reports_counts

    make_report(RT_B, "2024-05", pus=12, pil_pemerintah=5, pb_mow=1, gc_kondom=2, gc_iud=3)
    make_report(RT_A, "2024-06", pus=31, pil_pemerintah=21, pb_iud=2, gc_implan=1)
    campaigns = [drive(), drive("32.14.01"), drive("32.14.02", start=day("2024-05-15"), end=day("2024-06-30")),
                 drive("32.15", start=day("2024-04-01"), end=day("2024-06-30")), drive(RT_A)]
    for units in ({c.pk: c.unit_id for c in campaigns}, {c.pk: "32.14.01.2001" for c in campaigns},
                  {c.pk: RT_A for c in campaigns}, {c.pk: "32" for c in campaigns}):
        assert _reports_counts(campaigns, units) == orm_reports_counts(campaigns, units), units
    assert _reports_counts(campaigns, {c.pk: "32" for c in campaigns})[campaigns[3].pk]["pb"]["iud"] == 176


def test_the_running_campaigns_plain_sql_reads_what_the_orm_read(tree, django_assert_num_queries):
    from reports.targets.campaigns import CAMPAIGN_COLUMNS, _of_unit_and_ancestors, _running

    drive(), drive(start=day("2024-04-01"), end=day("2024-04-30")), drive("32.15"), drive("32.14.01.2001")
    drive("32.14.01", start=day("2024-05-20"), end=day("2024-05-20"))
    campaign_create(unit=unit_of(RT_A), by=system_admin(), name="A Kampanye RT", start=day("2024-05-01"),
                    end=day("2024-06-30"), pil=3)

    def read(campaigns):
        return [(*(getattr(c, name) for name in CAMPAIGN_COLUMNS), c.unit.name, c.unit.parent_id, c.unit.rts)
                for c in campaigns]

    for code in (RT_A, "32.14.01.2001", "32.14.01", "32.14", "32", RT_OUTSIDE):
        for today in (day("2024-05-20"), day("2024-04-15"), day("2024-06-01"), day("2023-01-01")):
            orm = read(_of_unit_and_ancestors(code).filter(start__lte=today, end__gte=today))
            with django_assert_num_queries(1):
                assert read(_running(code, today)) == orm, (code, today)
    assert len(_running(RT_A, day("2024-05-20"))) == 4


def unit_of(code):
    from cadres.models import Unit

    return Unit.objects.get(code=code)
