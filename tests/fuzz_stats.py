"""Counters the test summary prints: how big the test matrix was (see conftest.py)."""

generated_inputs = 0  # files and form submissions made up by hypothesis
url_checks = 0  # (URL, persona, in/out of scope) requests of the URL walker
