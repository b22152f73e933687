"""A session ends after `SESSION_COOKIE_AGE` seconds without a request, without being written on
every request.

Saving the session on every request (`SESSION_SAVE_EVERY_REQUEST`) made each page a write: an
UPDATE and a commit, on every page of every phone. Here the session is saved (its expiry moved to
now + `SESSION_COOKIE_AGE`, its cookie sent again) only when it was last saved more than
`SESSION_REFRESH_AFTER` seconds ago, or when something else changed it. A session therefore ends
between `SESSION_COOKIE_AGE - SESSION_REFRESH_AFTER` and `SESSION_COOKIE_AGE` seconds after the
last request (7 h 55 min to 8 h with the defaults). Logging out deletes it as before.
"""

from django.conf import settings
from django.utils import timezone

SAVED_AT = "_saved_at"  # in the session: when it was last saved, in seconds since the epoch


class SessionRefreshMiddleware:
    """Placed right after Django's SessionMiddleware, which saves what this one marks modified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None:
            refresh(session)
        return response


def refresh(session) -> None:
    """Marks the session to be saved when it is due (see the module's docstring)."""
    saved_at = session.get(SAVED_AT)  # loads the session if the request has not yet
    if session.is_empty():
        return  # no session, or logged out: nothing to keep alive
    now = int(timezone.now().timestamp())
    if session.modified or saved_at is None or now - saved_at >= settings.SESSION_REFRESH_AFTER:
        session[SAVED_AT] = now
