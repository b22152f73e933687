from django.urls import path

from cadres.register import export_views, followup_views, outreach_views, views as register_views

urlpatterns = [
    path("register/<code:code>/", register_views.register, name="register"),
    path("register/<code:code>/tambah/", register_views.couple_new, name="couple_add"),
    path("register/<code:code>/unduh.xlsx", export_views.register_xlsx, name="register_xlsx"),
    path("pasangan/<int:pk>/", register_views.couple_detail, name="couple_detail"),
    path("pasangan/<int:pk>/ubah/", register_views.couple_edit, name="couple_edit"),
    path("pasangan/<int:pk>/status/", register_views.couple_status, name="couple_status"),
    path("pasangan/<int:pk>/keluar/", register_views.couple_leave, name="couple_leave"),
    path("pasangan/<int:pk>/ulang/", followup_views.couple_repeat, name="couple_repeat"),
    path("pasangan/<int:pk>/konseling/", outreach_views.counselling_new, name="counselling_new"),
    path("tindak-lanjut/<code:code>/", followup_views.follow_up_list, name="follow_ups"),
    path("prospek/<code:code>/", outreach_views.prospects, name="prospects"),
]
