from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from cadres import views as cadres_views
from cadres.converters import UnitCodeConverter
from cadres.periods import PeriodConverter
from kampungkb import views
from reports.monthly import home_views

register_converter(UnitCodeConverter, "code")
register_converter(PeriodConverter, "period")


class Favicon(RedirectView):
    """Browsers ask /favicon.ico whatever the page links: send them to the static icon (its
    hashed name is known only once the app runs, so it is looked up per request)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    path("", home_views.home_page, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", Favicon.as_view(), name="favicon"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("accounts/login/", cadres_views.Login.as_view(), name="login"),
    path("accounts/logout/", cadres_views.Logout.as_view(), name="logout"),
    path("accounts/password_change/", cadres_views.PasswordChange.as_view(), name="password_change"),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("", include("cadres.urls")),
    path("", include("reports.numbers.urls")),
    path("", include("reports.monthly.urls")),
    path("", include("reports.targets.urls")),
    path("", include("reports.scorecard.urls")),
]

admin.site.site_header = "Kampung KB — Admin"
admin.site.site_title = "Kampung KB"
admin.site.index_title = "Pengaturan wilayah, IMP, kader dan akun"
