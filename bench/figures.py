"""What the bench measures on a synthesized kabupaten: the floors (hand-written single SQL
aggregates over the same rows), the recap at each level, the dashboards, the register month,
the exports and the imports."""

import datetime
import random
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from django.db import connection, transaction
from django.db.models import Max
from django.test import Client

from bench.files import pus_file, reports_file
from bench.loadhttp import Page
from bench.measure import Figure, in_child, in_process, median_ms, queries_of
from cadres.indicators import COUNT_FIELDS
from cadres.models import Couple, CoupleStatus, Role, Unit, User
from cadres.models.register import birthday_bounds
from cadres.periods import add_months, month_end, period_str
from reports.models import MonthlyReport, ReportStatus
from reports.numbers.recap import recap_for
from reports.demo.bulk import bulk_insert
from reports.demo.synth import Size, couple_with_history, linked_rows, rt_codes
from reports.numbers.register_month import register_rollup

REPORTS = MonthlyReport._meta.db_table
FLOOR_SQL = (f"SELECT {', '.join(f'SUM({name})' for name in COUNT_FIELDS)} FROM {REPORTS} "
             "WHERE period = %s AND {subtree}")
FLOOR_YTD_SQL = FLOOR_SQL.replace("period = %s", "period >= %s AND period <= %s")
REGISTER_FLOOR_SQL = (
    f"SELECT s.status, s.place, COUNT(*) FROM {CoupleStatus._meta.db_table} s "
    f"JOIN {Couple._meta.db_table} c ON c.id = s.couple_id "
    "WHERE {subtree} AND s.since <= %s AND (s.until IS NULL OR s.until > %s) "
    "AND c.registered_on <= %s AND c.wife_birth_date > %s AND c.wife_birth_date <= %s "
    "AND (c.left_on IS NULL OR c.left_on > %s) GROUP BY s.status, s.place"
)
IMPORT_ROWS = 100_000


def level_codes(kabupaten: str) -> dict[str, str]:
    """The kabupaten and the first unit at each level below it."""
    units = Unit.objects.subtree(kabupaten)
    return {"kabupaten": kabupaten, **{level: units.at_level(level).order_by("code").first().code
                                       for level in ("kecamatan", "desa", "rt")}}


def pattern(code: str) -> str:
    return code if code.count(".") == 5 else code + ".%"


def in_subtree(sql: str, column: str, code: str) -> tuple[str, list]:
    """The floor's subtree filter, the fastest each database has: on SQLite an index range of
    codes (its LIKE never uses an index), on PostgreSQL LIKE on its varchar_pattern_ops index."""
    if connection.vendor == "sqlite":
        return sql.replace("{subtree}", f"{column} >= %s AND {column} < %s"), [code, code + "/"]
    return sql.replace("{subtree}", f"{column} LIKE %s"), [pattern(code)]


def sql_call(sql: str, params: list):
    def call():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    return call


def floors(codes: dict[str, str], period: datetime.date, runs: int) -> list[Figure]:
    figures = []
    for level, code in codes.items():
        rows = MonthlyReport.objects.filter(rt_id__in=Unit.objects.subtree(code).values("code"), period=period).count()
        sql, subtree = in_subtree(FLOOR_SQL, "rt_id", code)
        figures.append(Figure(f"floor.{level}", median_ms(sql_call(sql, [period, *subtree]), runs),
                              runs, queries=1, rows=rows))
    january = datetime.date(period.year, 1, 1)
    sql, subtree = in_subtree(FLOOR_YTD_SQL, "rt_id", codes["kabupaten"])
    ytd = sql_call(sql, [january, period, *subtree])
    figures.append(Figure("floor_ytd.kabupaten", median_ms(ytd, runs), runs, queries=1,
                          rows=MonthlyReport.objects.filter(period__gte=january, period__lte=period).count(),
                          note="the same sums over January to the month: the rows the recap reads for PB so far"))
    end = month_end(period)
    born_after, born_by = birthday_bounds(end)
    for level in ("desa", "kabupaten"):
        sql, subtree = in_subtree(REGISTER_FLOOR_SQL, "c.rt_id", codes[level])
        params = [*subtree, end, end, end, born_after, born_by, end]
        figures.append(Figure(f"floor_register.{level}", median_ms(sql_call(sql, params), runs),
                              runs, queries=1, rows=Couple.objects.in_subtree(codes[level]).count()))
    return figures


def admin_client() -> Client:
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": Role.ADMIN, "is_staff": True, "is_superuser": True})
    client = Client()
    client.force_login(admin)
    return client


def page_call(client: Client, url: str):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.content
    return call


