from django.urls import path

from reports.numbers import views

urlpatterns = [
    path("wilayah/<code:code>/<period:period>/", views.dashboard, name="dashboard"),
    path("wilayah/<code:code>/<period:period>/rekap.json", views.recap_json, name="recap_json"),
    path("wilayah/<code:code>/<period:period>/rekap.dhis2.json", views.recap_dhis2, name="recap_dhis2"),
    path("wilayah/<code:code>/<period:period>/rekap.pdf", views.recap_pdf_download, name="recap_pdf"),
    path("wilayah/<code:code>/<period:period>/rekap.xlsx", views.recap_xlsx_download, name="recap_xlsx"),
    path("wilayah/<code:code>/<period:period>/peta.pdf", views.peta_pdf_download, name="peta_pdf"),
    path("wilayah/<code:code>/<period:period>/lokakarya.pdf", views.lokakarya_pack, name="lokakarya_pack"),
]
