from django.urls import path

from tisserand.accompaniment import settings_views, views

app_name = "accompaniment"

urlpatterns = [
    path("accompagnement/", views.caseload, name="caseload"),
    path("accompagnement/export.xlsx", views.caseload_export, name="caseload_export"),
    path(
        "accompagnement/personnes/<uuid:person_id>/nouveau/",
        views.open_accompaniment,
        name="open",
    ),
    path("accompagnement/<uuid:public_id>/", views.detail, name="detail"),
    path("accompagnement/<uuid:public_id>/equipe/", views.team, name="team"),
    path(
        "accompagnement/<uuid:public_id>/equipe/<int:member_id>/retirer/",
        views.team_remove,
        name="team_remove",
    ),
    path("accompagnement/<uuid:public_id>/transfert/", views.transfer, name="transfer"),
    path("accompagnement/<uuid:public_id>/diagnostic/", views.diagnosis, name="diagnosis"),
    path("accompagnement/<uuid:public_id>/projet/", views.project, name="project"),
    path("accompagnement/<uuid:public_id>/plan/", views.plan, name="plan"),
    path(
        "accompagnement/<uuid:public_id>/plan/objectifs/<uuid:objective_id>/statut/",
        views.objective_status,
        name="objective_status",
    ),
    path(
        "accompagnement/<uuid:public_id>/plan/objectifs/<uuid:objective_id>/actions/nouvelle/",
        views.action_create,
        name="action_create",
    ),
    path(
        "accompagnement/<uuid:public_id>/plan/actions/<uuid:action_id>/",
        views.action_edit,
        name="action_edit",
    ),
    path("accompagnement/<uuid:public_id>/sortie/", views.record_exit, name="exit"),
    path("accompagnement/<uuid:public_id>/suivi-6-mois/", views.follow_up, name="follow_up"),
    # Paramétrage: the network's configurable lists (administrator of a Maison de l'Emploi).
    path(
        "parametrage/accompagnement/programmes/",
        settings_views.programmes,
        name="settings_programmes",
    ),
    path(
        "parametrage/accompagnement/programmes/<int:pk>/modifier/",
        settings_views.programme_edit,
        name="settings_programme_edit",
    ),
    path(
        "parametrage/accompagnement/programmes/<int:pk>/proposer/",
        settings_views.programme_offer,
        name="settings_programme_offer",
    ),
    path(
        "parametrage/accompagnement/programmes/<int:pk>/supprimer/",
        settings_views.programme_delete,
        name="settings_programme_delete",
    ),
    path(
        "parametrage/accompagnement/actions-suggerees/",
        settings_views.suggested_actions,
        name="settings_suggested_actions",
    ),
    path(
        "parametrage/accompagnement/actions-suggerees/<int:pk>/modifier/",
        settings_views.suggested_action_edit,
        name="settings_suggested_action_edit",
    ),
    path(
        "parametrage/accompagnement/actions-suggerees/<int:pk>/supprimer/",
        settings_views.suggested_action_delete,
        name="settings_suggested_action_delete",
    ),
]
