"""What the appointments app adds to the navigation, the home page and the person page, the
people hooks it provides (last contact with a person, the next appointment, appointments to
come and their cancellation) and its merge hook."""

from django.utils import timezone

from tisserand.appointments import panel, perms, services
from tisserand.appointments import retention as appointments_retention
from tisserand.appointments.agenda import DAY, Period
from tisserand.appointments.models import Appointment
from tisserand.core import demo, home, navigation, records
from tisserand.people import consent_scopes, merging
from tisserand.people import hooks as people_hooks
from tisserand.people.models import ConsentScope


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
    appointments_retention.register_all()
    # A partner sees the appointments under this consent scope.
    consent_scopes.register_honoured(ConsentScope.APPOINTMENTS)
    people_hooks.hooks.provide(people_hooks.LAST_CONTACT_SUBQUERY, services.last_contact_subquery)
    people_hooks.hooks.provide(people_hooks.FUTURE_APPOINTMENTS, services.future_appointments)
    people_hooks.hooks.provide(people_hooks.CANCEL_APPOINTMENTS, services.cancel_appointments)
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
            order=22,
            figure=_today_count,
        )
    )
    records.register_section(
        records.Section(
            kind="person",
            key="appointments",
            title="Rendez-vous",
            template_name="appointments/panel.html",
            predicate=panel.visible,
            context=panel.context,
            order=60,
        )
    )
    people_hooks.hooks.provide(people_hooks.NEXT_APPOINTMENT, services.next_appointment_text)
    merging.register(merging.MergeHook(Appointment, "person"))
    # After the accompaniments (50), whose follow-up periods it plans from.
    demo.register(demo.Seeder("Rendez-vous (démonstration)", _seed, order=55))


def _seed(stdout):
    from tisserand.appointments.demo import seed

    seed(stdout)
