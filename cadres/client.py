"""The client's address, for the login lockout and the download log.

Without a proxy it is the connection's address. Behind our reverse proxy (`HTTPS=1`) every
connection comes from the proxy, which appends the address it saw to `X-Forwarded-For`: the
client is the entry `PROXY_COUNT` places from the end (1 for one proxy). Entries further left
were sent by the client itself and prove nothing.
"""

from django.conf import settings


def client_address(request) -> str | None:
    proxies = settings.PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
