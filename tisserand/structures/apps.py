from django.apps import AppConfig


class StructuresConfig(AppConfig):
    name = "tisserand.structures"
    label = "structures"
    verbose_name = "Structures"

    def ready(self):
        from tisserand.structures import registrations

        registrations.register_all()
