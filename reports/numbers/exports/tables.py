"""A recap laid out as the tables people read: the children table with its sort and flags,
method × place, PB against the PPM target, new users and switches, coverage, and a unit's title.

Shared by the dashboard page, the PDF and the workbook so that all three show the same rows.
Pure Python over the recap's dicts and summed counts: no queries.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from cadres import codes
from cadres.indicators import METHOD_LABELS, METHODS, MKJP, PLACES, percent

PLACE_LABELS = {"pemerintah": _("Pemerintah"), "swasta": _("Swasta")}
TITLE_WORDS = {"provinsi": "Provinsi", "kabupaten": "Kabupaten", "kecamatan": "Kecamatan", "rw": "RW", "rt": "RT"}

# Sortable columns of the children table: key -> the row's value it sorts on.
SORT_KEYS = {
    "wilayah": lambda row: row["code"],
    "pus": lambda row: row["pus"],
    "pa": lambda row: row["pa"],
    "cpr": lambda row: row["cpr"],
    "mkjp": lambda row: row["mkjp_pct"],
    "non_mkjp": lambda row: row["non_mkjp_pct"],
    "unmet": lambda row: row["unmet_need_pct"],
    "pb": lambda row: row["pb"],
    "ppm": lambda row: row["ppm_pct"],
    "laporan": lambda row: row["coverage"],
}


def unit_title(code: str, name: str) -> str:
    """`Desa Karangan Putih`, `Kelurahan Nagri Kaler`, `Kabupaten Purwakarta`, `RT 002`:
    the level word once, even when the official name already starts with it."""
    level = codes.level_of(code)
    if level == "desa":
        word = "Kelurahan" if code.rsplit(".", 1)[-1].startswith("1") else "Desa"
    elif level == "kabupaten" and name.startswith("Kota "):
        return name
    else:
        word = TITLE_WORDS[level]
    return name if name.startswith(word + " ") else f"{word} {name}"


def rt_label(code: str) -> str:
    """`RT 002 / RW 003`: an RT named for someone who knows the desa."""
    rw, rt = code.split(".")[-2:]
    return f"RT {rt} / RW {rw}"


def child_level_title(level: str) -> str:
    """What a unit's children are called in a table heading: `RW`, `Desa/Kelurahan`, ..."""
    child = codes.child_level(level)
    return {"kabupaten": "Kabupaten/Kota", "desa": "Desa/Kelurahan"}.get(child, TITLE_WORDS.get(child, ""))


def coverage(reports: dict) -> Decimal | None:
    return percent(reports["received"], reports["expected"])


def figures_row(figures: dict) -> dict:
    """One line of the children table (or its totals line) from a recap or a recap's child."""
    reports, ppm = figures["reports"], figures["ppm"]
    return {
        "code": figures["unit"]["code"],
        "name": figures["unit"]["name"],
        "title": unit_title(figures["unit"]["code"], figures["unit"]["name"]),
        "pus": figures["pus"],
        "pa": figures["pa"],
        "mkjp": figures["mkjp"],
        "non_mkjp": figures["non_mkjp"],
        "unmet_need": figures["unmet_need"],
        "cpr": figures["pct"]["cpr"],
        "mkjp_pct": figures["pct"]["mkjp"],
        "non_mkjp_pct": figures["pct"]["non_mkjp"],
        "unmet_need_pct": figures["pct"]["unmet_need"],
        "pb": figures["pb"],
        "pb_ytd": ppm["pb_ytd_total"],
        "target": ppm["target_total"],
        "ppm_pct": ppm["pct"],
        "received": reports["received"],
        "expected": reports["expected"],
        "missing": reports["expected"] - reports["received"],
        "coverage": coverage(reports),
        "weakest_mkjp": False,
    }


def child_rows(recap: dict, sort: str = "") -> list[dict]:
    """The children table: one row per child, the weakest MKJP % flagged, sorted by `sort`
    (a key of SORT_KEYS, `-key` for descending; anything else keeps code order)."""
    rows = [figures_row(child) for child in recap["children"]]
    _flag_weakest_mkjp(rows)
    return sort_rows(rows, sort)


def _flag_weakest_mkjp(rows: list[dict]) -> None:
    # Only a comparison among several children says something: one child is not "the weakest".
    known = [row["mkjp_pct"] for row in rows if row["mkjp_pct"] is not None]
    if len(known) < 2 or min(known) == max(known):
        return
    for row in rows:
        row["weakest_mkjp"] = row["mkjp_pct"] == min(known)


