"""URLs of the 6 Peran Bakti scorecard."""

from django.urls import path

from reports.scorecard import views

urlpatterns = [
    path("peran-bakti/<code:code>/<period:period>/", views.scorecard, name="scorecard"),
    path("peran-bakti/<code:code>/tahun/<int:year>/", views.scorecard_year, name="scorecard_year"),
    path("peran-bakti/imp/<int:pk>/<period:period>/", views.self_reliance, name="self_reliance"),
]
