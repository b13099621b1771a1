"""Factories of the companies app, for every app's tests: ``from tests.companies.factories
import EstablishmentFactory``. SIREN and SIRET are valid (Luhn check digit)."""

import factory
from stdnum import luhn

from tisserand.companies.models import (
    Contact,
    Establishment,
    HrClub,
    LeaderAccount,
    LegalUnit,
    Need,
    NeedKind,
    NeedSubject,
)


def valid_siren(n):
    body = f"{n:08d}"
    return body + luhn.calc_check_digit(body)


def valid_siret(siren, nic=1):
    body = f"{siren}{nic:04d}"
    return body + luhn.calc_check_digit(body)


class LegalUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalUnit

    siren = factory.Sequence(lambda n: valid_siren(10_000_000 + n))
    name = factory.Sequence(lambda n: f"Entreprise {n}")


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    legal_unit = factory.SubFactory(LegalUnitFactory)
    siret = factory.LazyAttribute(lambda o: valid_siret(o.legal_unit.siren))
    name = factory.LazyAttribute(lambda o: o.legal_unit.name)
    search_name = factory.LazyAttribute(lambda o: o.name.lower())
    is_head_office = True


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    establishment = factory.SubFactory(EstablishmentFactory)
    first_name = "Claire"
    last_name = factory.Sequence(lambda n: f"Dirigeante{n}")
    email = factory.Sequence(lambda n: f"contact{n}@entreprise.exemple.invalid")


class LeaderAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeaderAccount

    user = factory.SubFactory("tests.factories.UserFactory")
    establishment = factory.SubFactory(EstablishmentFactory)


class NeedSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedSubject
        django_get_or_create = ("label",)

    kind = NeedKind.RECRUITMENT
    label = "Recruter"


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    establishment = factory.SubFactory(EstablishmentFactory)
    subject = factory.SubFactory(NeedSubjectFactory)


class HrClubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HrClub

    name = factory.Sequence(lambda n: f"Club RH {n}")
    structure = factory.SubFactory("tests.factories.StructureFactory")
