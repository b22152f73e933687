"""Sends a user who must change their password to the password change page first."""

from django.shortcuts import redirect
from django.urls import reverse

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
