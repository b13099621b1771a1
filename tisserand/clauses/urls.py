from django.urls import path

from tisserand.clauses import views

app_name = "clauses"

urlpatterns = [
    path("clauses/", views.home, name="home"),
    path("clauses/operations/nouvelle/", views.operation_create, name="operation_create"),
    path("clauses/operations/<uuid:public_id>/", views.operation_detail, name="operation"),
    path(
        "clauses/operations/<uuid:public_id>/modifier/",
        views.operation_edit,
        name="operation_edit",
    ),
    path(
        "clauses/operations/<uuid:public_id>/coefficients/",
        views.coefficient_set,
        name="coefficient_set",
    ),
    path(
        "clauses/operations/<uuid:public_id>/marches/nouveau/",
        views.contract_create,
        name="contract_create",
    ),
    path("clauses/operations/<uuid:public_id>/import-decp/", views.decp_import, name="decp_import"),
    path(
        "clauses/operations/<uuid:public_id>/bilan/",
        views.operation_report_page,
        name="operation_report_page",
    ),
    path(
        "clauses/operations/<uuid:public_id>/bilan.<str:fmt>",
        views.operation_report,
        name="operation_report",
    ),
    path("clauses/donneurs-d-ordre/nouveau/", views.buyer_create, name="buyer_create"),
    path("clauses/donneurs-d-ordre/<uuid:public_id>/", views.buyer_detail, name="buyer"),
    path(
        "clauses/donneurs-d-ordre/<uuid:public_id>/modifier/",
        views.buyer_edit,
        name="buyer_edit",
    ),
    path(
        "clauses/donneurs-d-ordre/<uuid:public_id>/bilan.<str:fmt>",
        views.buyer_report,
        name="buyer_report",
    ),
    path("clauses/representation/<uuid:public_id>/", views.buyer_portal, name="buyer_portal"),
    path(
        "clauses/donneurs-d-ordre/<uuid:public_id>/representants/",
        views.representative_add,
        name="representative_add",
    ),
    path("clauses/marches/<uuid:public_id>/", views.contract_detail, name="contract"),
    path("clauses/marches/<uuid:public_id>/modifier/", views.contract_edit, name="contract_edit"),
    path("clauses/marches/<uuid:public_id>/lots/nouveau/", views.lot_create, name="lot_create"),
    path(
        "clauses/marches/<uuid:public_id>/lots/heures/",
        views.lot_hours_preview,
        name="lot_hours_preview",
    ),
    path("clauses/lots/<uuid:public_id>/", views.lot_detail, name="lot"),
    path("clauses/lots/<uuid:public_id>/modifier/", views.lot_edit, name="lot_edit"),
    path("clauses/lots/<uuid:public_id>/proposer/", views.lot_propose, name="lot_propose"),
    path("clauses/lots/<uuid:public_id>/heures/", views.declare, name="declare"),
    path("clauses/lots/<uuid:public_id>/besoin/", views.lot_need, name="lot_need"),
    path("clauses/lots/<uuid:public_id>/valider/", views.lot_validate_all, name="lot_validate_all"),
    path("clauses/lots/<uuid:public_id>/attestation.pdf", views.certificate, name="certificate"),
    path("clauses/lots/<uuid:public_id>/import/", views.lot_import, name="lot_import"),
    path(
        "clauses/lots/<uuid:public_id>/modele.xlsx", views.import_template, name="import_template"
    ),
    path(
        "clauses/declarations/<uuid:public_id>/valider/",
        views.declaration_validate,
        name="declaration_validate",
    ),
    path(
        "clauses/declarations/<uuid:public_id>/rouvrir/",
        views.declaration_reopen,
        name="declaration_reopen",
    ),
    path("clauses/chiffres/", views.aggregates, name="aggregates"),
    path("clauses/export-national.xlsx", views.national_export, name="national_export"),
    path("clauses/criteres/", views.criteria, name="criteria"),
    path("clauses/criteres/<int:pk>/basculer/", views.criterion_toggle, name="criterion_toggle"),
    path("clauses/participants/", views.participants, name="participants"),
    path("clauses/participants/nouveau/", views.participant_create, name="participant_create"),
    path(
        "clauses/personnes/<uuid:person_id>/participant/",
        views.participant_from_person,
        name="participant_from_person",
    ),
    path("clauses/participants/<uuid:public_id>/", views.participant_detail, name="participant"),
    path(
        "clauses/participants/<uuid:public_id>/modifier/",
        views.participant_edit,
        name="participant_edit",
    ),
    path(
        "clauses/participants/<uuid:public_id>/criteres/",
        views.criterion_add,
        name="criterion_add",
    ),
    path("clauses/criteres/<int:pk>/retirer/", views.criterion_remove, name="criterion_remove"),
    path("clauses/participants/<uuid:public_id>/situation/", views.outcome, name="outcome"),
    path("clauses/portail/<uuid:public_id>/", views.portal_lots, name="portal_lots"),
    path(
        "clauses/portail/<uuid:public_id>/lots/<uuid:lot_id>/",
        views.portal_lot,
        name="portal_lot",
    ),
]
