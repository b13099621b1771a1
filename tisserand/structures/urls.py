from django.urls import path

from tisserand.structures import views

app_name = "structures"

urlpatterns = [
    path("structures/", views.directory, name="directory"),
    path("structures/<uuid:public_id>/", views.detail, name="detail"),
    path("structures/<uuid:public_id>/modifier/", views.edit, name="edit"),
    path("structures/<uuid:public_id>/membres/", views.members, name="members"),
    path("structures/<uuid:public_id>/membres/inviter/", views.invite, name="invite"),
    path(
        "structures/<uuid:public_id>/membres/<uuid:membership_id>/desactiver/",
        views.deactivate,
        name="deactivate",
    ),
    path(
        "structures/<uuid:public_id>/invitations/<uuid:invitation_id>/annuler/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("structures/<uuid:public_id>/journal-des-acces/", views.access_log, name="access_log"),
    path(
        "structures/<uuid:public_id>/journal-des-acces/export.xlsx",
        views.access_log_export,
        name="access_log_export",
    ),
    path("structure-courante/", views.switch, name="switch"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
