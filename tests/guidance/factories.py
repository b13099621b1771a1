"""Factories of the guidance app, for every app's tests."""

import factory

from tests.accompaniment.factories import appellation
from tests.people.factories import PersonFactory
from tisserand.guidance.models import GuidanceProfile, GuidanceTarget


class GuidanceProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidanceProfile

    person = factory.SubFactory(PersonFactory)
    riasec_code = "RI"


class GuidanceTargetFactory(factory.django.DjangoModelFactory):
    """A target retained on a ROME title (a small fiche is created when missing)."""

    class Meta:
        model = GuidanceTarget

    person = factory.SubFactory(PersonFactory)
    appellation = factory.LazyFunction(appellation)
    fiche = factory.SelfAttribute("appellation.fiche")
    score_percent = 80
