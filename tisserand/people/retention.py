"""Retention of the persons' records: anonymised 24 months after the last contact.

A person is *inactive* when nothing blocks the rule: no consent in force, no legal hold, and no
blocker a service registers in ``blockers`` (an open accompaniment, an appointment to come…).
The *last contact* is the latest event of the person's timeline (every service writes one for
what it does with the person: an appointment, an attendance, an accompaniment's exit…), or the
record's creation. The référent is told 30 days ahead; the day after the 24 months, the record
is anonymised:

- identity, contact, address and free-text fields are blanked, the birth date reduced to the
  1st of January of its year; the de-identified facts figures count are kept (gender, birth
  year, commune, QPV status and its history, situation, dates, public statuses), so the
  reporting figures, among them the ESF+ ones (their age band and characteristics are copied
  at entry in ``EsfRecord``), stay what they were;
- notes are deleted, and every supporting document of the record (files deleted from storage);
- the history of field changes is emptied, and the access log names « Personne anonymisée »;
- each service erases its own free text about the person (``erasers``).

The row itself is kept (services' rows hang on it, and ESF+ audit requires the operation data
until the programme's retention period ends).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db.models import (
    CharField,
    DateField,
    DateTimeField,
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce, Greatest, TruncYear
from django.template.loader import render_to_string
from django.utils import timezone

from tisserand.core import retention
from tisserand.core.models import Document, RecordAccess, TimelineEvent, TimelineMention
from tisserand.core.registry import Registry
from tisserand.people import hooks as people_hooks
from tisserand.people import perms
from tisserand.people.models import (
    Consent,
    FollowUpMember,
    FollowUpRole,
    Note,
    Person,
    PublicStatus,
    QpvAttestation,
)
from tisserand.people.text import name_key

RULE_KEY = "people.inactive_persons"
LIMIT_MONTHS = 24
NOTICE_DAYS = 30
ANONYMOUS_NAME = "Anonyme"
ANONYMOUS_LABEL = "Personne anonymisée"


@dataclass(frozen=True)
class Blocker:
    """What a service knows that keeps a person's record from the rule (an open path…)."""

    key: str
    # blocked(persons) -> the persons of that queryset the service keeps (a queryset of pks).
    blocked: Callable[[QuerySet], QuerySet]
    label: str = ""


@dataclass(frozen=True)
class Eraser:
    """What a service erases of its own about anonymised persons (free text, documents)."""

    key: str
    # erase(person_ids) -> None
    erase: Callable[[list[int]], None]


blockers: Registry[Blocker] = Registry("Ce qui garde un dossier de personne")
erasers: Registry[Eraser] = Registry("Ce que l'anonymisation d'une personne efface")


