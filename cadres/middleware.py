"""Per-request rules about the user: a password to change first, and pages kept private."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

ALLOWED_PATHS = ("password_change", "password_change_done", "logout")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in ALLOWED_PATHS}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("password_change")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages and downloads for a logged-in user carry personal data (names, the register): a
    shared phone or a proxy must not keep them (`Cache-Control: private, no-store`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            patch_cache_control(response, private=True, no_store=True)
        return response
