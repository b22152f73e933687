"""Reads of dashboards, recaps and exports from a PostgreSQL streaming standby (docs/deploy.md).

The recaps and exports are the heaviest reads and the ones an office opens the most; a standby
kept by PostgreSQL's own streaming replication can serve them while the primary takes the
cadres' writes. Django's documented multi-database hooks do the routing (`DATABASE_ROUTERS`,
`db_for_read`, `db_for_write`); `ReplicaMiddleware` below decides once per request, at its
start, which database that request reads, so nothing switches halfway:

- only a GET or HEAD of a view named in `REPLICA_VIEWS` may read the standby; every other request
  (forms, the PKB's queue, closing a month, the admin, logins) reads the primary;
- a session that wrote in the last `REPLICA_PIN_SECONDS` reads the primary ("read your own
  writes": a cadre who has just sent her report sees it at once);
- the standby must be reachable and less than `REPLICA_MAX_LAG` seconds behind, else the primary;
- whatever the request: writes, reads inside a transaction, sessions, accounts, permissions
  and idempotency keys always use the primary; migrations run on the primary only.

Without `REPLICA_DATABASE_URL` none of this is installed (kampungkb/settings.py).
"""

import contextvars
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
SAFE_METHODS = ("GET", "HEAD")

# The views whose GET may read the standby: the dashboards, the recaps and every export. Named
# here, in one place, so that a new view reads the primary until someone decides otherwise.
REPLICA_VIEWS = frozenset({
    "dashboard", "recap_json", "recap_dhis2", "recap_pdf", "recap_xlsx", "peta_pdf", "lokakarya_pack",
    "register_xlsx", "scorecard", "scorecard_year",
})

# Who the user is and what they may see is decided on the primary, never on a copy a few seconds
# old (a removed account or unit must not linger): sessions, accounts and their units, Django's
# permissions and admin log, the login lockout, and the idempotency keys of write forms.
PRIMARY_APPS = frozenset({"sessions", "auth", "contenttypes", "admin", "axes"})
PRIMARY_MODELS = frozenset({"cadres.user", "cadres.idempotencykey"})

WROTE_AT = "kampungkb_wrote_at"  # session key: when this session last wrote (seconds since the epoch)
CHECK_EVERY = 1.0  # seconds a process keeps a lag measurement before measuring again
RETRY_AFTER = 10.0  # seconds a process reads the primary after finding the standby unable to serve


@dataclass
class RequestReads:
    """Which database the current request reads, whether it wrote, and its view (for a retry)."""

    alias: str = DEFAULT_DB_ALIAS
    wrote: bool = False
    view: tuple | None = field(default=None, repr=False)


_current = contextvars.ContextVar("kampungkb_replica_request", default=None)


def current() -> RequestReads | None:
    """The request being served in this thread, or None (a management command, a test's setup)."""
    return _current.get()


class ReplicaRouter:
    """Sends a request's reads where the middleware decided, and everything else to the primary."""

    def db_for_read(self, model, **hints):
        state = _current.get()
        if state is None or state.alias == DEFAULT_DB_ALIAS or _primary_only(model, hints.get("instance")):
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # a transaction reads what it is about to write
        return state.alias

    def db_for_write(self, model, **hints):
        state = _current.get()
        if state is not None and model._meta.app_label != "sessions":  # a session kept alive: not the user's write
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        """A row read from the standby is the same row as on the primary."""
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """The standby replays the primary's schema changes; it is never migrated itself."""
        return db == DEFAULT_DB_ALIAS


def _primary_only(model, instance) -> bool:
    models = [model] if instance is None else [model, type(instance)]  # e.g. user.units: a user's rows
    return any(m._meta.app_label in PRIMARY_APPS or m._meta.label_lower in PRIMARY_MODELS for m in models)


class ReplicaMiddleware:
    """Decides, before the view runs, which database the request reads: the standby for a
    dashboard, recap or export when it is fresh, the primary otherwise. After the response, a
    session that wrote is kept on the primary for a few seconds. Last in MIDDLEWARE, so that the
    session and the user are there and it sees the response before the session is saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = RequestReads()
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        remember_write(request, response, state)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _current.get()
        if state is not None and reads_replica(request):
            state.alias = REPLICA
            state.view = (view_func, view_args, view_kwargs)
        return None

    def process_exception(self, request, exception):
        return retry_on_primary(request, exception)


# --- the decision, at the start of a request -----------------------------------------------------


def reads_replica(request) -> bool:
    """Whether this request reads the standby: the rules of the module's docstring, cheapest first."""
    return (
        REPLICA in settings.DATABASES
        and request.method in SAFE_METHODS
        and getattr(request.resolver_match, "url_name", None) in REPLICA_VIEWS
        and not wrote_recently(request)
        and replica_is_fresh()
    )


