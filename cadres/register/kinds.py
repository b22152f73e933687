"""What each status row of a couple counts as, by BKKBN's definitions (see docs/domain.md):

- PB (peserta KB baru): a method used for the first time ever;
- PB pasca: a method started again after a birth or miscarriage (a pregnancy since the last
  method), also a PB;
- GC (ganti cara): a method after another method — a switch, never a PB;
- DO (drop-out): a method stopped without a pregnancy (to IAS, IAT or TIAL);
- nothing: a continuing user (the same method again, e.g. another place; or a couple written into
  the register while already using a method), a restart after a drop-out with no pregnancy in
  between, a pregnancy, or a non-user staying one.

The first row is what the cadre says when she writes the couple in: `first` is `lama` (already
using a method: a continuing user, the default), `pb` (first use ever) or `pb_pasca` (after a
birth or miscarriage); `ever_used` says whether a couple written in as non-users used a method
before, which decides whether their first method later is a PB.

Pure Python: the register's writes keep each row's kind with it (`cadres.register.rules.link_statuses`).
"""

from collections.abc import Sequence

from cadres.indicators import DROP_OUT_TO, METHODS

PB, PB_PASCA, GC, DO, NONE = "pb", "pb_pasca", "gc", "do", ""
PB_KINDS = (PB, PB_PASCA)
CONTINUING = "lama"
FIRST_CHOICES = (CONTINUING, PB, PB_PASCA)


def row_kinds(statuses: Sequence[str], *, first: str = CONTINUING, ever_used: bool = False) -> list[str]:
    """The kind of each status of one couple, given in date order."""
    if first not in FIRST_CHOICES:
        raise ValueError(f"unknown first kind {first!r}")
    kinds = []
    used = ever_used  # a method before the current row (or before the register, by the cadre's word)
    pregnant = False  # a pregnancy since the last method
    previous = None
    for status in statuses:
        kinds.append(_kind(previous, status, first=first, used=used, pregnant=pregnant))
        if status in METHODS:
            used, pregnant = True, False
        elif status == "hamil":
            pregnant = True
        previous = status
    return kinds


def _kind(previous: str | None, status: str, *, first: str, used: bool, pregnant: bool) -> str:
    if status not in METHODS:
        return DO if previous in METHODS and status in DROP_OUT_TO else NONE
    if previous is None:
        return NONE if first == CONTINUING else first
    if previous in METHODS:
        return GC if status != previous else NONE
    if pregnant:
        return PB_PASCA
    return NONE if used else PB
