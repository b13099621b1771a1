from django.urls import path

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
