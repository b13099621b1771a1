from django.urls import path

from tisserand.events import views

app_name = "events"

urlpatterns = [
    path("evenements/", views.agenda, name="agenda"),
    path("evenements/nouveau/", views.create, name="create"),
    path("evenements/satisfaction/", views.satisfaction, name="satisfaction"),
    path("evenements/lien-prive/", views.feed_issue, name="feed_issue"),
    path("evenements/flux/<slug:token>.ics", views.feed, name="feed"),
    path("evenements/<uuid:public_id>/", views.detail, name="detail"),
    path("evenements/<uuid:public_id>/modifier/", views.edit, name="edit"),
    path("evenements/<uuid:public_id>/annuler/", views.cancel, name="cancel"),
    path("evenements/<uuid:public_id>/seances/nouvelle/", views.session_add, name="session_add"),
    path("evenements/<uuid:public_id>/inscrire/", views.register_persons, name="register"),
    path("evenements/<uuid:public_id>/relancer/", views.remind, name="remind"),
    path(
        "evenements/<uuid:public_id>/questionnaire/",
        views.ask_satisfaction,
        name="ask_satisfaction",
    ),
    path("evenements/<uuid:public_id>/contacts/", views.register_contacts, name="contacts"),
    path("evenements/<uuid:public_id>/participants.xlsx", views.export, name="export"),
    path("evenements/<uuid:public_id>/entreprises/", views.companies, name="companies"),
    path(
        "evenements/<uuid:public_id>/entreprises/ajouter/",
        views.company_add,
        name="company_add",
    ),
    path("evenements/<uuid:public_id>/candidats/", views.propose, name="propose"),
    path("evenements/seances/<uuid:public_id>/modifier/", views.session_edit, name="session_edit"),
    path("evenements/seances/<uuid:public_id>/presences/", views.attendance, name="attendance"),
    path(
        "evenements/seances/<uuid:public_id>/emargement.pdf",
        views.sign_in_sheet,
        name="sign_in_sheet",
    ),
    path(
        "evenements/inscriptions/<uuid:public_id>/annuler/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("evenements/creneaux/<int:pk>/", views.slot, name="slot"),
    path("evenements/creneaux/<int:pk>/resultat/", views.slot_outcome, name="slot_outcome"),
    path("parametrage/evenements/messages/", views.message_templates, name="message_templates"),
    path("parametrage/evenements/programmes/", views.brandings, name="brandings"),
    # Public pages: no account.
    path("evenements-publics/", views.public_list, name="public_list"),
    path("evenements-publics/<uuid:public_id>/", views.public_detail, name="public_detail"),
    path("mon-inscription/<slug:token>/", views.personal, name="personal"),
    path("mon-inscription/<slug:token>/agenda.ics", views.personal_ics, name="personal_ics"),
    path(
        "mon-inscription/<slug:token>/avis/",
        views.personal_satisfaction,
        name="personal_satisfaction",
    ),
    # The leader portal.
    path("portail/<uuid:public_id>/evenements/", views.portal_events, name="portal"),
]
