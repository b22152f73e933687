"""Answers `/sw.js` before the session and everything after it: the browser checks the service
worker on page loads, in parallel with the page itself, and that check must not read or save the
user's session (which may be saved by any request, and on SQLite a parallel save makes the
page's own request wait for, or fail on, the session table's lock), nor be held up by it."""

from csp.utils import build_policy

from kampungkb.views import service_worker

SERVICE_WORKER_PATH = "/sw.js"


class ServiceWorkerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == SERVICE_WORKER_PATH and request.method in ("GET", "HEAD"):
            response = service_worker(request)
            response["Content-Security-Policy"] = build_policy()  # the site's, for the worker's own fetches
            return response
        return self.get_response(request)
