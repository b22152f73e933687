"""Unit codes (docs/interfaces.md): dotted Kemendagri codes, extended with RW and RT segments.

The code is the tree path: a unit's parent is its code minus the last segment, and its subtree is
every code that starts with it. Pure functions, no ORM.
"""

import re

LEVELS = ("provinsi", "kabupaten", "kecamatan", "desa", "rw", "rt")
SEGMENT_WIDTHS = (2, 2, 2, 4, 3, 3)
# The full length of a code at each level, e.g. a desa code "32.14.01.2001" has 13 characters.
CODE_LENGTHS = {
    level: sum(SEGMENT_WIDTHS[: depth + 1]) + depth for depth, level in enumerate(LEVELS)
}
# ASCII digits only: `\d` would take any script's digits (e.g. Arabic-Indic).
CODE_PATTERN = r"[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4}(?:\.[0-9]{3}(?:\.[0-9]{3})?)?)?)?)?"
_CODE_RE = re.compile(CODE_PATTERN)


def is_valid_code(code: str) -> bool:
    return bool(_CODE_RE.fullmatch(code))


def level_of(code: str) -> str:
    """The level name of a valid code, from its number of segments."""
    return LEVELS[code.count(".")]


def parent_code(code: str) -> str | None:
    if "." not in code:
        return None
    return code.rsplit(".", 1)[0]


def child_level(level: str) -> str | None:
    depth = LEVELS.index(level)
    return LEVELS[depth + 1] if depth + 1 < len(LEVELS) else None


def in_subtree(code: str, root: str) -> bool:
    """True when `code` is `root` itself or lies below it."""
    return code == root or code.startswith(root + ".")


def ancestors(code: str) -> list[str]:
    """The codes above `code`, from the provinsi down, without the code itself."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]