def pages(codes: dict[str, str], period: datetime.date, runs: int, heavy_runs: int) -> list[Figure]:
    client, month = admin_client(), period_str(period)
    figures = [
        in_process(f"recap.json.{level}", page_call(client, f"/wilayah/{code}/{month}/rekap.json"), runs,
                   floor=f"floor.{level}")
        for level, code in codes.items()
    ]
    kabupaten = Unit.objects.get(code=codes["kabupaten"])
    figures.append(in_process("recap_for.kabupaten", lambda: recap_for(kabupaten, period), runs, floor="floor.kabupaten"))
    for level in ("desa", "kabupaten"):
        figures.append(in_process(f"dashboard.{level}", page_call(client, f"/wilayah/{codes[level]}/{month}/"),
                                  runs, floor=f"floor.{level}"))
    figures.append(in_process("register_month.desa", lambda: register_rollup(codes["desa"], period), runs,
                              floor="floor_register.desa"))
    figures.append(in_process("register_page.desa", page_call(client, f"/register/{codes['desa']}/"), runs,
                              floor="floor_register.desa"))
    figures.append(follow_ups_of_a_bigger_desa(client, codes["desa"], period, runs))
    for kind in ("pdf", "xlsx"):
        figures.append(in_process(f"rekap.{kind}.kabupaten",
                                  page_call(client, f"/wilayah/{codes['kabupaten']}/{month}/rekap.{kind}"),
                                  heavy_runs, floor="floor.kabupaten"))
    figures += attempt_all("cpu", lambda: cpu_per_request(codes, period, runs))
    return figures


EXTRA_PER_RT = 5  # 20 RTs × (25 + 5) couples: the 600 couples of the follow-up list's target


def follow_ups_of_a_bigger_desa(client, desa: str, period: datetime.date, runs: int) -> Figure:
    """The follow-up list of the bench's desa grown to 600 couples (5 more in each RT, made as
    synth makes them), measured, then rolled back so that no other figure sees them."""
    size, rng = Size(), random.Random(f"bench:{desa}")
    first = add_months(period, 1 - size.months)
    with transaction.atomic():
        last = Couple.objects.aggregate(last=Max("id"))["last"]
        couples, statuses = [], []
        for rt in rt_codes(desa, size):
            for number in range(size.couples_per_rt + 1, size.couples_per_rt + EXTRA_PER_RT + 1):
                last += 1
                couple, history = couple_with_history(rng, rt, number, first, period)
                couples.append(couple | {"id": last})
                statuses += linked_rows(couples[-1], history)
        bulk_insert(Couple, couples)
        bulk_insert(CoupleStatus, statuses)
        figure = in_process("follow_ups.desa", page_call(client, f"/tindak-lanjut/{desa}/"), runs,
                            floor="floor_register.desa", rows=Couple.objects.in_subtree(desa).count())
        transaction.set_rollback(True)
    return figure


def children(kabupaten: str, period: datetime.date, runs: int, workdir: Path) -> list[Figure]:
    """The register workbook and the two imports, each in child processes (max RSS)."""
    figures = [attempt("register_xlsx.kabupaten", lambda: in_child(
        "register_xlsx.kabupaten", ["register_xlsx", kabupaten, month_end(period).isoformat(),
                                    str(workdir / "register.xlsx")],
        runs, cleanup=lambda: None, floor="floor_register.kabupaten"))]
    first_synthesized = MonthlyReport.objects.order_by("period").values_list("period", flat=True).first()
    first, rows = reports_file(workdir / "reports.csv", kabupaten, IMPORT_ROWS, first_synthesized)
    figures.append(attempt("import_reports", lambda: in_child(
        "import_reports", ["import_reports", str(workdir / "reports.csv")], runs,
        cleanup=lambda: _delete_reports_before(kabupaten, first_synthesized),
        floor="floor.kabupaten", rows=rows, note=f"CSV, new reports from {period_str(first)}")))
    pus_file(workdir / "pus.csv", kabupaten, IMPORT_ROWS, period)
    last_couple = Couple.objects.order_by("-id").values_list("id", flat=True).first() or 0
    figures.append(attempt("import_pus", lambda: in_child(
        "import_pus", ["import_pus", str(workdir / "pus.csv")], runs,
        cleanup=lambda: _delete_couples_after(last_couple),
        floor="floor_register.kabupaten", rows=IMPORT_ROWS, note="CSV")))
    return figures


