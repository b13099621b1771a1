from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "tisserand.reporting"
    label = "reporting"
    verbose_name = "Pilotage"
