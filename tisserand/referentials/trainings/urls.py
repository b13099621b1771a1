from django.urls import path

from tisserand.referentials.trainings import views

app_name = "trainings"

urlpatterns = [
    path("formations/", views.search, name="search"),
    path("formations/<uuid:public_id>/", views.detail, name="detail"),
]
