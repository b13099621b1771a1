"""Demo events: a season in Roubaix — CV and digital workshops, information sessions, two HR
club meetings (linked to the demo HR clubs when the companies seeder made them), one job
dating with companies and candidates — with invitations, registrations, a waiting list and
the attendance of the sessions already held.

Seeded after the persons and their follow-up (accompaniment 50) and the companies (40–46).
Rows are written directly (no message is sent to fictitious persons); each session's
``seats_taken`` is the count of its seat-holding registrations, as the services keep it.
Running it again changes nothing.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from tisserand.companies.models import Contact, Establishment, HrClub
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent
from tisserand.events import links
from tisserand.events.models import (
    SEAT_STATUSES,
    Audience,
    Event,
    EventCandidate,
    EventCompany,
    InterviewSlot,
    ProgrammeBranding,
    Registration,
    Session,
    Status,
    Visibility,
)
from tisserand.people.models import CARING_ROLES, FollowUpMember
from tisserand.referentials.geo.models import Commune
from tisserand.structures.models import Membership, Structure, StructureKind
from tisserand.structures.roles import Capability, roles_with

SEED = 2026
PLACES = [
    ("Maison de l'Emploi, 12 rue du Grand Chemin", "59512", "Salle Jean Prouvost"),
    ("Médiathèque La Grand-Plage, 2 rue Pierre Motte", "59512", "Salle d'animation"),
    ("Centre social Basse Masure, 129 rue Jules Guesde", "59512", "Salle polyvalente"),
    ("Mairie de Lys-lez-Lannoy, 1 place de la République", "59367", "Salle du conseil"),
]
# (type, title, audience, visibility, day offset from today, hour, duration h, capacity)
SEASON = [
    ("workshop", "Atelier CV et lettre de motivation", "residents", "public", -35, 9, 3, 10),
    ("workshop", "Atelier numérique : créer son espace France Travail", "residents", "network",
     -21, 14, 2, 8),
    ("information_session", "Réunion d'information : formation aide-soignant", "residents",
     "network", -14, 10, 2, 20),
    ("workshop", "Atelier CV et lettre de motivation", "residents", "public", -7, 9, 3, 10),
    ("workshop", "Atelier : réussir son entretien d'embauche", "residents", "public", 6, 9, 3, 8),
    ("information_session", "Information collective : les métiers de la logistique",
     "residents", "network", 9, 14, 2, 25),
    ("workshop", "Atelier numérique : candidater en ligne", "residents", "public", 13, 14, 2, 8),
    ("training_info", "Information : titre professionnel agent de propreté", "residents",
     "network", 20, 10, 2, 15),
    ("workshop", "Atelier CV et lettre de motivation", "residents", "public", 27, 9, 3, 10),
]  # fmt: skip
HR_CLUB_MEETINGS = [
    ("Club RH : fidéliser ses salariés", -10, 8, 2),
    ("Club RH : recruter sans discriminer", 17, 8, 2),
]
ESF_MENTIONS = (
    "Cette action est cofinancée par l'Union européenne dans le cadre du programme FSE+ "
    "Hauts-de-France 2021-2027 et par la Métropole Européenne de Lille."
)


def seed(stdout):
    if Event.objects.filter(structure__is_demo=True).exists():
        stdout.write("  Événements de démonstration déjà présents.")
        return
    house = Structure.objects.filter(is_demo=True, kind=StructureKind.MAISON_EMPLOI).first()
    if house is None:
        stdout.write("  Aucune structure de démonstration : pas d'événements.")
        return
    with transaction.atomic():
        counts = Season(random.Random(SEED), house).seed()
    stdout.write(
        f"  {counts['events']} événements fictifs, {counts['registrations']} inscriptions "
        f"(dont {counts['waiting']} en liste d'attente)."
    )


class Season:
    def __init__(self, rng, house):
        self.rng, self.house = rng, house
        self.now = timezone.now()
        self.today = timezone.localdate()
        organisers = Membership.objects.filter(
            structure=house, is_active=True, role__in=roles_with(Capability.ORGANISE_EVENTS)
        ).select_related("user")
        self.organiser = organisers.order_by("role", "pk").first()
        self.communes = {c.insee_code: c for c in Commune.objects.filter(
            insee_code__in=[insee for _, insee, _ in PLACES]
        )}  # fmt: skip
        # The demo persons and who follows them (registered by their référent's structure).
        seats = FollowUpMember.objects.filter(
            person__is_demo=True, is_active=True, role__in=CARING_ROLES
        ).select_related("person")
        self.followed = {}
        for seat in seats.order_by("person_id", "pk"):
            self.followed.setdefault(seat.person_id, seat)
        self.counts = {"events": 0, "registrations": 0, "waiting": 0}

    def seed(self):
        ProgrammeBranding.objects.get_or_create(
            programme_code="reinforced",
            defaults={"label": "Accompagnement renforcé (PLIE)", "mentions": ESF_MENTIONS},
        )
        people = list(self.followed.values())
        self.rng.shuffle(people)
        for index, (kind, title, audience, visibility, offset, hour, hours, capacity) in enumerate(
            SEASON
        ):
            event, session = self._event(
                kind, title, audience, visibility, offset, hour, hours, capacity, index
            )
            wanted = (
                capacity + 3
                if offset > 0 and index == 4
                else self.rng.randint(capacity // 2, capacity)
            )
            first = (index * 7) % len(people) if people else 0
            chosen = (people[first:] + people[:first])[:wanted]
            invite = kind in ("information_session", "training_info") and offset > 0
            self._register(session, chosen, invite=invite)
        self._hr_clubs()
        self._job_dating(people)
        return self.counts

    def _at(self, offset, hour):
        day = self.today + timedelta(days=offset)
        while day.weekday() >= 5:  # weekdays only
            day += timedelta(days=1)
        return timezone.make_aware(datetime.combine(day, time(hour)))

    def _event(self, kind, title, audience, visibility, offset, hour, hours, capacity, index=0):
        address, insee, room = PLACES[index % len(PLACES)]
        commune = self.communes.get(insee)
        start = self._at(offset, hour)
        event = Event.objects.create(
            event_type=kind,
            title=title,
            description="Événement fictif de démonstration.",
            audience=audience,
            structure=self.house,
            address_line=address,
            commune=commune,
            latitude=commune.latitude if commune else None,
            longitude=commune.longitude if commune else None,
            visibility=visibility,
            programme_code="reinforced" if audience == Audience.RESIDENTS else "",
            registration_deadline=start - timedelta(days=1),
            created_by=self.organiser.user if self.organiser else None,
            created_at=min(self.now, start - timedelta(days=20)),
            starts_at=start,
        )
        session = Session.objects.create(
            event=event,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            room=room,
            capacity=capacity,
        )
        timeline.record_creation(
            event,
            actor=self.organiser.user if self.organiser else None,
            structure=self.house,
            summary=f"Événement créé : {event} (démonstration)",
        )
        self.counts["events"] += 1
        return event, session

    def _register(self, session, seats, *, invite=False):
        past = session.starts_at < self.now
        rows, taken = [], 0
        for position, seat in enumerate(seats):
            registration = Registration(
                session=session,
                person=seat.person,
                registered_by_id=seat.user_id,
                registered_by_structure_id=seat.structure_id,
                created_at=session.starts_at - timedelta(days=15 - position % 10),
            )
            if invite:
                registration.status = self.rng.choice(
                    [Status.INVITED, Status.INVITED, Status.REGISTERED, Status.DECLINED]
                )
            elif taken < session.capacity:
                registration.status = Status.REGISTERED
            else:
                registration.status = Status.WAITING
                registration.waiting_since = registration.created_at
                self.counts["waiting"] += 1
            if past and registration.status == Status.REGISTERED:
                registration.status = self.rng.choices(
                    [Status.PRESENT, Status.EXCUSED, Status.ABSENT], weights=[7, 1, 2]
                )[0]
                registration.attendance_recorded_at = session.ends_at
            if registration.status in SEAT_STATUSES:
                if taken >= session.capacity:
                    continue
                taken += 1
            rows.append(registration)
        Registration.objects.bulk_create(rows)
        for registration in rows:
            registration.token_digest = links.digest(links.token_for(registration))
        Registration.objects.bulk_update(rows, ["token_digest"])
        Session.objects.filter(pk=session.pk).update(seats_taken=taken)
        self.counts["registrations"] += len(rows)
        timeline.bulk_record(
            [
                (
                    TimelineEvent(
                        subject_type=_event_type(),
                        subject_id=str(session.event_id),
                        verb=TimelineEvent.Verb.STATUS_CHANGED
                        if past
                        else TimelineEvent.Verb.ACTION,
                        summary=(
                            f"Présence à « {session.event} » ({session.label()}) : "
                            f"{registration.get_status_display().lower()}"
                            if past and registration.status in SEAT_STATUSES
                            else f"{registration.get_status_display()} : {session.event}, "
                            f"séance du {session.label()}"
                        ),
                        occurred_at=min(self.now, session.ends_at)
                        if past
                        else registration.created_at,
                        actor_structure_id=registration.registered_by_structure_id,
                    ),
                    registration.person,
                )
                for registration in rows
            ]
        )

    def _hr_clubs(self):
        clubs = list(HrClub.objects.filter(is_active=True).order_by("pk")[:2])
        for n, (title, offset, hour, hours) in enumerate(HR_CLUB_MEETINGS):
            event, session = self._event(
                "hr_club", title, Audience.LEADERS, Visibility.NETWORK, offset, hour, hours, 20
            )
            if n < len(clubs):
                Event.objects.filter(pk=event.pk).update(hr_club=clubs[n], title=(
                    f"{clubs[n].name} : {title.split(' : ', 1)[1]}"
                ))  # fmt: skip
                contacts = Contact.objects.filter(
                    is_active=True,
                    establishment__club_memberships__club=clubs[n],
                    establishment__club_memberships__left_on__isnull=True,
                ).order_by("pk")[:12]
                past = session.starts_at < self.now
                rows = [
                    Registration(
                        session=session,
                        contact=contact,
                        status=(
                            self.rng.choice([Status.PRESENT, Status.PRESENT, Status.EXCUSED])
                            if past
                            else Status.REGISTERED
                        ),
                        attendance_recorded_at=session.ends_at if past else None,
                        registered_by_structure=self.house,
                    )
                    for contact in contacts
                ]
                Registration.objects.bulk_create(rows)
                for registration in rows:
                    registration.token_digest = links.digest(links.token_for(registration))
                Registration.objects.bulk_update(rows, ["token_digest"])
                Session.objects.filter(pk=session.pk).update(seats_taken=len(rows))
                self.counts["registrations"] += len(rows)

    def _job_dating(self, people):
        event, session = self._event(
            "job_dating",
            "Job dating des métiers du commerce et de la logistique",
            Audience.RESIDENTS,
            Visibility.NETWORK,
            11,
            9,
            3,
            40,
            index=0,
        )
        Event.objects.filter(pk=event.pk).update(slot_minutes=20)
        event.slot_minutes = 20
        establishments = list(Establishment.objects.order_by("pk")[:4])
        candidates = []
        for seat in people[:10]:
            candidates.append(
                EventCandidate.objects.create(
                    event=event,
                    person=seat.person,
                    proposed_by_id=seat.user_id,
                    structure_id=seat.structure_id,
                )
            )
        step = timedelta(minutes=20)
        needs = ["Préparateurs de commandes (CDI)", "Caristes", "Employés de rayon", "Caissiers"]
        for n, establishment in enumerate(establishments):
            company = EventCompany.objects.create(
                event=event, establishment=establishment, needs=needs[n % len(needs)]
            )
            slots, start = [], session.starts_at
            while start + step <= session.ends_at:
                slots.append(InterviewSlot(company=company, starts_at=start, ends_at=start + step))
                start += step
            if len(candidates) >= len(establishments):
                for k, slot in enumerate(slots[: len(candidates)]):
                    # A rotation: candidate k + n at slot k, never two places at one time.
                    slot.candidate = candidates[(k + n) % len(candidates)]
            InterviewSlot.objects.bulk_create(slots)


def _event_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Event)
