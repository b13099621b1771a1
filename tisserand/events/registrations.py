"""What the events app adds: the event record kind and its sections, navigation, home card,
leader-portal entry, merge hooks and demo seeder. (A person's registrations reach the person
page through the timeline, ``about=person``.)"""

from tisserand.companies import portal
from tisserand.core import demo, home, navigation, records
from tisserand.events import perms, sections
from tisserand.events.models import EventCandidate, Registration
from tisserand.people import merging


def _settle_registrations(survivor, duplicate):
    """A merge: the duplicate's registrations to sessions the survivor is in already go (a
    seat they held is freed)."""
    from django.db.models import F

    from tisserand.events.models import SEAT_STATUSES, Session

    taken = Registration.objects.filter(person=survivor).values("session_id")
    clashing = Registration.objects.filter(person=duplicate, session_id__in=taken)
    for row in clashing.filter(status__in=SEAT_STATUSES):
        Session.objects.filter(pk=row.session_id, seats_taken__gt=0).update(
            seats_taken=F("seats_taken") - 1
        )
    clashing.delete()


def _settle_candidates(survivor, duplicate):
    taken = EventCandidate.objects.filter(person=survivor).values("event_id")
    EventCandidate.objects.filter(person=duplicate, event_id__in=taken).delete()


def register_all():
    records.kinds.register(records.RecordKind("event", perms.may_view))
    for section in (
        records.Section(
            "event",
            "sessions",
            "Séances",
            "events/sections/sessions.html",
            lambda context: True,
            sections.sessions_context,
            order=10,
        ),
        records.Section(
            "event",
            "participants",
            "Participants",
            "events/sections/participants.html",
            sections.participants_visible,
            sections.participants_context,
            order=20,
        ),
        records.Section(
            "event",
            "satisfaction",
            "Satisfaction",
            "events/sections/satisfaction.html",
            sections.organiser_only,
            sections.satisfaction_context,
            order=40,
        ),
        records.Section(
            "event",
            "history",
            "Historique",
            "events/sections/history.html",
            sections.organiser_only,
            sections.timeline_context,
            order=90,
        ),
    ):
        records.register_section(section)
    navigation.register(
        navigation.NavEntry(
            "Événements", "events:agenda", perms.sees_events, order=40, prefix="/evenements/"
        )
    )
    home.register(
        home.HomeCard(
            "Événements",
            "Ateliers, réunions d'information, clubs RH, job datings : inscriptions et présences.",
            "Voir les événements",
            "events:agenda",
            perms.sees_events,
            order=40,
        )
    )
    portal.register(
        portal.PortalEntry(
            "events",
            "Réunions de mon club RH",
            "events:portal",
            "S'inscrire aux réunions des clubs RH de votre entreprise.",
            order=30,
        )
    )
    merging.register(merging.MergeHook(Registration, "person", _settle_registrations))
    merging.register(merging.MergeHook(EventCandidate, "person", _settle_candidates))
    demo.register(demo.Seeder("Événements (démonstration)", _seed, order=65))


def _seed(stdout):
    from tisserand.events.demo import seed

    seed(stdout)
