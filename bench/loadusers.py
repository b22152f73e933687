"""The load test's virtual users: cadres who fill in their RT's report and PKB who verify.

Each user runs in its own thread with its own seeded `random.Random` and its own session, and
loops until the deadline: an action, then a short think time. Every write the server accepts goes
into the shared `Ledger` with the version it made and the numbers it set, so that the database can
be checked against it afterwards. A refusal of an outdated version ("sudah diubah") is an expected
outcome under concurrency and is counted apart; anything else unexpected is an error.
"""

import random
import re
import threading
import time

from bench.loadcheck import Ledger, Write
from bench.loadhttp import Page, RequestFailed, Session, Stats, is_stale

# cadres.indicators' lists, repeated so that the client needs no Django (a test keeps them equal).
METHODS = ("iud", "implan", "mow", "mop", "suntik", "pil", "kondom")
BALANCE_FIELDS = tuple(f"{m}_{p}" for m in METHODS for p in ("pemerintah", "swasta")) + ("hamil", "ias", "iat", "tial")
PB_FIELDS = tuple(f"pb_{m}" for m in METHODS)
GC_FIELDS = tuple(f"gc_{m}" for m in METHODS)
COUNT_FIELDS = ("pus",) + BALANCE_FIELDS + PB_FIELDS + GC_FIELDS + ("pb_pasca",)
THINK = (0.2, 1.0)  # seconds between actions
REASON = "uji beban: dihitung ulang dengan kader"
RETURN_NOTE = "Uji beban: mohon cek lagi angka PB bulan ini."
REOPEN_NOTE = "Uji beban: ada koreksi dari puskesmas."
STATUS_CHANGED = "Hanya laporan berstatus"  # return.html / reopen.html when the status no longer fits


class VirtualUser(threading.Thread):
    # Logins arrive a few at a time, as people do: 58 password hashes at the same instant would
    # only measure how long the last one waits for a CPU.
    login_gate = threading.BoundedSemaphore(4)

    def __init__(self, *, name: str, base_url: str, password: str, period: str, stats: Stats, ledger: Ledger,
                 seed: int):
        super().__init__(name=name, daemon=True)
        self.username, self.base_url, self.password, self.period = name, base_url, password, period
        self.stats, self.ledger = stats, ledger
        self.rng = random.Random(f"{seed}:{name}")
        self.session = Session(base_url, stats, name)
        self.ready, self.logged_in = threading.Event(), threading.Event()
        self.deadline = 0.0
        self.go = threading.Event()

    def log_in(self):
        """Logs in (before the clock starts: a login's password hash is the slowest request)."""
        try:
            for session in (self.session, self.extra_login()):
                if session is not None:
                    with self.login_gate:
                        session.login(self.password)
            self.logged_in.set()
        except RequestFailed:
            pass
        except Exception as exc:
            self.stats.error("login", f"{self.username}: {type(exc).__name__}: {exc}")
        finally:
            self.ready.set()

    def extra_login(self) -> Session | None:
        """A second session to log in as well, if this user has one."""
        return None

    def run(self):
        self.log_in()
        self.go.wait()
        if not self.logged_in.is_set():
            return
        while time.monotonic() < self.deadline:
            try:
                self.act()
            except RequestFailed:
                pass  # already counted as an error
            except Exception as exc:  # a page the client could not read is an error too
                self.stats.error("client", f"{self.username}: {type(exc).__name__}: {exc}")
            time.sleep(self.rng.uniform(*THINK))

    def act(self):
        raise NotImplementedError

    def read_dashboard(self, code: str):
        self.session.get("dashboard", f"/wilayah/{code}/{self.period}/")
        recap = self.session.get("rekap.json", f"/wilayah/{code}/{self.period}/rekap.json")
        if f'"code": "{code}"' not in recap.body and f'"code":"{code}"' not in recap.body:
            self.stats.error("rekap.json", f"{self.username}: {code} not in the recap")


