from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tisserand.core"
    label = "core"
    verbose_name = "Socle"
