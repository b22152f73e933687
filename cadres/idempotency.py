"""Idempotency keys for the cadres' write views: a form a phone sent offline may arrive twice.

A POST may carry a key (the form field `idempotency_key`, else the header `X-Idempotency-Key`;
8–64 characters of A–Z a–z 0–9 _ -, anything else is as if absent). The first POST with a key
runs the view in one transaction that first inserts (user, key, path): when the view answers
with a redirect the key keeps its URL, committed with the write; otherwise (a form with errors,
a 409, an exception, a refusal marked by `not_done`) the key goes and a retry runs again.
A later POST with the same key and the same path gets the same redirect, marked
`X-Idempotent-Replay: 1`, without running the view; another path gets a 409. Two requests at
once: the second's insert waits for the first's transaction (PostgreSQL's unique index, SQLite's
write lock), then hits the unique constraint and answers the replay (or 409 while unknown).
Keys are per user; each keyed POST deletes the user's keys older than 30 days.
"""

import datetime
import re
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import IdempotencyKey

FIELD = "idempotency_key"
HEADER = "HTTP_X_IDEMPOTENCY_KEY"  # X-Idempotency-Key
REPLAY = "X-Idempotent-Replay"
KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
KEPT = datetime.timedelta(days=30)


def key_of(request) -> str | None:
    """The request's valid key: the form field's, else the header's; None without one."""
    for value in (request.POST.get(FIELD), request.META.get(HEADER)):
        if isinstance(value, str) and KEY.fullmatch(value):
            return value
    return None


def not_done(request) -> None:
    """Said by a view whose redirect reports a refusal: the key is not kept, a retry runs again."""
    request.idempotency_not_done = True


def idempotent(view):
    """Runs a write view at most once per (user, key): see the module's docstring."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key = key_of(request) if request.method == "POST" and request.user.is_authenticated else None
        if key is None:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            IdempotencyKey.objects.filter(user=request.user, created__lt=timezone.now() - KEPT).delete()
            try:
                with transaction.atomic():
                    row = IdempotencyKey.objects.create(user=request.user, key=key, path=request.path)
            except IntegrityError:
                return _earlier(request, key)
            response = view(request, *args, **kwargs)
            _keep_or_forget(request, row, response)
        return response

    return wrapped


def _keep_or_forget(request, row, response) -> None:
    if 300 <= response.status_code < 400 and response.has_header("Location") \
            and not getattr(request, "idempotency_not_done", False):
        row.url = response["Location"]
        row.save(update_fields=["url"])
    else:
        IdempotencyKey.objects.filter(pk=row.pk).delete()


def _earlier(request, key) -> HttpResponse:
    """The answer to a key already used: the first answer again, or 409."""
    row = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if row is None or not row.url:
        return _conflict(_("Formulir ini sedang diproses. Tunggu sebentar, lalu kirim lagi."))
    if row.path != request.path:
        return _conflict(_("Kunci pengiriman ini sudah dipakai untuk formulir lain. "
                           "Muat ulang halaman, lalu kirim lagi."))
    response = HttpResponseRedirect(row.url)
    response[REPLAY] = "1"
    return response


def _conflict(message: str) -> HttpResponse:
    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
