from django.urls import path

from tisserand.referentials.vocabularies import views

app_name = "vocabularies"

urlpatterns = [
    path("vocabulaires/", views.vocabulary_list, name="list"),
]
