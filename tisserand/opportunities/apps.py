from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "tisserand.opportunities"
    label = "opportunities"
    verbose_name = "Opportunités"
