"""Factories of the people app, for every app's tests: ``from tests.people.factories import …``."""

import datetime

import factory

from tests.factories import StructureFactory, UserFactory
from tisserand.people.models import (
    Consent,
    FollowUpMember,
    FollowUpRole,
    Note,
    Person,
    PublicStatus,
    PublicStatusKind,
)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    owner_structure = factory.SubFactory(StructureFactory)
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    birth_date = datetime.date(1990, 5, 17)


class FollowUpMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpMember

    person = factory.SubFactory(PersonFactory)
    user = factory.SubFactory(UserFactory)
    structure = factory.SelfAttribute("person.owner_structure")
    role = FollowUpRole.REFERENT


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    structure = factory.SubFactory(StructureFactory)
    scopes = factory.LazyFunction(lambda: ["identity"])


class PublicStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicStatus

    person = factory.SubFactory(PersonFactory)
    kind = PublicStatusKind.RSA
    valid_from = datetime.date(2024, 1, 1)


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    person = factory.SubFactory(PersonFactory)
    author = factory.SubFactory(UserFactory)
    structure = factory.SelfAttribute("person.owner_structure")
    text = "Premier entretien"


def follow(person, membership, role=FollowUpRole.REFERENT):
    """Makes the member of ``membership`` follow ``person`` for their structure."""
    return FollowUpMember.objects.create(
        person=person, user=membership.user, structure=membership.structure, role=role
    )
