"""The fault test's cadres: the load test's `Kader`, who also adds couples, and who (when the server
takes idempotency keys, `cadres/idempotency.py`) sends every write with a key and, when the answer
does not come (the worker died, the database was down), sends the same POST with the same key
again until it gets one: the resend must not double anything.
"""

import secrets
import time
import urllib.request

from bench.faultcheck import CoupleLedger
from bench.loadcheck import Write
from bench.loadhttp import Page, RequestFailed, Session
from bench.loadusers import Kader, Pkb

COUPLE_PREFIX = "Uji Gangguan"  # the wife's name of every couple this test adds
RESEND_FOR = 15.0  # seconds of resending a write left without an answer
REPLAY = "X-Idempotent-Replay"


class _ReplaySpy(urllib.request.BaseHandler):
    """Notes whether the last answer was the server's replay of an earlier one."""

    handler_order = 900  # before urllib's error processor turns a 302 into an exception

    def __init__(self, session):
        self.session = session

    def http_response(self, request, response):
        self.session.replayed = response.headers.get(REPLAY) == "1"
        return response


class ResendingSession(Session):
    """A session whose POSTs carry an idempotency key, resent with the same key until answered."""

    keys = False  # set by the fault test when the server takes keys
    resends = None  # a Counter shared with the report: resends, and what they got

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.replayed = False
        self.opener.add_handler(_ReplaySpy(self))

    def post(self, kind: str, path: str, data: dict, expect=(302,)):
        if not self.keys or "password" in data:
            return super().post(kind, path, data, expect=expect)
        data = {**data, "idempotency_key": secrets.token_urlsafe(18)}
        try:
            return super().post(kind, path, data, expect=expect)
        except RequestFailed:
            return self.resend(kind, path, data, expect)

    def resend(self, kind: str, path: str, data: dict, expect):
        """The same POST, same key, every half second until an answer (or RESEND_FOR seconds)."""
        until = time.monotonic() + RESEND_FOR
        while time.monotonic() < until:
            time.sleep(0.5)
            self.resends["resent"] += 1
            try:
                answer = super().post(kind + " (resent)", path, data, expect=expect)
            except RequestFailed:
                continue
            self.resends["answered: replay" if self.replayed else "answered: run again"] += 1
            return answer
        self.resends["never answered"] += 1
        raise RequestFailed


class CoupleKader(Kader):
    """A cadre who also adds couples to the RT's register (each with a unique wife's name)."""

    couples: CoupleLedger = None  # set by the phase
    adds_couples = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.session = ResendingSession(self.base_url, self.stats, self.username)
        if self.twin is not None:
            self.twin = ResendingSession(self.base_url, self.stats, self.username, label=self.username + "#2")

    def act(self):
        roll = self.rng.random()
        if not self.adds_couples:
            super().act()
        elif roll < 0.45:
            self.fill_report()
        elif roll < 0.8:
            self.add_couple()
        else:
            self.read_dashboard(self.rt)

    def add_couple(self):
        path = f"/register/{self.rt}/tambah/"
        page = Page(self.session.get("couple form", path).body)
        form = next((inputs for _, inputs in page.forms if "registered_on" in inputs), None)
        if form is None:
            self.stats.error("couple form", f"{self.rt}: no add form")
            return
        name = f"{COUPLE_PREFIX} {self.username} {self.rng.getrandbits(40):x}"
        data = {"csrfmiddlewaretoken": form["csrfmiddlewaretoken"], "registered_on": form["registered_on"],
                "wife_name": name, "wife_age": "30", "husband_name": "Suami " + name, "children": "1",
                "status": "pil", "place": "pemerintah", "first_use": "lama", "ever_used": "False"}
        try:
            self.session.post("add couple", path, data, expect=(302,))
        except RequestFailed:
            self.couples.add(name, ok=False)
            raise
        self.couples.add(name, ok=True)
        self.stats.count("accepted couple" + (" (resent, replayed)" if self.session.replayed else ""))

    def judge(self, kind: str, answer, version: int, counts: dict, session: Session):
        """A replayed answer carries no "Draf disimpan" message (the first answer's was lost with
        it): the write the key stands for is the one made at version + 1."""
        if answer.status == 302 and getattr(session, "replayed", False):
            made = version + 1 if version else 1
            self.ledger.accepted(Write(self.rt, made, kind, session.label, counts))
            self.stats.count(f"accepted {kind} (resent, replayed)")
            return
        super().judge(kind, answer, version, counts, session)


class ResendingKader(CoupleKader):
    """The load test's cadre (no couples), resending with the same key."""

    adds_couples = False


class FaultPkb(Pkb):
    """The load test's PKB, except that a verification whose confirming page never came (the
    database went down between the two) leaves the report's outcome unknown, not unrecorded."""

    def verify(self, row: dict, csrf_token: str):
        try:
            super().verify(row, csrf_token)
        except RequestFailed:
            self.ledger.unknown(row["rt"])
            raise

    def verify_all(self, rts: list[str]):
        try:
            super().verify_all(rts)
        except RequestFailed:
            for rt in rts:
                self.ledger.unknown(rt)
            raise
