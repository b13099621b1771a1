from django.apps import AppConfig


class ClausesConfig(AppConfig):
    name = "tisserand.clauses"
    label = "clauses"
    verbose_name = "Clauses sociales"

    def ready(self):
        from tisserand.clauses import registrations

        registrations.register_all()
