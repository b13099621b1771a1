from django.urls import path

from tisserand.referrals import views

app_name = "referrals"

urlpatterns = [
    path("orientations/services/", views.search, name="search"),
    path("orientations/services/nouveau/", views.service_create, name="service_create"),
    path("orientations/services/<uuid:public_id>/", views.service_detail, name="service"),
    path(
        "orientations/services/<uuid:public_id>/modifier/", views.service_edit, name="service_edit"
    ),
    path(
        "orientations/services/<uuid:public_id>/a-jour/",
        views.service_confirm,
        name="service_confirm",
    ),
    path("orientations/mes-services/", views.my_services, name="my_services"),
    path("orientations/import/", views.import_upload, name="import"),
    path("orientations/import/<uuid:token>/", views.import_preview, name="import_preview"),
    path(
        "orientations/personnes/<uuid:person_id>/services/",
        views.person_search,
        name="person_search",
    ),
    path(
        "orientations/personnes/<uuid:person_id>/services/<uuid:service_id>/orienter/",
        views.refer,
        name="refer",
    ),
    path("orientations/recues/", views.received, name="received"),
    path("orientations/envoyees/", views.sent, name="sent"),
    path("orientations/suivi/", views.follow_up, name="follow_up"),
    path("orientations/territoire/", views.territory, name="territory"),
    path("orientations/avis/", views.notices, name="notices"),
    path("orientations/reponse/<str:token>/", views.link, name="link"),
    path("orientations/<uuid:public_id>/", views.detail, name="detail"),
    path("orientations/<uuid:public_id>/repondre/", views.answer, name="answer"),
    path("orientations/<uuid:public_id>/precisions/", views.add_information, name="information"),
]
