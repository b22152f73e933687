"""URLs of the OPD's targets: the yearly PPM target split down, and the MKJP campaigns."""

from django.urls import path

from reports import target_views

urlpatterns = [
    path("target/<code:code>/<int:year>/", target_views.targets, name="targets"),
    path("kampanye/<code:code>/", target_views.campaigns, name="campaigns"),
]
