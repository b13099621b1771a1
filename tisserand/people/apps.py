from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "tisserand.people"
    label = "people"
    verbose_name = "Personnes accompagnées"
