"""What the accompaniment app tells the retention of persons' records: an open accompaniment
keeps the record; anonymising a person erases the free text of their exits and the exits'
supporting documents. The accompaniments themselves, their dates, exit types and ESF+ records,
stay: they are the operation data the figures (and an ESF+ audit) read."""

from django.contrib.contenttypes.models import ContentType

from tisserand.accompaniment.models import Accompaniment
from tisserand.core.models import Document
from tisserand.people import retention as people_retention


def open_accompaniments(persons):
    return Accompaniment.objects.open().filter(person__in=persons).values("person_id")


def erase(person_ids):
    accompaniments = Accompaniment.objects.filter(person_id__in=person_ids)
    Document.objects.filter(
        subject_type=ContentType.objects.get_for_model(Accompaniment),
        subject_id__in=accompaniments.values("pk"),
    ).delete()
    accompaniments.update(exit_comment="")


def register_all():
    people_retention.blockers.register(
        people_retention.Blocker(
            "accompaniment.open",
            blocked=open_accompaniments,
            label="un accompagnement est en cours",
        )
    )
    people_retention.erasers.register(people_retention.Eraser("accompaniment.exits", erase))
