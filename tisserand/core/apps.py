from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tisserand.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self):
        # Connects the removal of a deleted document's file.
        from tisserand.core import (
            documents,  # noqa: F401
            retention_rules,
        )

        retention_rules.register_all()
