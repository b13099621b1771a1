from django.urls import path, re_path

from tisserand.referentials.rome import views

app_name = "rome"

urlpatterns = [
    path("metiers/", views.search_page, name="search"),
    re_path(r"^metiers/(?P<code>[A-N][0-9]{4})/$", views.fiche_detail, name="fiche"),
]
