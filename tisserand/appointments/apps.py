from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "tisserand.appointments"
    label = "appointments"
    verbose_name = "Rendez-vous"
