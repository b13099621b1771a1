from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "tisserand.events"
    label = "events"
    verbose_name = "Événements"
