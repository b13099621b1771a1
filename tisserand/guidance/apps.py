from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "tisserand.guidance"
    label = "guidance"
    verbose_name = "Orientation professionnelle"

    def ready(self):
        from tisserand.guidance import registrations

        registrations.register_all()