def parse_sort(sort: str) -> tuple[str, bool]:
    """(key, descending) of a sort parameter; ("", False) when it is not a known column."""
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        return "", False
    return key, sort.startswith("-")


def sort_rows(rows: list[dict], sort: str) -> list[dict]:
    key, descending = parse_sort(sort)
    if not key:
        return rows
    value = SORT_KEYS[key]
    known = sorted((row for row in rows if value(row) is not None), key=value, reverse=descending)
    # A percentage without a denominator ("—") goes last whichever way the column is sorted.
    return known + [row for row in rows if value(row) is None]


def method_rows(counts: dict, recap: dict) -> list[dict]:
    """Per method: PA by place, their total and share of PA, PB this month, PB so far this year,
    the PPM target and what remains (target − PB so far), and the month's switches into it."""
    ppm = recap["ppm"]
    rows = []
    for method in METHODS:
        places = {place: counts.get(f"{method}_{place}") or 0 for place in PLACES}
        target = ppm["target"][method] if ppm["target"] is not None else None
        rows.append(_method_row(METHOD_LABELS[method], method in MKJP, places, recap["methods"][method],
                                recap["pa"], recap["pb_methods"][method], ppm["pb_ytd"][method], target)
                    | {"gc": recap["gc_methods"][method]})
    return rows


def method_total_row(recap: dict) -> dict:
    ppm = recap["ppm"]
    return _method_row(_("Jumlah"), None, recap["places"], recap["pa"], recap["pa"], recap["pb"],
                       ppm["pb_ytd_total"], ppm["target_total"]) | {"gc": recap["gc"]}


def _method_row(label, is_mkjp, places, total, pa, pb, pb_ytd, target) -> dict:
    return {
        "label": label,
        "is_mkjp": is_mkjp,
        **{place: places[place] for place in PLACES},
        "total": total,
        "share": percent(total, pa),
        "pb": pb,
        "pb_ytd": pb_ytd,
        "target": target,
        "remaining": target - pb_ytd if target is not None else None,
        "ppm_pct": percent(pb_ytd, target) if target else None,
    }


def new_user_rows(recap: dict) -> list[dict]:
    """Per method: the month's PB and switches into it (ganti cara)."""
    return [{"label": METHOD_LABELS[method], "is_mkjp": method in MKJP, "pb": recap["pb_methods"][method],
             "gc": recap["gc_methods"][method]} for method in METHODS]


def new_mkjp(recap: dict) -> dict:
    """"MKJP baru bulan ini": PB into an MKJP method plus switches into one, what an MKJP drive
    chases; with the month's PB pasca and switches in all."""
    pb_mkjp = sum(recap["pb_methods"][method] for method in MKJP)
    return {"pb_mkjp": pb_mkjp, "gc_mkjp": recap["gc_mkjp"], "total": pb_mkjp + recap["gc_mkjp"],
            "pb": recap["pb"], "pb_pasca": recap["pb_pasca"], "gc": recap["gc"]}


def drop_out_line(drop_outs: dict) -> dict:
    """The month's drop-outs from the register, by the status they went to, and their sum."""
    return {**drop_outs, "total": sum(drop_outs.values())}


# The children table's columns: (sort key, heading, whether it is a number column).
COLUMNS = (
    ("wilayah", _("Wilayah"), False),
    ("pus", _("PUS"), True),
    ("pa", _("PA"), True),
    ("cpr", _("CPR"), True),
    ("mkjp", _("% MKJP"), True),
    ("non_mkjp", _("% non-MKJP"), True),
    ("unmet", _("% unmet need"), True),
    ("pb", _("PB"), True),
    ("ppm", _("PB/PPM"), True),
    ("laporan", _("Laporan"), True),
)


def sort_headers(sort: str) -> list[dict]:
    """The children table's headings with the sort each links to: a first click sorts up (the
    weakest MKJP first), a second click on the same column sorts down."""
    active, descending = parse_sort(sort)
    headers = []
    for key, label, numeric in COLUMNS:
        state = ("desc" if descending else "asc") if key == active else ""
        headers.append({
            "key": key, "label": label, "numeric": numeric, "state": state,
            "link": f"-{key}" if state == "asc" else key,
        })
    return headers
