"""The load test's replica mode (bench/loadreplica.py): it reads the single-server figures that
bench/loadreport.py writes, puts them beside its own, and keeps its section between the others."""

from argparse import Namespace

from bench.loadcheck import Ledger, latency_rows
from bench.loadhttp import Stats
from bench.loadreplica import END, START, replica_section, single_server_figures, write_section
from bench.loadreport import write_report
from bench.loadtest import FAULTS_START, kept_sections

MACHINE = {"cpus": 2, "cpu": "test CPU", "memory_gib": 4.0, "python": "3.11", "django": "5.2",
           "database": "postgresql 15"}


def a_run(seconds_per_kind: dict[str, list[float]]) -> tuple[Stats, dict]:
    stats = Stats()
    for kind, seconds in seconds_per_kind.items():
        for value in seconds:
            stats.timed(kind, value)
    phases = {"server": {"gunicorn": (10.0, 1.0), "PostgreSQL": (2.0, 0.5)}, "login": 1.0, "load": 10.0,
              "stuck": [], "load_average": (0.5, 0.5, 0.5), "client_cpu": 0.1, "not_logged_in": []}
    return stats, phases


def args(out=None) -> Namespace:
    return Namespace(workers=5, seconds=10.0, seed=7, out=out)


def test_the_single_server_figures_are_read_from_what_loadreport_writes():
    stats, phases = a_run({"dashboard": [0.1] * 19 + [0.5], "rekap.json": [0.2] * 20, "login": [0.6]})
    text = write_report(args(), MACHINE, phases, stats, Ledger(), [], latency_rows(stats.latencies))
    figures = single_server_figures(text)
    assert figures["rate"] == "4.0"  # 40 requests besides the login in 10 s
    assert figures["cpu"] == "300.0"  # 12 s of server CPU for 40 requests
    assert (figures["wait"], figures["load_average"]) == ("38", "0.50")  # 1.5 s waited for a CPU
    assert (figures["errors"], figures["lost"]) == ("0", "0")
    assert figures["p95"] == {"dashboard": "100", "login": "600", "rekap.json": "200"}


def test_the_section_puts_both_runs_side_by_side(tmp_path):
    out = tmp_path / "loadtest.md"
    stats, phases = a_run({"dashboard": [0.1] * 10, "rekap.json": [0.3] * 10})
    out.write_text(write_report(args(), MACHINE, phases, stats, Ledger(), [], latency_rows(stats.latencies)))
    stats, phases = a_run({"dashboard": [0.2] * 10, "queue": [0.4] * 10})
    phases["server"] = {"gunicorn": (9.0, 1.0), "PostgreSQL primary": (2.0, 0.1), "PostgreSQL standby": (1.0, 0.1)}
    phases.update(databases={"primary": (300, 9000), "standby": (100, 1000)}, max_lag=3.0, pin=3.0)
    text = replica_section(args(str(out)), MACHINE, phases, stats, Ledger(), [], latency_rows(stats.latencies))
    assert text.startswith(START) and text.rstrip().endswith(END)
    assert "| Server CPU per request (ms) | 600.0 | 600.0 |" in text
    assert "| Waiting for a CPU per request (ms) | 75 | 60 |" in text
    assert "| p95 dashboard (ms) | 100 | 200 |" in text
    assert "| p95 rekap.json (ms) | 300 | — |" in text and "| p95 queue (ms) | — | 400 |" in text
    assert "| standby | 100 | 25% | 1000 | 10% |" in text
    assert "PostgreSQL standby 1.0 s" in text and "10 of 20" in text  # the dashboards may read the standby


def test_the_section_goes_before_the_faults_and_every_run_keeps_the_others(tmp_path):
    out = tmp_path / "loadtest.md"
    faults = f"{FAULTS_START}\n## Faults\nfaults\n<!-- faults:end -->\n"
    out.write_text(f"# Load test\n\nsingle\n\n{faults}")
    write_section(out, f"{START}\n## With a read replica\none\n{END}\n")
    write_section(out, f"{START}\n## With a read replica\ntwo\n{END}\n")
    text = out.read_text()
    assert text.count(START) == 1 and "two" in text and "one" not in text
    assert text.index("single") < text.index(START) < text.index(FAULTS_START)
    kept = kept_sections(out)  # what `make loadtest` keeps after its own, new figures
    assert kept.strip().startswith(START) and FAULTS_START in kept and "single" not in kept
