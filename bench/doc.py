"""Writes the bench's results (JSON files of bench/run.py) into docs/benchmarks.md, between the
markers `<!-- bench:start -->` and `<!-- bench:end -->`; the text around them (the profiles and
the reasons) is kept as it is.

    .venv/bin/python bench/doc.py /tmp/sqlite.json /tmp/postgresql.json
"""

import datetime
import json
import sys
from dataclasses import dataclass
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

LABELS = {
    "floor.provinsi": "floor: one SQL SUM of the month, provinsi",
    "recap.json.provinsi": "recap JSON page, provinsi",
    "recap_for.provinsi": "recap_for() alone, provinsi",
    "dashboard.provinsi": "dashboard page, provinsi",
    "rekap.pdf.provinsi": "rekap.pdf, provinsi",
    "floor.rt": "floor: one SQL SUM of the month, RT",
    "floor.desa": "floor: one SQL SUM of the month, desa",
    "floor.kecamatan": "floor: one SQL SUM of the month, kecamatan",
    "floor.kabupaten": "floor: one SQL SUM of the month, kabupaten",
    "floor_ytd.kabupaten": "(reference) the same SUM over January–month, kabupaten",
    "floor_register.desa": "floor: one SQL COUNT of the register at month end, desa",
    "floor_register.kabupaten": "floor: one SQL COUNT of the register at month end, kabupaten",
    "recap.json.rt": "recap JSON page, RT",
    "recap.json.desa": "recap JSON page, desa",
    "recap.json.kecamatan": "recap JSON page, kecamatan",
    "recap.json.kabupaten": "recap JSON page, kabupaten",
    "recap_for.kabupaten": "recap_for() alone, kabupaten",
    "dashboard.desa": "dashboard page, desa",
    "dashboard.kabupaten": "dashboard page, kabupaten",
    "register_month.desa": "register month (register_rollup), desa",
    "register_page.desa": "register page, desa",
    "follow_ups.desa": "follow-up list page, desa (600 couples)",
    "cpu.report_form.rt": "CPU per request: report form (GET) as the RT's cadre",
    "cpu.report_save.rt": "CPU per request: report form saved as a draft (POST)",
    "cpu.dashboard.desa": "CPU per request: dashboard, desa, as its PKB",
    "rekap.pdf.kabupaten": "rekap.pdf, kabupaten",
    "rekap.xlsx.kabupaten": "rekap.xlsx, kabupaten (5,000 RT rows)",
    "register_xlsx.kabupaten": "register workbook, kabupaten (all couples)",
    "import_reports": "import_reports, 100,000 rows",
    "import_pus": "import_pus, 100,000 couples",
}


@dataclass(frozen=True)
class Target:
    ms: float
    ratio: float | None = None
    mb: float | None = None

    def text(self) -> str:
        parts = [f"≤ {_ms(self.ms)}"]
        if self.ratio:
            parts.append(f"≤ {self.ratio:g}× floor")
        if self.mb:
            parts.append(f"≤ {self.mb:g} MB")
        return ", ".join(parts)

    def met(self, figure: dict, ratio: float | None) -> bool:
        return (figure["ms"] <= self.ms and (self.ratio is None or (ratio is not None and ratio <= self.ratio))
                and (self.mb is None or (figure["peak_mb"] or 0) <= self.mb))


TARGETS = {
    "recap.json.provinsi": Target(100),
    "dashboard.provinsi": Target(300),
    "recap.json.kabupaten": Target(50, ratio=2),
    "recap_for.kabupaten": Target(50, ratio=2),
    "dashboard.desa": Target(50),
    "follow_ups.desa": Target(50),
    "dashboard.kabupaten": Target(150),
    "rekap.pdf.kabupaten": Target(2000),
    "register_xlsx.kabupaten": Target(20000, mb=200),
    "import_reports": Target(20000),
    "import_pus": Target(30000),
}


def _ms(ms: float | None) -> str:
    if ms is None:
        return "—"
    if ms >= 1000:
        return f"{ms / 1000:.1f} s" if ms % 1000 else f"{ms / 1000:.0f} s"
    return f"{ms:.1f} ms" if ms < 100 and ms % 1 else f"{ms:.0f} ms"


def _by_name(scale: dict) -> dict[str, dict]:
    return {figure["name"]: figure for figure in scale["figures"]}


def ratio(figures: dict, figure: dict) -> float | None:
    floor = figures.get(figure.get("floor") or "")
    if figure["ms"] is None or not floor or not floor["ms"]:
        return None
    return figure["ms"] / floor["ms"]


def figure_line(figures: dict, name: str, figure: dict) -> str:
    """A row of a figure table: median, runs, ratio to its floor, queries, memory, target, met."""
    figure_ratio = ratio(figures, figure)
    target = TARGETS.get(name)
    peak = f"{figure['peak_mb']:.1f} MB {figure['peak_kind']}" if figure.get("peak_mb") is not None else ""
    met = "" if not target or figure["ms"] is None else ("yes" if target.met(figure, figure_ratio) else "**no**")
    return (f"| {LABELS.get(name, name)} | {_ms(figure['ms'])} | {figure['runs']} | "
            f"{'' if figure_ratio is None else f'{figure_ratio:.1f}'} | "
            f"{figure['queries'] if figure['queries'] is not None else ''} | "
            f"{peak} | {target.text() if target else ''} | {met} |")