class Kader(VirtualUser):
    """A POK KB cadre with one RT: opens the month's report, saves drafts, sometimes sends it.

    A cadre with `twin` also logs in a second time and now and then saves the same report from
    both sessions at the same moment: exactly one save may win, the other must be refused."""

    def __init__(self, *, rt: str, twin: bool, **kwargs):
        super().__init__(**kwargs)
        self.rt, self.twin = rt, None
        if twin:
            self.twin = Session(self.base_url, self.stats, self.username, label=self.username + "#2")

    def extra_login(self) -> Session | None:
        return self.twin

    @property
    def report_path(self) -> str:
        return f"/laporan/{self.rt}/{self.period}/"

    def act(self):
        if self.rng.random() < 0.65:
            self.fill_report()
        else:
            self.read_dashboard(self.rt)

    def open_form(self, session: Session) -> tuple[Page, dict | None]:
        page = Page(session.get("report page", self.report_path).body)
        return page, page.form(css_class="report-form")

    def fill_report(self):
        page, form = self.open_form(self.session)
        if form is None:
            self.stats.count("report locked (sent or verified): read only")
            return
        if self.twin is not None and (form["version"] == "0" or self.rng.random() < 0.4):
            return self.save_twice(page, form)  # always when the report does not exist yet
        kind = "submit" if self.rng.random() < 0.25 else "draft"
        data, counts = self.filled(page, form)
        try:
            answer = self.session.post(kind, self.report_path, {**data, "action": kind}, expect=(302, 409))
        except RequestFailed:
            self.ledger.unknown(self.rt)
            raise
        if kind == "submit" and answer.status == 302:
            return self.confirm_send(answer, int(form["version"]), counts)
        self.judge(kind, answer, int(form["version"]), counts, self.session)

    def confirm_send(self, answer, version: int, counts: dict):
        """"Kirim" saved the numbers as the draft and shows their totals; the cadre confirms there."""
        made = version + 1 if version else 1
        self.ledger.accepted(Write(self.rt, made, "draft", self.session.label, counts))
        page = Page(self.session.get("send page", answer.path_of_location()).body)
        form = page.form(css_class="send-form")
        if form is None or form.get("version") != str(made):
            self.stats.error("submit", f"{self.rt}: no confirmation form at version {made}")
            return
        try:
            sent = self.session.post("submit", answer.path_of_location(), form, expect=(302,))
        except RequestFailed:
            self.ledger.unknown(self.rt)
            raise
        self.judge("submit", sent, made, counts, self.session)

    def save_twice(self, page_a: Page, form_a: dict):
        """The second session opens the form too, at the same version; then both save at once."""
        page_b, form_b = self.open_form(self.twin)
        if form_b is None or form_a["version"] != form_b["version"]:
            self.stats.count("double save skipped (report locked or changed between the two opens)")
            return
        filled = [self.filled(page_a, form_a), self.filled(page_b, form_b)]
        answers, barrier = [None, None], threading.Barrier(2)

        def save(i, session):
            barrier.wait()
            try:
                answers[i] = session.post("draft", self.report_path, {**filled[i][0], "action": "draft"},
                                          expect=(302, 409))
            except RequestFailed:
                self.ledger.unknown(self.rt)

        threads = [threading.Thread(target=save, args=(i, s)) for i, s in enumerate((self.session, self.twin))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if None in answers:
            return
        statuses = sorted(answer.status for answer in answers)
        if statuses != [302, 409]:
            self.stats.error("draft", f"{self.rt}: two saves at version {form_a['version']} answered {statuses}, "
                                      "expected exactly one accepted and one refused")
        for i, session in enumerate((self.session, self.twin)):
            self.judge("draft", answers[i], int(form_a["version"]), filled[i][1], session)
        what = "double save creating the report" if form_a["version"] == "0" else "double save of one version"
        self.stats.count(f"{what}: one saved, one refused" if statuses == [302, 409] else f"{what}: WRONG")

    def filled(self, page: Page, form: dict) -> tuple[dict, dict]:
        """The form as a cadre sends it: prefilled numbers, sometimes one couple moved from one
        column to another, and a reason wherever a number differs from the register."""
        counts = {field: _int(form.get(field)) for field in COUNT_FIELDS}
        if None in counts.values():
            counts = self.fresh_counts()
        elif self.rng.random() < 0.6:
            self.move_one(counts)
        register = page.help_numbers()
        data = {name: value for name, value in form.items() if name != "action"}
        for field in COUNT_FIELDS:
            data[field] = str(counts[field])
            reason = f"alasan_{field}"
            if field in register and counts[field] != register[field] and not data.get(reason):
                data[reason] = REASON
        return data, counts

    def move_one(self, counts: dict):
        sources = [field for field in BALANCE_FIELDS if counts[field] > 0]
        if sources:
            source = self.rng.choice(sources)
            counts[source] -= 1
            counts[self.rng.choice(BALANCE_FIELDS)] += 1
        counts[self.rng.choice(PB_FIELDS)] = self.rng.randint(0, 2)
        counts["pb_pasca"] = min(counts["pb_pasca"], sum(counts[field] for field in PB_FIELDS))  # a part of PB

    def fresh_counts(self) -> dict:
        counts = dict.fromkeys(COUNT_FIELDS, 0)
        counts["pus"] = self.rng.randint(15, 35)
        for _ in range(counts["pus"]):
            counts[self.rng.choice(BALANCE_FIELDS)] += 1
        return counts

    def judge(self, kind: str, answer, version: int, counts: dict, session: Session):
        if answer.status == 409:
            page = Page(answer.body)
            if is_stale(page.form_errors()):
                self.stats.count(f"lock refusal ({kind})")
            else:
                self.stats.error(kind, f"{self.rt}: 409 without the refusal message: {page.form_errors()[:200]}")
            return
        made = version + 1 if version else 1
        self.ledger.accepted(Write(self.rt, made, kind, session.label, counts))
        self.stats.count(f"accepted {kind}")
        after = Page(session.get("report page", answer.path_of_location()).body)
        said = " ".join(text for level, text in after.messages() if level == "success")
        wanted = "Laporan dikirim" if kind == "submit" else f"Draf disimpan (versi {made})"
        if wanted not in said:
            self.stats.error(kind, f"{self.rt}: saved, but the page says {said!r}, not {wanted!r}")


class Pkb(VirtualUser):
    """A PKB/PLKB with one desa: reads the queue and dashboards, verifies, returns, reopens."""

    def __init__(self, *, desa: str, **kwargs):
        super().__init__(**kwargs)
        self.desa = desa

    @property
    def queue_path(self) -> str:
        return f"/verifikasi/{self.desa}/{self.period}/"

    def act(self):
        queue = Page(self.session.get("queue", self.queue_path).body)
        rows = queue.rows
        submitted = [row for row in rows if row["status"] == "submitted" and row["version"]]
        verified = [row for row in rows if row["status"] == "verified"]
        roll = self.rng.random()
        if roll < 0.02 and submitted:
            self.verify_all([row["rt"] for row in submitted])
        elif roll < 0.45 and submitted:
            row = self.rng.choice(submitted)
            if self.rng.random() < 0.6:
                self.verify(row, queue.csrf_token())
            else:
                self.send_back(row["rt"], "kembalikan", "return", RETURN_NOTE)
        elif roll < 0.65 and verified:  # reopened reports go back to the cadres: more saves
            self.send_back(self.rng.choice(verified)["rt"], "buka", "reopen", REOPEN_NOTE)
        elif roll < 0.75 and rows:
            self.session.get("report page", f"/laporan/{self.rng.choice(rows)['rt']}/{self.period}/")
        else:
            self.read_dashboard(self.desa)

    def verify(self, row: dict, csrf_token: str):
        path = f"/laporan/{row['rt']}/{self.period}/verifikasi/"
        form = {"version": row["version"], "next": self.queue_path, "csrfmiddlewaretoken": csrf_token}
        try:
            answer = self.session.post("verify", path, form)
        except RequestFailed:
            self.ledger.unknown(row["rt"])
            raise
        messages = Page(self.session.get("queue", answer.path_of_location()).body).messages()
        if any(level == "success" and "diverifikasi" in text for level, text in messages):
            self.ledger.accepted(Write(row["rt"], int(row["version"]) + 1, "verify", self.username))
            self.stats.count("accepted verify")
        elif any(level == "danger" and is_stale(text) for level, text in messages):
            self.stats.count("lock refusal (verify)")
        else:
            self.stats.error("verify", f"{row['rt']}: neither verified nor refused: {messages}")

    def verify_all(self, rts: list[str]):
        """The queue's "verify all sent" page, flagged reports included: its message says how
        many; the database says which."""
        path = f"/verifikasi/{self.desa}/{self.period}/semua/"
        form = Page(self.session.get("verify all page", path).body).form(css_class="verify-all-form")
        if form is None:
            self.stats.error("verify all", f"{self.desa}: sent reports in the queue but no verify-all form")
            return
        try:
            answer = self.session.post("verify all", path, {**form, "include_flagged": "1"})
        except RequestFailed:
            for rt in rts:
                self.ledger.unknown(rt)
            raise
        messages = Page(self.session.get("queue", answer.path_of_location()).body).messages()
        counts = [int(match[1]) for level, text in messages if level == "success"
                  for match in [re.match(r"(\d+) laporan diverifikasi", text)] if match]
        if len(counts) != 1:
            self.stats.error("verify all", f"{self.desa}: no count of verified reports: {messages}")
            return
        self.ledger.verified_all(self.username, counts[0])
        self.stats.count("accepted verify all", counts[0])

    def send_back(self, rt: str, slug: str, kind: str, note: str):
        """Return a sent report, or reopen a verified one: a page with a note, then the POST."""
        path = f"/laporan/{rt}/{self.period}/{slug}/?next={self.queue_path}"
        form = Page(self.session.get("note page", path).body).form(css_class="note-form")
        if form is None:
            self.stats.count(f"{kind} skipped (status changed)")
            return
        try:
            answer = self.session.post(kind, path, {**form, "note": note}, expect=(302, 200))
        except RequestFailed:
            self.ledger.unknown(rt)
            raise
        if answer.status == 302:
            self.ledger.accepted(Write(rt, int(form["version"]) + 1, kind, self.username))
            self.stats.count(f"accepted {kind}")
        elif is_stale(Page(answer.body).form_errors()):
            self.stats.count(f"lock refusal ({kind})")
        elif STATUS_CHANGED in answer.body:
            # Changed meanwhile into a status the note no longer applies to: the page then shows
            # that status rule instead of the form (and of the "sudah diubah" message).
            self.stats.count(f"lock refusal ({kind}, shown as the status rule)")
        else:
            self.stats.error(kind, f"{rt}: refused: {Page(answer.body).form_errors()[:200]}")


def _int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None
