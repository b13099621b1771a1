from django.urls import path

from tisserand.people import retention_views, views

app_name = "people"

urlpatterns = [
    path("personnes/", views.person_list, name="list"),
    path("personnes/nouvelle/", views.person_create, name="create"),
    path("personnes/<uuid:public_id>/", views.person_detail, name="detail"),
    path("personnes/<uuid:public_id>/modifier/", views.person_edit, name="edit"),
    path("personnes/<uuid:public_id>/statuts/", views.statuses, name="statuses"),
    path(
        "personnes/<uuid:public_id>/statuts/<int:status_id>/modifier/",
        views.status_edit,
        name="status_edit",
    ),
    path("personnes/<uuid:public_id>/consentements/", views.consents, name="consents"),
    path(
        "personnes/<uuid:public_id>/consentements/<int:consent_id>/retirer/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("personnes/<uuid:public_id>/statut-qpv/", views.qpv_history, name="qpv_history"),
    path(
        "personnes/<uuid:public_id>/attestation-qpv/",
        views.qpv_attestation,
        name="qpv_attestation",
    ),
    path("personnes/<uuid:public_id>/pieces/", views.person_documents, name="documents"),
    path("personnes/<uuid:public_id>/journal/", views.notes, name="notes"),
    path(
        "personnes/<uuid:public_id>/conservation/geler/",
        retention_views.hold_place,
        name="hold_place",
    ),
    path(
        "personnes/<uuid:public_id>/conservation/lever-le-gel/",
        retention_views.hold_lift,
        name="hold_lift",
    ),
    path("personnes/<uuid:public_id>/fusionner/", views.merge_choose, name="merge"),
    path(
        "personnes/<uuid:public_id>/fusionner/<uuid:other_id>/",
        views.merge_confirm,
        name="merge_confirm",
    ),
]
