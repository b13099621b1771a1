from django.urls import include, path

urlpatterns = [
    path("", include("tisserand.core.urls")),
    path("compte/", include("tisserand.accounts.urls")),
    path("compte/", include("allauth.urls")),
    path("", include("tisserand.structures.urls")),
    path("", include("tisserand.referentials.geo.urls")),
    path("", include("tisserand.referentials.rome.urls")),
    path("", include("tisserand.referentials.trainings.urls")),
    path("", include("tisserand.referentials.vocabularies.urls")),
    path("", include("tisserand.people.urls")),
    path("", include("tisserand.companies.urls")),
    path("", include("tisserand.accompaniment.urls")),
    path("", include("tisserand.appointments.urls")),
    path("", include("tisserand.guidance.urls")),
    path("", include("tisserand.events.urls")),
    path("", include("tisserand.opportunities.urls")),
    path("", include("tisserand.clauses.urls")),
    path("", include("tisserand.referrals.urls")),
    path("", include("tisserand.reporting.urls")),
]

handler403 = "tisserand.core.views.permission_denied"
handler404 = "tisserand.core.views.page_not_found"
handler500 = "tisserand.core.views.server_error"
