from django.urls import path

from tisserand.appointments import views

app_name = "appointments"

urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/lien-prive/", views.feed_issue, name="feed_issue"),
    path("agenda/lien-prive/revoquer/", views.feed_revoke, name="feed_revoke"),
    path("agenda/flux/<slug:token>.ics", views.feed, name="feed"),
    path("agenda/equipe/<uuid:user_id>/", views.colleague_agenda, name="colleague_agenda"),
    path("agenda/equipe/<uuid:user_id>/rendez-vous/", views.book_in_agenda, name="book_in_agenda"),
    path("rendez-vous/personne/<uuid:person_id>/nouveau/", views.book, name="book"),
    path("rendez-vous/<uuid:public_id>/", views.detail, name="detail"),
    path("rendez-vous/<uuid:public_id>/modifier/", views.edit, name="edit"),
    path("rendez-vous/<uuid:public_id>/annuler/", views.cancel, name="cancel"),
    path("rendez-vous/<uuid:public_id>/presence/", views.attendance, name="attendance"),
    path("rendez-vous/<uuid:public_id>.ics", views.export, name="export"),
]
