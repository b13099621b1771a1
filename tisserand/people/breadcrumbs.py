"""The breadcrumb steps of a person's record, for the pages of every app that hang on it."""

from django.urls import reverse

from tisserand.core.breadcrumbs import trail


def persons_step():
    return ("Personnes", reverse("people:list"))


def person_step(person):
    return (str(person), reverse("people:detail", args=[person.public_id]))


def person_trail(person, *steps):
    """Personnes › the person › ``steps``."""
    return trail(persons_step(), person_step(person), *steps)
