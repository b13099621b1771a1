from django.urls import path

from tisserand.referentials.geo import views

app_name = "geo"

urlpatterns = [
    path("communes/", views.commune_search, name="search"),
    path("communes/<str:insee_code>/", views.commune_detail, name="commune"),
]
