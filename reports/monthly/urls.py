"""URLs of the monthly report workflow: the cadre's form, the PKB's queue and actions, the desa
activities, and the OPD's closing of a month."""

from django.urls import path

from reports.monthly import activity_views, event_views, report_views, verify_views

urlpatterns = [
    path("laporan/<code:code>/<period:period>/", report_views.report, name="report"),
    path("laporan/<code:code>/<period:period>/kirim/", report_views.report_send, name="report_send"),
    path("laporan/<code:code>/<period:period>/verifikasi/", verify_views.report_verify, name="report_verify"),
    path("laporan/<code:code>/<period:period>/kembalikan/", verify_views.report_return, name="report_return"),
    path("laporan/<code:code>/<period:period>/buka/", verify_views.report_reopen, name="report_reopen"),
    path("verifikasi/<code:code>/<period:period>/", verify_views.verification_queue, name="verification_queue"),
    path("verifikasi/<code:code>/<period:period>/semua/", verify_views.report_verify_all, name="report_verify_all"),
    path("kegiatan/<code:code>/<period:period>/", activity_views.desa_activities, name="desa_activities"),
    path("kegiatan/<code:code>/<period:period>/baru/", event_views.activity_new, name="activity_new"),
    path("kegiatan/catatan/<int:pk>/", event_views.activity_detail, name="activity_detail"),
    path("kegiatan/catatan/<int:pk>/ubah/", event_views.activity_edit, name="activity_edit"),
    path("kegiatan/catatan/<int:pk>/hapus/", event_views.activity_remove, name="activity_delete"),
    path("kegiatan/catatan/<int:pk>/foto/", event_views.activity_photo, name="activity_photo"),
    path("kegiatan/tindak-lanjut/<int:pk>/", event_views.follow_up_toggle, name="follow_up_toggle"),
    path("periode/<code:code>/<period:period>/tutup/", activity_views.period_closing, name="period_closing"),
]
