"""Where a page sends the user after a change."""

from django.utils.http import url_has_allowed_host_and_scheme


def back(request, default: str) -> str:
    """The page the user came from (`next`, if it is a path of ours), else `default`."""
    url = request.POST.get("next") or request.GET.get("next")
    # A path of ours only: `redirect` would take any other word for the name of a URL pattern.
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(
            url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return default
