from django.urls import path

from tisserand.reporting import views

app_name = "reporting"

urlpatterns = [
    path("pilotage/", views.dashboard, name="dashboard"),
    path("pilotage/export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("pilotage/egalite-des-chances/", views.equality_view, name="equality"),
    path("pilotage/egalite-des-chances/export.xlsx", views.equality_export, name="equality_export"),
    path("pilotage/conventions/", views.conventions, name="conventions"),
    path("pilotage/conventions/nouvelle/", views.convention_create, name="convention_create"),
    path("pilotage/conventions/<uuid:public_id>/", views.convention_detail, name="convention"),
    path(
        "pilotage/conventions/<uuid:public_id>/export.xlsx",
        views.convention_export,
        name="convention_export",
    ),
    path(
        "pilotage/conventions/<uuid:public_id>/objectifs/nouveau/",
        views.objective_create,
        name="objective_create",
    ),
    path(
        "pilotage/objectifs/<uuid:public_id>/declarer/",
        views.objective_report,
        name="objective_report",
    ),
    path("pilotage/fse/", views.esf_view, name="esf"),
    path("pilotage/fse/export.xlsx", views.esf_export, name="esf_export"),
    path("pilotage/fse/participants.xlsx", views.esf_participants, name="esf_participants"),
    path("pilotage/emplois-non-delocalisables/", views.relocation_view, name="relocation"),
    path(
        "pilotage/emplois-non-delocalisables/export.xlsx",
        views.relocation_export,
        name="relocation_export",
    ),
    path(
        "pilotage/emplois-non-delocalisables/classification/",
        views.naf_review,
        name="naf_review",
    ),
    path(
        "pilotage/rapport-mensuel/<int:year>/<int:month>/",
        views.monthly_report,
        name="monthly_report",
    ),
    path("observatoire/", views.observatory_view, name="observatory"),
    path("observatoire/export.xlsx", views.observatory_export, name="observatory_export"),
]