def attempt(name: str, measure) -> Figure:
    """The figure, or an empty one saying why it could not be measured (e.g. no such command yet)."""
    try:
        return measure()
    except Exception as error:  # noqa: BLE001 - one missing figure must not lose the others
        reason = str(error).strip().splitlines()[-1][:200]
        return Figure(name=name, ms=None, runs=0, note=f"not measured: {reason}")


def _execute(*statements):
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _delete_reports_before(kabupaten: str, before: datetime.date):
    where = "WHERE period < %s AND rt_id LIKE %s"
    _execute(*((f"DELETE FROM {model._meta.db_table} {where}", [before, kabupaten + ".%"])
               for model in (MonthlyReport.history.model, MonthlyReport)))


def _delete_couples_after(last_id: int):
    _execute(
        (f"DELETE FROM {CoupleStatus.history.model._meta.db_table} WHERE couple_id > %s", [last_id]),
        (f"DELETE FROM {CoupleStatus._meta.db_table} WHERE couple_id > %s", [last_id]),
        (f"DELETE FROM {Couple.history.model._meta.db_table} WHERE id > %s", [last_id]),
        (f"DELETE FROM {Couple._meta.db_table} WHERE id > %s", [last_id]),
    )


def bench_client(role: str, code: str) -> Client:
    """A client logged in as the bench's account of that role, with the one unit `code`."""
    user, _ = User.objects.get_or_create(username=f"bench-{role}", defaults={"role": role})
    user.units.set([code])
    client = Client()
    client.force_login(user)
    return client


def cpu_median_ms(call, runs: int, prepare=lambda: None) -> float:
    """The median CPU time of this process (`time.process_time`) in `call(prepare())`, over `runs`
    runs after a warm-up; `prepare` is not timed. Unlike the wall clock, it does not count waiting
    for the database or for a CPU that other work holds."""
    call(prepare())
    timings = []
    for _ in range(runs):
        argument = prepare()
        started = time.process_time()
        call(argument)
        timings.append(time.process_time() - started)
    return statistics.median(timings) * 1000


def cpu_per_request(codes: dict[str, str], period: datetime.date, runs: int) -> list[Figure]:
    """The server's CPU per request (Django's side, through `django.test.Client`) of the load
    test's commonest requests: the cadre's report form (GET) and its draft saved (POST), and the
    desa dashboard as its PKB sees it. The RT's report is made a draft first so that the form
    shows; everything is rolled back afterwards (docs/cpu.md)."""
    month = period_str(period)
    kader, pkb = bench_client(Role.KADER, codes["rt"]), bench_client(Role.PKB, codes["desa"])
    form_url = f"/laporan/{codes['rt']}/{month}/"
    with transaction.atomic():
        MonthlyReport.objects.filter(rt_id=codes["rt"], period=period).update(status=ReportStatus.DRAFT)
        assert b'class="report-form"' in kader.get(form_url).content, "the report form does not show"
        figures = [
            _cpu_figure("cpu.report_form.rt", page_call(kader, form_url), runs),
            _cpu_save_figure("cpu.report_save.rt", kader, form_url, runs),
            _cpu_figure("cpu.dashboard.desa", page_call(pkb, f"/wilayah/{codes['desa']}/{month}/"), runs),
        ]
        transaction.set_rollback(True)
    return figures


CPU_NOTE = "CPU time of the server side (process_time), median per request; not the wall clock"


def _cpu_figure(name: str, call, runs: int) -> Figure:
    return Figure(name, cpu_median_ms(lambda _: call(), runs), runs, queries=queries_of(call), note=CPU_NOTE)


def _cpu_save_figure(name: str, client: Client, url: str, runs: int) -> Figure:
    """"Simpan draf" of the form as the page fills it in, sent urlencoded as a phone sends it; each
    run opens the form first (not timed) for the version it saves over."""
    def filled() -> str:
        inputs = Page(client.get(url).content.decode()).form(css_class="report-form")
        assert inputs is not None, "the report form does not show"
        return urlencode({**inputs, "action": "draft"})

    def save(data: str):
        response = client.post(url, data, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 302, (url, response.status_code)

    ms = cpu_median_ms(save, runs, prepare=filled)
    data = filled()
    return Figure(name, ms, runs, queries=queries_of(lambda: save(data)), note=CPU_NOTE)


def attempt_all(prefix: str, measure) -> list[Figure]:
    """The figures, or one empty figure saying why they could not be measured."""
    try:
        return measure()
    except Exception as error:  # noqa: BLE001 - a missing figure must not lose the others
        reason = (str(error).strip().splitlines() or [type(error).__name__])[-1][:200]
        return [Figure(name=prefix, ms=None, runs=0, note=f"not measured: {reason}")]


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="kampungkb-bench-"))
