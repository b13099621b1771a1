from django.urls import path

from tisserand.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("choix/<slug:name>/", views.picker_options, name="picker"),
    path("pieces/<uuid:public_id>/", views.document_open, name="document"),
    path("pages/accessibilite/", views.accessibility, name="accessibility"),
    path("pages/mentions-legales/", views.legal, name="legal"),
    path("pages/donnees-personnelles/", views.privacy, name="privacy"),
]
