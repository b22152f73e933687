"""The load test's browser: one cookie jar per session, no proxies, no automatic redirects, every
request timed and judged, and the few bits of a page the virtual users read (forms, queue rows,
messages, form errors). Standard library only.
"""

import html
import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from html.parser import HTMLParser

TIMEOUT = 30  # seconds; gunicorn's own timeout is 60
LOOPBACK = "127.0.0.1"
STALE_WORDS = ("sudah diubah", "sudah berubah")  # reports.monthly.workflow's refusal of an outdated version


class RequestFailed(Exception):
    """A request that counted as an error; the virtual user drops what it was doing."""


def check_loopback(base_url: str) -> str:
    """The base URL without a trailing slash, if it is plain HTTP on 127.0.0.1; ValueError otherwise."""
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname != LOOPBACK or parts.path not in ("", "/"):
        raise ValueError(f"refusing {base_url!r}: the load test only runs against http://{LOOPBACK}:<port>")
    return f"http://{LOOPBACK}:{parts.port or 80}"


class Stats:
    """Latencies per kind of request, errors, and counted outcomes; shared by all threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = []
        self.outcomes = Counter()

    def timed(self, kind: str, seconds: float):
        with self.lock:
            self.latencies[kind].append(seconds)

    def error(self, kind: str, detail: str):
        with self.lock:
            self.errors.append(f"{kind}: {detail}")

    def count(self, outcome: str, n: int = 1):
        with self.lock:
            self.outcomes[outcome] += n

    def requests(self) -> int:
        with self.lock:
            return sum(len(seconds) for seconds in self.latencies.values())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx comes back as it is: the virtual user follows it itself, timed apart


class Response:
    def __init__(self, status: int, body: str, location: str | None):
        self.status, self.body, self.location = status, body, location

    def path_of_location(self) -> str:
        return urllib.parse.urlsplit(self.location or "").path or "/"


class Session:
    """One logged-in browser: its own cookies; every request timed into `stats` under a kind."""

    def __init__(self, base_url: str, stats: Stats, username: str, label: str = ""):
        self.base_url, self.stats, self.username = check_loopback(base_url), stats, username
        self.label = label or username  # names the session in errors and in the ledger
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect(),
        )

    def request(self, kind: str, path: str, data: dict | None = None, expect=(200,)) -> Response:
        """The response, if its status is one of `expect`; otherwise the error is counted and raised."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)
        started = time.perf_counter()
        try:
            try:
                with self.opener.open(request, timeout=TIMEOUT) as answer:
                    response = Response(answer.status, answer.read().decode(), answer.headers.get("Location"))
            except urllib.error.HTTPError as answer:
                response = Response(answer.code, answer.read().decode(errors="replace"), answer.headers.get("Location"))
        except Exception as exc:  # timeouts, refused or reset connections: all errors
            self.stats.timed(kind, time.perf_counter() - started)
            self.stats.error(kind, f"{self.label} {path}: {type(exc).__name__}: {exc}")
            raise RequestFailed from exc
        self.stats.timed(kind, time.perf_counter() - started)
        if response.status not in expect:
            self.stats.error(kind, f"{self.label} {'POST' if data is not None else 'GET'} {path}: "
                                   f"HTTP {response.status} (expected {expect}) {_snippet(response.body)}")
            raise RequestFailed
        return response

    def get(self, kind: str, path: str, expect=(200,)) -> Response:
        return self.request(kind, path, expect=expect)

    def post(self, kind: str, path: str, data: dict, expect=(302,)) -> Response:
        return self.request(kind, path, data=data, expect=expect)

    def login(self, password: str):
        page = self.get("login form", "/accounts/login/")
        form = Page(page.body).form(action="/accounts/login/")
        if form is None:
            self.stats.error("login", f"{self.label}: no login form")
            raise RequestFailed
        answer = self.post("login", "/accounts/login/", {
            "csrfmiddlewaretoken": form["csrfmiddlewaretoken"], "username": self.username,
            "password": password, "next": "",
        }, expect=(302, 200))
        if answer.status != 302 or answer.path_of_location() == "/accounts/login/":
            self.stats.error("login", f"{self.label}: refused ({_snippet(answer.body)})")
            raise RequestFailed


class Page(HTMLParser):
    """The parts of a page the virtual users read: forms with their inputs, and queue rows."""

    def __init__(self, body: str):
        super().__init__(convert_charrefs=True)
        self.body = body
        self.forms = []  # (form attributes, {input name: value})
        self.rows = []  # queue rows: {"rt", "status", "version"}
        self.feed(body)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((attrs, {}))
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1][1].setdefault(attrs["name"], attrs.get("value", ""))
            if attrs["name"] == "version" and self.rows and self.rows[-1]["version"] is None:
                self.rows[-1]["version"] = attrs.get("value")
        elif tag == "div" and "queue-row" in attrs.get("class", "").split():
            self.rows.append({"rt": attrs.get("data-rt"), "status": attrs.get("data-status"), "version": None})

    def form(self, *, css_class: str | None = None, action: str | None = None) -> dict | None:
        """The inputs of the first form with that class or action, or None."""
        for attrs, inputs in self.forms:
            if css_class and css_class in attrs.get("class", "").split():
                return inputs
            if action and attrs.get("action") == action:
                return inputs
        return None

    def csrf_token(self) -> str:
        return next((inputs["csrfmiddlewaretoken"] for _, inputs in self.forms if "csrfmiddlewaretoken" in inputs), "")

    def messages(self) -> list[tuple[str, str]]:
        """Django messages at the top of the page: (level, text)."""
        return [(level, _text(text)) for level, text in _MESSAGE_RE.findall(self.body)]

    def form_errors(self) -> str:
        match = _FORM_ERRORS_RE.search(self.body)
        return _text(match.group(1)) if match else ""

    def help_numbers(self) -> dict[str, int]:
        """The register's number shown under each count input (`Register: 29`)."""
        return {field: int(number.replace(".", "")) for field, number in _REGISTER_RE.findall(self.body)}


_MESSAGE_RE = re.compile(r'<div class="alert alert-(success|danger|info|warning)" role="alert">(.*?)</div>', re.S)
_FORM_ERRORS_RE = re.compile(r'<div class="alert alert-danger form-errors"[^>]*>(.*?)</div>', re.S)
_REGISTER_RE = re.compile(r'id="id_(\w+)_helptext"[^>]*>\s*Register: ([\d.]+)\s*<')


def is_stale(text: str) -> bool:
    return any(words in text for words in STALE_WORDS)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _snippet(body: str) -> str:
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    errors = _FORM_ERRORS_RE.search(body)
    return _text((title.group(1) if title else body[:120]) + (" " + errors.group(1) if errors else ""))[:300]
