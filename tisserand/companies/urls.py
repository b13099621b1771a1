from django.urls import path

from tisserand.companies import journal_views, needs_views

app_name = "companies"

urlpatterns: list = []

# --- The relationship journal and the needs (companies-relations) ---------------------------
urlpatterns += [
    path(
        "entreprises/<uuid:public_id>/journal/",
        journal_views.journal_page,
        name="journal",
    ),
    path(
        "entreprises/<uuid:public_id>/journal/ajouter/",
        journal_views.interaction_create,
        name="interaction_create",
    ),
    path(
        "entreprises/echanges/<uuid:public_id>/action-faite/",
        journal_views.next_action_done,
        name="next_action_done",
    ),
    path(
        "entreprises/<uuid:public_id>/besoins/nouveau/",
        needs_views.need_create,
        name="need_create",
    ),
    path("entreprises/besoins/", needs_views.inbox, name="needs_inbox"),
    path("entreprises/besoins/chiffres/", needs_views.needs_figures, name="needs_figures"),
    path("entreprises/besoins/<uuid:public_id>/", needs_views.need_detail, name="need_detail"),
    path(
        "entreprises/besoins/<uuid:public_id>/orienter/",
        needs_views.need_route,
        name="need_route",
    ),
    path(
        "entreprises/orientations/<uuid:public_id>/reponse/",
        needs_views.assignment_answer,
        name="assignment_answer",
    ),
    path(
        "entreprises/satisfaction/<str:token>/",
        needs_views.satisfaction_answer,
        name="satisfaction_answer",
    ),
    path("entreprises/regles-orientation/", needs_views.routing_rules, name="routing_rules"),
    path(
        "entreprises/regles-orientation/<uuid:public_id>/modifier/",
        needs_views.routing_rule_edit,
        name="routing_rule_edit",
    ),
    path(
        "entreprises/regles-orientation/<uuid:public_id>/supprimer/",
        needs_views.routing_rule_delete,
        name="routing_rule_delete",
    ),
    path(
        "parametrage/entreprises/sujets/",
        needs_views.settings_subjects,
        name="settings_subjects",
    ),
    path(
        "parametrage/entreprises/sujets/<int:pk>/modifier/",
        needs_views.settings_subject_edit,
        name="settings_subject_edit",
    ),
    path(
        "parametrage/entreprises/sujets/<int:pk>/proposer/",
        needs_views.settings_subject_offer,
        name="settings_subject_offer",
    ),
]
