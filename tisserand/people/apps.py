from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "tisserand.people"
    label = "people"
    verbose_name = "Personnes accompagnées"

    def ready(self):
        from tisserand.people import registrations

        registrations.register_all()
