"""POST data of the monthly report form, for the workflow's view tests."""

from cadres.indicators import COUNT_FIELDS
from tests.report_factories import balanced_counts


def report_post(version=0, action="draft", reasons=None, **counts) -> dict[str, str]:
    """Every count (balanced like `balanced_counts`), the version, the button, and reasons
    given as {field: text}."""
    data = {field: str(value) for field, value in balanced_counts(**counts).items()}
    data |= {f"alasan_{field}": text for field, text in (reasons or {}).items()}
    return {**data, "version": str(version), "action": action}


def blank(data: dict, *fields) -> dict:
    return {**data, **dict.fromkeys(fields, "")}


assert set(COUNT_FIELDS) <= set(report_post())
