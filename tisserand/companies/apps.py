from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "tisserand.companies"
    label = "companies"
    verbose_name = "Entreprises"

    def ready(self):
        from tisserand.companies.registrations import register_all

        register_all()
