"""A made-up format for tests/test_kb_format.py: digits grouped 3 then 2 (as in India), so that
the filters' own grouping by threes must step aside for Django's."""

NUMBER_GROUPING = (3, 2, 0)
THOUSAND_SEPARATOR = ","
DECIMAL_SEPARATOR = "."
