from django.urls import path

from reports import views

urlpatterns = [
    path("wilayah/<code:code>/<period:period>/", views.dashboard, name="dashboard"),
]
