from django.urls import path

from tisserand.opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("offres/", views.search_offers, name="search"),
    path("offres/recherches/enregistrer/", views.save_search, name="save_search"),
    path(
        "offres/recherches/<uuid:public_id>/supprimer/", views.delete_search, name="delete_search"
    ),
    path("offres/alertes/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("offres/nouvelle/", views.offer_create, name="create"),
    path("offres/depuis-besoin/<uuid:need_id>/", views.offer_from_need, name="from_need"),
    path("offres/imports/", views.imports, name="imports"),
    path("offres/imports/modele.<str:extension>", views.import_template, name="import_template"),
    path("offres/entreprises-qui-recrutent/", views.likely_to_hire, name="likely"),
    path(
        "offres/entreprises-qui-recrutent/<uuid:public_id>/retrait/",
        views.opt_out,
        name="opt_out",
    ),
    path("offres/personne/<uuid:public_id>/", views.person_matches, name="person_matches"),
    path("offres/<uuid:public_id>/", views.offer_detail, name="detail"),
    path("offres/<uuid:public_id>/modifier/", views.offer_edit, name="edit"),
    path("offres/<uuid:public_id>/cloturer/", views.offer_close, name="close"),
    path("offres/<uuid:public_id>/candidats/", views.offer_matches, name="offer_matches"),
    path("offres/<uuid:public_id>/proposer/<uuid:person_id>/", views.propose, name="propose"),
    path("mises-en-relation/", views.introductions, name="introductions"),
    path("mises-en-relation/<uuid:public_id>/", views.introduction_detail, name="introduction"),
    path(
        "mises-en-relation/<uuid:public_id>/etat/",
        views.introduction_advance,
        name="introduction_advance",
    ),
    path("mises-en-relation/reponse/<str:token>/", views.company_answer, name="company_answer"),
    path("portail/<uuid:public_id>/offres/", views.portal_offers, name="portal_offers"),
]
