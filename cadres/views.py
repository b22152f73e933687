from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout, views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone

WARN_AFTER_FAILURES = 3


class Login(auth_views.LoginView):
    """Django's login, which warns once a name has failed 3 times that a lockout is near."""

    def form_invalid(self, form):
        username = form.data.get("username", "")
        if "\x00" in username:  # no account has such a name (and PostgreSQL refuses it in a query)
            return super().form_invalid(form)
        failures = AxesProxyHandler.get_failures(self.request, credentials={"username": username})
        left = settings.AXES_FAILURE_LIMIT - failures
        context = self.get_context_data(form=form)
        if failures >= WARN_AFTER_FAILURES and left > 0:
            context["attempts_left"] = left
        return self.render_to_response(context)


class Logout(auth_views.LogoutView):
    """Django's logout, which also tells the browser to forget the user's offline copies: the
    pages it cached and the drafts waiting to be sent (`Clear-Site-Data`)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class PasswordChange(auth_views.PasswordChangeView):
    """Django's password change, which also lifts the must-change-at-first-login flag.

    A wrong current password counts as a failed login (the same lockout), so that whoever holds
    a session cannot guess the password here without limit; a locked account is logged out."""

    def dispatch(self, request, *args, **kwargs):
        credentials = {"username": request.user.get_username()}
        if request.user.is_authenticated and AxesProxyHandler.is_locked(request, credentials=credentials):
            logout(request)
            return locked_out(request, credentials=credentials)
        return super().dispatch(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password"):
            user_login_failed.send(sender=__name__, credentials={"username": self.request.user.get_username()},
                                   request=self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        form.user.must_change_password = False  # saved with the new password
        return super().form_valid(form)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer after too many failures: the login form again, saying why."""
    username = (credentials or {}).get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    return render(request, "registration/login.html",
                  {"form": form, "locked_out": True, "locked_until": locked_until(username)})


def locked_until(username):
    """When a locked name may try again: its last failure plus the cool-off (axes counts from it)."""
    from axes.models import AccessAttempt  # axes' models need the app registry ready

    last = AccessAttempt.objects.filter(username=username).aggregate(last=Max("attempt_time"))["last"]
    return timezone.localtime((last or timezone.now()) + settings.AXES_COOLOFF_TIME)