def main_table(result: dict) -> list[str]:
    first = next(iter(result["scales"]))
    figures = _by_name(result["scales"][first])
    lines = [
        f"#### {result['label']} ({result['machine']['engine']} {result['machine']['database_version']}), "
        f"{first}× ({result['scales'][first]['synthesized']['reports']:,} reports, "
        f"{result['scales'][first]['synthesized']['couples']:,} couples; synthesized in "
        f"{result['scales'][first]['synth_seconds']:.0f} s)",
        "",
        "| figure | median | runs | × floor | queries | peak memory | target | met |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for name, figure in figures.items():
        lines.append(figure_line(figures, name, figure))
    notes = [f"- {LABELS.get(name, name)}: {figure['note']}" for name, figure in figures.items()
             if figure.get("note")]
    if result.get("note"):
        notes.append(f"- {result['note']}")
    return lines + ([""] + notes if notes else []) + [""]


def province_table(result: dict) -> list[str]:
    """The province's own figures (a scale made by bench/province.py), with their targets."""
    scale = next((key for key, value in result["scales"].items() if value.get("province")), None)
    if scale is None:
        return []
    measured = result["scales"][scale]
    figures = _by_name(measured)
    made = measured["synthesized"]
    lines = [
        f"#### {result['label']}: a province of {measured['province']} kabupaten ({scale}× the default size: "
        f"{made['reports']:,} reports, {made['couples']:,} couples, {made['units']:,} wilayah; synthesized in "
        f"{measured['synth_seconds'] / 60:.0f} min)",
        "",
        "| figure | median | runs | × floor | queries | peak memory | target | met |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for name, figure in figures.items():
        if not name.endswith(".provinsi"):
            continue
        lines.append(figure_line(figures, name, figure))
    return lines + ["", f"The {scale}× column of the growth table below measures the kabupaten figures on the "
                        "province's first kabupaten (250 desa, as at 1×) among its neighbours.", ""]


def growth_table(result: dict) -> list[str]:
    scales = list(result["scales"])
    if len(scales) < 2:
        return [f"Growth: only {scales[0]}× was measured ({result.get('skipped', '')}).", ""]
    by_scale = {scale: _by_name(result["scales"][scale]) for scale in scales}
    first, last = scales[0], scales[-1]
    header = " | ".join(f"{scale}×" + (" (province)" if result["scales"][scale].get("province") else "")
                        for scale in scales)
    lines = [
        f"#### {result['label']}: growth ({', '.join(f'{s}×' for s in scales)} the default size)",
        "",
        "Median, and in brackets the ratio to its floor in the same run; the last column is how the "
        "rows its floor reads grew.",
        "",
        f"| figure | {header} | grew {last}×/{first}× | its rows grew |",
        "|---|" + "---:|" * len(scales) + "---:|---:|",
    ]
    for name, figure in by_scale[last].items():
        if name not in by_scale[first] or figure["ms"] is None:
            continue
        values = " | ".join(_with_ratio(by_scale[scale], by_scale[scale].get(name)) for scale in scales)
        rows_name = name if name.startswith("floor") else figure.get("floor")
        rows_first = (by_scale[first].get(rows_name) or {}).get("rows")
        rows_last = (by_scale[last].get(rows_name) or {}).get("rows")
        rows_growth = f"{rows_last / rows_first:.1f}×" if rows_first and rows_last else ""
        lines.append(f"| {LABELS.get(name, name)} | {values} | {figure['ms'] / by_scale[first][name]['ms']:.1f}× | {rows_growth} |")
    if result.get("skipped"):
        lines += ["", f"Not measured: {result['skipped']}."]
    return lines + [""]


def _with_ratio(figures: dict, figure: dict | None) -> str:
    if not figure or figure["ms"] is None:
        return ""
    figure_ratio = ratio(figures, figure)
    return _ms(figure["ms"]) + (f" ({figure_ratio:.1f}×)" if figure_ratio else "")


def machine_lines(results: list[dict]) -> list[str]:
    machine = results[0]["machine"]
    lines = [
        f"Run of {datetime.date.today().isoformat()} by `make bench`: {machine['cpus']} cores ({machine['cpu']}), "
        f"{machine['memory_gib']} GiB memory, Python {machine['python']}, Django {machine['django']}; "
        + "; ".join(f"{r['label']}: {r['machine']['engine']} {r['machine']['database_version']} "
                    f"(load average at start {r['machine']['load'][0]:.1f}, {r['seconds'] / 60:.0f} min)"
                    for r in results if "seconds" in r) + ".",
        f"Medians of {results[0]['runs']} runs after a warm-up ({results[0]['heavy_runs']} for PDF, workbooks "
        "and imports). Pages: server time through `django.test.Client` with `force_login` (an admin), "
        "middleware, session and template included, no network. Peak memory: `py` = tracemalloc's peak "
        "of Python allocations during one call; `rss` = peak RSS (VmHWM) of a fresh child process doing "
        "only that work, Python and Django included.",
        "",
    ]
    return lines


def render(results: list[dict]) -> str:
    lines = machine_lines(results)
    for result in results:
        lines += main_table(result)
    for result in results:
        lines += province_table(result)
    for result in results:
        lines += growth_table(result)
    return "\n".join(lines)


def write(results: list[dict]) -> None:
    text = DOC.read_text() if DOC.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(f"{before}{START}\n{render(results)}\n{END}{after}")


if __name__ == "__main__":
    write([json.loads(Path(path).read_text()) for path in sys.argv[1:] if Path(path).exists()])
