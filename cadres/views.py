from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

from cadres import scope
from reports.periods import current_period, period_str


@login_required
def home(request):
    units = scope.top_units(request.user)
    return render(request, "cadres/home.html", {"units": units, "period": period_str(current_period())})


class PasswordChange(auth_views.PasswordChangeView):
    """Django's password change, which also lifts the must-change-at-first-login flag."""

    def form_valid(self, form):
        form.user.must_change_password = False  # saved with the new password
        return super().form_valid(form)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer after too many failures: the login form again, saying why."""
    form = AuthenticationForm(request, initial={"username": (credentials or {}).get("username", "")})
    return render(request, "registration/login.html", {"form": form, "locked_out": True})
