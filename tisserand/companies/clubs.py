"""HR clubs under the services contract (``data=``, ``actor=``): the club, its member
companies and their attendees, its dated sessions with registrations and attendance, and the
resources it shares (documents visible to its members and to officers only).

Rules held here: only a contact of an active member company registers to a session, once (a
unique constraint too), before the session's day and within its places; attendance is marked
present, absent or left unknown (never « absent » by default).
"""

from django.db import transaction
from django.utils import timezone

from tisserand.companies.models import (
    HrClub,
    HrClubAttendee,
    HrClubMember,
    HrClubRegistration,
    HrClubResource,
    HrClubSession,
)
from tisserand.core import documents, timeline
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent

CLUB_FIELDS = ("name", "theme", "animator", "is_active")
SESSION_FIELDS = ("date", "title", "place", "capacity")


class ClubError(DomainError):
    code = "club_refused"


def _context(actor):
    return {"actor": actor.user, "structure": actor.structure}


@transaction.atomic
def create_club(*, data, actor):
    if actor.structure is None:
        raise ClubError("Un club RH est animé par une structure : agissez pour la vôtre.")
    club = HrClub(structure=actor.structure)
    timeline.assign(club, {key: data[key] for key in CLUB_FIELDS if key in data})
    club.save()
    if "communes" in data:
        club.communes.set(data["communes"])
    timeline.record_creation(club, **_context(actor))
    return club


@transaction.atomic
def update_club(club, *, data, actor):
    before = timeline.stored_snapshot(club, CLUB_FIELDS)
    timeline.assign(club, {key: data[key] for key in CLUB_FIELDS if key in data})
    club.save()
    if "communes" in data:
        club.communes.set(data["communes"])
    timeline.record_changes(club, before, **_context(actor))
    return club


def active_member(club, establishment):
    return HrClubMember.objects.filter(
        club=club, establishment=establishment, left_on__isnull=True
    ).first()


@transaction.atomic
def add_member(club, *, data, actor):
    establishment = data["establishment"]
    joined_on = data.get("joined_on") or timezone.localdate()
    member = HrClubMember.objects.filter(club=club, establishment=establishment).first()
    if member is not None and member.left_on is None:
        raise ClubError(f"{establishment} est déjà membre du club.")
    if member is not None:
        member.joined_on, member.left_on = joined_on, None
        member.save(update_fields=["joined_on", "left_on"])
    else:
        member = HrClubMember.objects.create(
            club=club, establishment=establishment, joined_on=joined_on
        )
    timeline.record(
        club,
        TimelineEvent.Verb.ACTION,
        f"{establishment} rejoint le club « {club} »",
        about=establishment,
        **_context(actor),
    )
    return member


@transaction.atomic
def member_leaves(member, *, data, actor):
    left_on = data.get("left_on") or timezone.localdate()
    if member.left_on is not None:
        raise ClubError("Cette entreprise a déjà quitté le club.")
    if left_on < member.joined_on:
        raise ClubError("La date de départ précède l'adhésion.")
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    timeline.record(
        member.club,
        TimelineEvent.Verb.ACTION,
        f"{member.establishment} quitte le club « {member.club} »",
        about=member.establishment,
        **_context(actor),
    )
    return member


@transaction.atomic
def add_attendee(member, *, data, actor):
    contact = data["contact"]
    if contact.establishment_id != member.establishment_id:
        raise ClubError("Ce contact n'appartient pas à cette entreprise.")
    if HrClubAttendee.objects.filter(member=member, contact=contact).exists():
        raise ClubError(f"{contact} participe déjà au club.")
    return HrClubAttendee.objects.create(member=member, contact=contact)


@transaction.atomic
def add_session(club, *, data, actor):
    session = HrClubSession(club=club)
    timeline.assign(session, {key: data[key] for key in SESSION_FIELDS if key in data})
    if not (session.title or "").strip():
        raise ClubError("Donnez un intitulé à la séance.")
    if session.capacity is not None and session.capacity < 1:
        raise ClubError("Une séance a au moins une place.")
    session.save()
    timeline.record(
        club,
        TimelineEvent.Verb.ACTION,
        f"Séance programmée : {session}",
        **_context(actor),
    )
    return session


@transaction.atomic
def register(session, *, data, actor):
    """Registers ``data["contact"]`` to ``session``: a contact of an active member company, once,
    before the session's day, within its places (the session's row is locked while counting)."""
    contact = data["contact"]
    session = HrClubSession.objects.select_for_update().select_related("club").get(pk=session.pk)
    if session.date < timezone.localdate():
        raise ClubError("Cette séance est passée : les inscriptions sont closes.")
    if active_member(session.club, contact.establishment) is None:
        raise ClubError("Seuls les contacts des entreprises membres du club s'inscrivent.")
    if not contact.is_active:
        raise ClubError("Ce contact n'est plus actif.")
    if HrClubRegistration.objects.filter(session=session, contact=contact).exists():
        raise ClubError(f"{contact} est déjà inscrit·e à cette séance.")
    if session.capacity is not None and session.registrations.count() >= session.capacity:
        raise ClubError("Cette séance est complète.")
    registration = HrClubRegistration.objects.create(
        session=session, contact=contact, registered_by=actor.user
    )
    timeline.record(
        session.club,
        TimelineEvent.Verb.ACTION,
        f"{contact} inscrit·e à la séance {session}",
        about=contact.establishment,
        **_context(actor),
    )
    return registration


@transaction.atomic
def unregister(registration, *, actor):
    session = registration.session
    if session.date < timezone.localdate():
        raise ClubError("Cette séance est passée : l'inscription reste dans l'historique.")
    contact = registration.contact
    registration.delete()
    timeline.record(
        session.club,
        TimelineEvent.Verb.ACTION,
        f"{contact} désinscrit·e de la séance {session}",
        about=contact.establishment,
        **_context(actor),
    )


ATTENDANCE_VALUES = {"present": True, "absent": False, "": None}


@transaction.atomic
def mark_attendance(session, *, data, actor):
    """``data``: {registration pk: True, False or None (unknown)}."""
    registrations = {row.pk: row for row in session.registrations.all()}
    changed = 0
    for pk, attended in data.items():
        row = registrations.get(pk)
        if row is None:
            raise ClubError("Cette inscription n'appartient pas à cette séance.")
        if attended not in (True, False, None):
            raise ClubError("Une présence est « présent·e », « absent·e » ou non renseignée.")
        if row.attended is not attended:
            row.attended = attended
            row.save(update_fields=["attended"])
            changed += 1
    if changed:
        timeline.record(
            session.club,
            TimelineEvent.Verb.ACTION,
            f"Présences de la séance {session} mises à jour",
            **_context(actor),
        )
    return changed


@transaction.atomic
def add_resource(club, *, data, actor):
    title = " ".join((data.get("title") or "").split())
    if not title:
        raise ClubError("Donnez un titre à la ressource.")
    resource = HrClubResource.objects.create(club=club, title=title[:200], uploaded_by=actor.user)
    documents.attach(resource, data["file"], actor=actor, label=title)
    timeline.record(
        club,
        TimelineEvent.Verb.ACTION,
        f"Ressource partagée : « {title} »",
        **_context(actor),
    )
    return resource
