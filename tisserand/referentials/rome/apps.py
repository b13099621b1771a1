from django.apps import AppConfig


class RomeConfig(AppConfig):
    name = "tisserand.referentials.rome"
    label = "rome"
    verbose_name = "Métiers (ROME 4.0), NAF et marché du travail"

    def ready(self):
        from tisserand.referentials.rome import registrations

        registrations.register_all()
