from django.apps import AppConfig


class AccompanimentConfig(AppConfig):
    name = "tisserand.accompaniment"
    label = "accompaniment"
    verbose_name = "Accompagnement"

    def ready(self):
        from tisserand.accompaniment import registrations

        registrations.register_all()
