from django.urls import path

from tisserand.companies import clubs_views, gpec_views, journal_views, needs_views, portal_views
from tisserand.companies.views import imports, records

app_name = "companies"

urlpatterns = [
    # The company record (companies-core).
    path("entreprises/", records.company_list, name="list"),
    path("entreprises/nouvelle/", records.company_create, name="create"),
    path("entreprises/en-chiffres/", records.company_counts, name="counts"),
    path("entreprises/importer/", imports.company_import, name="import"),
    path("entreprises/importer/modele/", imports.import_template, name="import_template"),
    path("entreprises/<uuid:public_id>/", records.company_detail, name="detail"),
    path("entreprises/<uuid:public_id>/modifier/", records.company_edit, name="edit"),
    path("entreprises/<uuid:public_id>/etiquettes/", records.company_tags, name="tags"),
    path(
        "entreprises/<uuid:public_id>/charge-de-relation/", records.company_officer, name="officer"
    ),
    path(
        "entreprises/<uuid:public_id>/contacts/nouveau/",
        records.contact_create,
        name="contact_create",
    ),
    path(
        "entreprises/<uuid:public_id>/contacts/<uuid:contact_id>/",
        records.contact_edit,
        name="contact_edit",
    ),
    path(
        "entreprises/<uuid:public_id>/contacts/<uuid:contact_id>/desactiver/",
        records.contact_deactivate,
        name="contact_deactivate",
    ),
]

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

# --- HR clubs, GPEC toolkit, leader portal (companies-portal) --------------------------------
_GPEC_PATHS = {
    "home": "",
    "retirement": "age-de-depart/",
    "positions": "postes/",
    "position": "postes/<uuid:position_id>/",
    "position_remove": "postes/<uuid:position_id>/supprimer/",
    "position_skill_remove": "postes/<uuid:position_id>/competences/<int:link_id>/retirer/",
    "employees": "salaries/",
    "employee": "salaries/<uuid:employee_id>/",
    "employee_remove": "salaries/<uuid:employee_id>/retirer/",
    "matrix": "matrice/",
    "pdf": "synthese.pdf",
    "xlsx": "matrice.xlsx",
}


def _gpec_patterns(root, side, views):
    return [
        path(f"{root}{suffix}", views[page], name=side.name(page).split(":", 1)[1])
        for page, suffix in _GPEC_PATHS.items()
    ]


urlpatterns += [
    path("entreprises/clubs-rh/", clubs_views.club_list, name="clubs"),
    path("entreprises/clubs-rh/nouveau/", clubs_views.club_create, name="club_create"),
    path("entreprises/clubs-rh/<uuid:public_id>/", clubs_views.club_detail, name="club_detail"),
    path(
        "entreprises/clubs-rh/<uuid:public_id>/modifier/", clubs_views.club_edit, name="club_edit"
    ),
    path(
        "entreprises/clubs-rh/<uuid:public_id>/membres/ajouter/",
        clubs_views.club_member_add,
        name="club_member_add",
    ),
    path(
        "entreprises/clubs-rh/<uuid:public_id>/membres/<int:member_id>/depart/",
        clubs_views.club_member_leave,
        name="club_member_leave",
    ),
    path(
        "entreprises/clubs-rh/<uuid:public_id>/membres/<int:member_id>/participants/",
        clubs_views.club_attendee_add,
        name="club_attendee_add",
    ),
    path(
        "entreprises/clubs-rh/<uuid:public_id>/seances/ajouter/",
        clubs_views.club_session_add,
        name="club_session_add",
    ),
    path(
        "entreprises/clubs-rh/<uuid:public_id>/ressources/ajouter/",
        clubs_views.club_resource_add,
        name="club_resource_add",
    ),
    path(
        "entreprises/clubs-rh/seances/<uuid:public_id>/",
        clubs_views.club_session,
        name="club_session",
    ),
    path(
        "entreprises/clubs-rh/seances/<uuid:public_id>/presences/",
        clubs_views.club_attendance,
        name="club_attendance",
    ),
    *_gpec_patterns(
        "entreprises/<uuid:public_id>/gpec/", gpec_views.OFFICER, gpec_views.officer_views
    ),
    path("entreprises/<uuid:public_id>/dirigeants/", portal_views.leaders, name="leaders"),
    path(
        "entreprises/<uuid:public_id>/dirigeants/<uuid:account_id>/desactiver/",
        portal_views.leader_deactivate,
        name="leader_deactivate",
    ),
    path(
        "entreprises/<uuid:public_id>/dirigeants/invitations/<uuid:invitation_id>/annuler/",
        portal_views.leader_invitation_revoke,
        name="leader_invitation_revoke",
    ),
    path("portail/", portal_views.portal_home, name="portal"),
    path("portail/invitation/<str:token>/", portal_views.portal_accept, name="portal_accept"),
    path("portail/<uuid:public_id>/", portal_views.portal_company, name="portal_company"),
    path("portail/<uuid:public_id>/besoins/", portal_views.portal_needs, name="portal_needs"),
    path(
        "portail/<uuid:public_id>/besoins/<uuid:need_id>/",
        portal_views.portal_need,
        name="portal_need",
    ),
    path("portail/<uuid:public_id>/clubs-rh/", portal_views.portal_clubs, name="portal_clubs"),
    path(
        "portail/<uuid:public_id>/clubs-rh/seances/<uuid:session_id>/inscrire/",
        portal_views.portal_session_register,
        name="portal_session_register",
    ),
    path(
        "portail/<uuid:public_id>/clubs-rh/seances/<uuid:session_id>/desinscrire/",
        portal_views.portal_session_unregister,
        name="portal_session_unregister",
    ),
    path(
        "portail/<uuid:public_id>/choix/metier/", portal_views.portal_picker, name="portal_picker"
    ),
    *_gpec_patterns("portail/<uuid:public_id>/gpec/", gpec_views.PORTAL, gpec_views.portal_views),
]
