from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """`200 ok` when the app and its database answer (docs/interfaces.md)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def service_worker(request):
    """static/js/sw.js at the site root, so that it may control every page (scope "/"); checked
    again by the browser on each visit (`no-cache`), never pinned to an old worker."""
    path = finders.find("js/sw.js") or Path(settings.STATIC_ROOT) / "js" / "sw.js"
    response = HttpResponse(Path(path).read_bytes(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    patch_cache_control(response, no_cache=True)
    return response
