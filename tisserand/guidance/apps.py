from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "tisserand.guidance"
    label = "guidance"
    verbose_name = "Orientation professionnelle"
