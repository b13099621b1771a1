"""What the appointments app adds to the navigation, the home page and the person page."""

from django.utils import timezone

from tisserand.appointments import panel, perms, services
from tisserand.appointments.agenda import DAY, Period
from tisserand.appointments.models import Appointment
from tisserand.core import home, navigation
from tisserand.people import panels
from tisserand.people.hooks import NEXT_APPOINTMENT, person_hooks


def _today_count(membership):
    today = Period.containing(DAY, timezone.localdate())
    count = (
        Appointment.objects.not_cancelled()
        .filter(counsellor_id=membership.user_id, structure_id=membership.structure_id)
        .between(today.starts_at, today.ends_at)
        .count()
    )
    return count, "rendez-vous aujourd'hui"


def register_all():
    navigation.register(
        navigation.NavEntry(
            "Agenda",
            "appointments:agenda",
            perms.shows_agenda_in_menu,
            order=30,
            prefix="/agenda/",
        )
    )
    home.register(
        home.HomeCard(
            "Mon agenda",
            "Vos rendez-vous du jour et de la semaine ; saisie des présences.",
            "Ouvrir mon agenda",
            "appointments:agenda",
            perms.shows_agenda_in_menu,
            order=21,
            figure=_today_count,
        )
    )
    panels.register(
        panels.PersonPanel(
            key="appointments",
            title="Rendez-vous",
            template_name="appointments/panel.html",
            context=panel.context,
            predicate=perms.can_view_appointments,
            order=60,
        )
    )
    person_hooks.provide(NEXT_APPOINTMENT, services.next_appointment_text)
