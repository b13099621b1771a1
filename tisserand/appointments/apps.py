from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "tisserand.appointments"
    label = "appointments"
    verbose_name = "Rendez-vous"

    def ready(self):
        from tisserand.appointments import registrations

        registrations.register_all()
