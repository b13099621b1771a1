"""Factories of the accompaniment app, for every app's tests."""

import datetime

import factory

from tests.factories import StructureFactory, UserFactory
from tests.people.factories import PersonFactory
from tisserand.accompaniment.models import Accompaniment, Programme
from tisserand.referentials.rome.models import Appellation, Fiche
from tisserand.referentials.rome.text import search_text


def programme(code="reinforced"):
    """A programme seeded by the migration: reinforced, plie, social_clauses, tzcld…"""
    return Programme.objects.get(code=code)


class AccompanimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accompaniment

    person = factory.SubFactory(PersonFactory)
    programme = factory.LazyFunction(programme)
    structure = factory.SubFactory(StructureFactory)
    referent = factory.SubFactory(UserFactory)
    entry_date = datetime.date(2025, 1, 6)


def appellation(code_ogr=11573, label="Boulanger / Boulangère", rome_code="D1102"):
    """A ROME job title with its fiche, created when missing."""
    fiche, _ = Fiche.objects.get_or_create(
        code=rome_code,
        defaults={
            "code_ogr": code_ogr + 900000,
            "label": f"Fiche {rome_code}",
            "parent_code": rome_code,
            "first_version": "4.60",
        },
    )
    found, _ = Appellation.objects.get_or_create(
        code_ogr=code_ogr,
        defaults={
            "label": label,
            "short_label": label,
            "fiche": fiche,
            "classification": Appellation.Classification.MAIN,
            "search_text": search_text(label),
            "first_version": "4.60",
        },
    )
    return found
