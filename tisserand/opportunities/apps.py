from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "tisserand.opportunities"
    label = "opportunities"
    verbose_name = "Opportunités"

    def ready(self):
        from tisserand.opportunities import registrations

        registrations.register_all()