def with_last_contact(persons):
    """``persons`` annotated with ``last_contact``: the latest of their timeline mentions,
    their last attended appointment (a people hook) and their record's creation."""
    latest = (
        TimelineMention.objects.filter(
            content_type=ContentType.objects.get_for_model(Person),
            object_id=Cast(OuterRef("pk"), output_field=CharField(max_length=64)),
        )
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    return persons.annotate(
        last_contact=Greatest(
            "created_at",
            Coalesce(Subquery(latest, output_field=DateTimeField()), "created_at"),
            Coalesce(people_hooks.last_contact_subquery(), "created_at"),
        )
    )


def _consent_in_force():
    return Consent.objects.filter(withdrawn_at__isnull=True).values("person_id")


def in_scope():
    """The persons the rule may ever process: not anonymised, not demo, not held, not kept by a
    consent in force or a service's blocker."""
    persons = Person.objects.filter(anonymised_at__isnull=True, is_demo=False).exclude(
        pk__in=_consent_in_force()
    )
    for blocker in blockers:
        persons = persons.exclude(pk__in=blocker.blocked(Person.objects.all()))
    return retention.without_holds(persons)


def due(today):
    return with_last_contact(in_scope()).filter(
        last_contact__lt=retention.cutoff(today, months=LIMIT_MONTHS)
    )


def anonymisation_day(last_contact):
    """The day a record whose last contact is ``last_contact`` is anonymised, if nothing
    happens."""
    return retention.months_after(timezone.localdate(last_contact), LIMIT_MONTHS) + timedelta(
        days=1
    )


def upcoming(today):
    soon = with_last_contact(in_scope()).filter(
        last_contact__lt=retention.cutoff(today + timedelta(days=NOTICE_DAYS), months=LIMIT_MONTHS),
        last_contact__gte=retention.cutoff(today, months=LIMIT_MONTHS),
    )
    return {person: anonymisation_day(person.last_contact) for person in soon}


def referents_of(persons):
    """``{user: [person, …]}``: the active référents of each person's follow-up, or the user
    who created the record when it has none."""
    by_user = {}
    seats = FollowUpMember.objects.filter(
        person__in=persons, role=FollowUpRole.REFERENT, is_active=True
    ).select_related("user")
    followed = set()
    for seat in seats:
        by_user.setdefault(seat.user, set()).add(seat.person_id)
        followed.add(seat.person_id)
    for person in persons:
        if person.pk not in followed and person.created_by is not None:
            by_user.setdefault(person.created_by, set()).add(person.pk)
    return by_user


def notify(due_days):
    """One e-mail per référent listing their records soon anonymised; how many records."""
    if not due_days:
        return 0
    by_pk = {person.pk: (person, day) for person, day in due_days.items()}
    persons = Person.objects.filter(pk__in=by_pk).select_related("created_by")
    for user, person_ids in referents_of(list(persons)).items():
        if not user.email or not user.is_active:
            continue
        lines = sorted((by_pk[pk] for pk in person_ids), key=lambda pair: pair[1])
        send_mail(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Dossiers bientôt anonymisés",
            message=render_to_string(
                "people/email/retention_notice.txt",
                {"user": user, "lines": lines, "months": LIMIT_MONTHS},
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    return len(due_days)


BLANKED = {
    "birth_name": "",
    "email": "",
    "phone": "",
    "address_line": "",
    "address_complement": "",
    "latitude": None,
    "longitude": None,
    "geocoding_precision": "",
    "france_travail_id": "",
    "referrer_person": "",
    "availability_note": "",
    "sms_reminders_consent": False,
    "email_reminders_opt_out": True,
}


BATCH = 500


def anonymise(person_ids, now):
    """Blanks what identifies the persons and reduces their birth date to its year: one
    ``UPDATE`` per ``BATCH`` persons."""
    values = {
        **BLANKED,
        "first_name": ANONYMOUS_NAME,
        "last_name": ANONYMOUS_NAME,
        "search_name": name_key(ANONYMOUS_NAME, ANONYMOUS_NAME, ""),
        "birth_date": TruncYear("birth_date", output_field=DateField()),
        "anonymised_at": now,
        "updated_at": now,
    }
    for start in range(0, len(person_ids), BATCH):
        Person.objects.filter(pk__in=person_ids[start : start + BATCH]).update(**values)


def process(persons, today):
    persons = list(persons)
    ids = [person.pk for person in persons]
    if not ids:
        return 0
    _delete_documents(ids)
    Note.objects.filter(person_id__in=ids).delete()
    _forget_history(ids)
    anonymise(ids, timezone.now())
    # After the update: what derives from the record (the reporting's facts) reads it anonymised.
    for eraser in erasers:
        eraser.erase(ids)
    retention.forget_notices(RULE_KEY, persons)
    return len(ids)


def _delete_documents(person_ids):
    """Every document of the records (the person, its statuses, consents, attestations); the
    files go from storage once the transaction commits."""
    items = {
        Person: person_ids,
        PublicStatus: PublicStatus.objects.filter(person_id__in=person_ids).values("pk"),
        Consent: Consent.objects.filter(person_id__in=person_ids).values("pk"),
        QpvAttestation: QpvAttestation.objects.filter(person_id__in=person_ids).values("pk"),
    }
    for model, pks in items.items():
        Document.objects.filter(
            subject_type=ContentType.objects.get_for_model(model), subject_id__in=pks
        ).delete()


def _forget_history(person_ids):
    """The old values of the person's fields leave the timeline and the access log its name."""
    person_type = ContentType.objects.get_for_model(Person)
    texts = [str(pk) for pk in person_ids]
    TimelineEvent.objects.filter(subject_type=person_type, subject_id__in=texts).update(changes=[])
    RecordAccess.objects.filter(subject_type=person_type, subject_id__in=texts).update(
        subject_label=ANONYMOUS_LABEL
    )


def forecast(person):
    """What the rule will do with ``person`` if nothing happens: ``{"day": date}``, or
    ``{"kept": reason}`` while something keeps the record, or ``{"done": datetime}``. One
    query."""
    if person.anonymised_at is not None:
        return {"done": person.anonymised_at}
    if person.is_demo:
        return {"kept": "donnée de démonstration"}
    this = Person.objects.filter(pk=person.pk)
    reasons = {
        "un gel de conservation est posé sur ce dossier": retention.holds_on(person),
        "un consentement est en vigueur": Consent.objects.filter(
            person=person, withdrawn_at__isnull=True
        ),
        **{blocker.label or blocker.key: blocker.blocked(this) for blocker in blockers},
    }
    checks = {f"reason_{i}": Exists(rows) for i, rows in enumerate(reasons.values())}
    row = with_last_contact(this).annotate(**checks).values("last_contact", *checks).get()
    for i, reason in enumerate(reasons):
        if row[f"reason_{i}"]:
            return {"kept": reason, "held": i == 0}
    return {"day": anonymisation_day(row["last_contact"]), "last_contact": row["last_contact"]}


def section_context(record_context):
    """« Conservation du dossier » on the person's page (its référent only)."""
    return {
        "person": record_context.record,
        "forecast": forecast(record_context.record),
        "months": LIMIT_MONTHS,
        "notice_days": NOTICE_DAYS,
        "may_hold": perms.may_hold(record_context.membership, record_context),
    }


def _describe(person):
    return f"{person} (dernier contact le {timezone.localdate(person.last_contact):%d/%m/%Y})"


def register_rule():
    retention.register(
        retention.RetentionRule(
            key=RULE_KEY,
            data=(
                "Dossier d'une personne accompagnée (identité, coordonnées, notes, pièces "
                "justificatives)"
            ),
            duration=f"{LIMIT_MONTHS} mois",
            starts_from=(
                "du dernier contact (dernier événement de l'historique), sans accompagnement en "
                "cours, rendez-vous à venir, consentement en vigueur ni gel"
            ),
            legal_ground=(
                "CNIL, référentiel relatif à l'accompagnement social et médico-social : 2 ans "
                "après le dernier contact ; FSE+ (règlement (UE) 2021/1060, art. 82) : les "
                "données de l'opération restent, dé-identifiées"
            ),
            action="anonymisation",
            due=due,
            process=process,
            upcoming=upcoming,
            notify=notify,
            describe=_describe,
            order=10,
        )
    )
