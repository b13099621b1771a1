from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "tisserand.companies"
    label = "companies"
    verbose_name = "Entreprises"

    def ready(self):
        from tisserand.companies import registrations

        registrations.register_all()
