"""Factories of the relationship journal and the needs (``tests/companies/factories.py``
holds the company records')."""

import datetime

import factory
from django.utils import timezone

from tests.companies.factories import EstablishmentFactory, NeedFactory
from tisserand.companies.models import (
    AssignmentStatus,
    Interaction,
    InteractionKind,
    NeedAssignment,
    RoutingRule,
)


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    establishment = factory.SubFactory(EstablishmentFactory)
    kind = InteractionKind.VISIT
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    summary = "Visite de l'atelier, besoin de deux caristes."
    author = factory.SubFactory("tests.factories.UserFactory")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedAssignment

    need = factory.SubFactory(NeedFactory)
    structure = factory.SubFactory("tests.factories.StructureFactory")
    status = AssignmentStatus.WAITING
    assigned_at = factory.LazyFunction(timezone.now)


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule
        skip_postgeneration_save = True

    structure = factory.SubFactory("tests.factories.StructureFactory")
    label = factory.Sequence(lambda n: f"Règle {n}")

    @factory.post_generation
    def subjects(self, create, extracted, **kwargs):
        if create and extracted:
            self.subjects.set(extracted)
