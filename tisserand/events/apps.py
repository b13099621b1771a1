"""Events: workshops, information sessions, HR club meetings, job datings and forums; sessions,
registrations, waiting list, attendance.
"""

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "tisserand.events"
    label = "events"
    verbose_name = "Événements"

    def ready(self):
        from tisserand.events.registrations import register_all

        register_all()
