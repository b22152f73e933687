"""URLs of the monthly report workflow: the cadre's form, the PKB's queue."""

from django.urls import path  # noqa: F401

urlpatterns = []