def wrote_recently(request) -> bool:
    session = getattr(request, "session", None)
    if session is None:
        return False
    return time.time() - session.get(WROTE_AT, 0) < settings.REPLICA_PIN_SECONDS


def remember_write(request, response, state: RequestReads) -> None:
    """After a request that wrote (any write, or a POST that succeeded), its session reads the
    primary for `REPLICA_PIN_SECONDS`: at least the lag limit, so the standby has the write by then."""
    wrote = state.wrote or (request.method not in SAFE_METHODS and response.status_code < 400)
    user = getattr(request, "user", None)
    if wrote and user is not None and user.is_authenticated and hasattr(request, "session"):
        request.session[WROTE_AT] = time.time()


def retry_on_primary(request, exception):
    """A view that failed on the standby (it went away, or cancelled a query to replay) runs again
    on the primary, once: a GET of a read-only view, so running it twice changes nothing."""
    state = _current.get()
    if state is None or state.alias != REPLICA or state.view is None:
        return None
    if not isinstance(exception, Error) or not connections[REPLICA].errors_occurred:
        return None
    logger.warning("replica failed during %s (%s): served from the primary", request.path, exception)
    _remember_reading(time.monotonic(), None)
    state.alias = DEFAULT_DB_ALIAS
    view, args, kwargs = state.view
    return view(request, *args, **kwargs)


# --- the lag ---------------------------------------------------------------------------------

# This process's last measurement: (time.monotonic() when it began, lag in seconds or None when
# the standby cannot serve). Kept a second (or, when the standby could not serve, RETRY_AFTER),
# so that a busy worker asks once a second, and a standby that is down costs one try per worker.
_reading: tuple[float, float | None] | None = None


def _remember_reading(at: float, lag: float | None) -> None:
    global _reading
    _reading = (at, lag)


def forget_reading() -> None:
    """Drops the kept measurement (tests; the next request measures again)."""
    global _reading
    _reading = None


def replica_is_fresh() -> bool:
    """Whether the standby is up and within `REPLICA_MAX_LAG`. A kept measurement ages: its lag
    plus its age must stay within the limit, so no number served is older than the limit."""
    now = time.monotonic()
    if _reading is None or now - _reading[0] >= (CHECK_EVERY if _reading[1] is not None else RETRY_AFTER):
        _remember_reading(now, measure_lag())
    at, lag = _reading
    return lag is not None and lag + (now - at) <= settings.REPLICA_MAX_LAG


LAG_SQL = (
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s::pg_lsn, "
    "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8"
)


def measure_lag() -> float | None:
    """Seconds the standby may be behind the primary, or None when it cannot serve (down, not a
    standby, or behind without a commit replayed since it started).

    The standard way: the standby has replayed the primary's WAL up to the position read just
    before (`pg_last_wal_replay_lsn() >= pg_current_wal_insert_lsn()`): nothing is missing, lag 0.
    Otherwise what it shows is as old as its last replayed commit
    (`now() - pg_last_xact_replay_timestamp()`, an upper bound; the two clocks must agree, NTP).
    """
    if _same_database():
        return 0.0  # a test mirror of default: the same database cannot lag
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql" or connections[REPLICA].vendor != "postgresql":
        logger.warning("replica: only a PostgreSQL standby of a PostgreSQL primary is used")
        return None
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        (position,) = cursor.fetchone()
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL, [position])
            in_recovery, caught_up, behind = cursor.fetchone()
    except Error as error:  # refused, timed out, closed, cancelled: not usable now
        logger.warning("replica unavailable, reading the primary: %s", error)
        return None
    if not in_recovery:
        logger.warning("replica is not a standby in recovery: reading the primary")
        return None
    if caught_up:
        return 0.0
    return None if behind is None else max(behind, 0.0)


def _same_database() -> bool:
    primary, replica = connections[DEFAULT_DB_ALIAS].settings_dict, connections[REPLICA].settings_dict
    return all(primary[key] == replica[key] for key in ("ENGINE", "NAME", "HOST", "PORT"))
