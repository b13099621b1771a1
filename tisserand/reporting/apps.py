from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "tisserand.reporting"
    label = "reporting"
    verbose_name = "Pilotage"

    def ready(self):
        from tisserand.reporting import registrations

        registrations.register_all()
