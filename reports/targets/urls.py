"""URLs of the OPD's targets: the yearly PPM target split down, and the MKJP campaigns."""

from django.urls import path

from reports.targets import campaign_views, views as target_views

urlpatterns = [
    path("target/<code:code>/<int:year>/", target_views.targets, name="targets"),
    path("kampanye/<code:code>/", campaign_views.campaigns, name="campaigns"),
    path("kampanye/<code:code>/baru/", campaign_views.campaign_new, name="campaign_new"),
    path("kampanye/<code:code>/<int:campaign>/", campaign_views.campaign_detail, name="campaign_detail"),
    path("kampanye/<code:code>/<int:campaign>/ubah/", campaign_views.campaign_edit, name="campaign_edit"),
    path("kampanye/<code:code>/<int:campaign>/hapus/", campaign_views.campaign_remove, name="campaign_delete"),
]
