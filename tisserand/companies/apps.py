from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "tisserand.companies"
    label = "companies"
    verbose_name = "Entreprises"
