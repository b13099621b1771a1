"""Factories of the clauses app: ``from tests.clauses.factories import LotFactory``."""

import datetime
from decimal import Decimal

import factory

from tests.companies.factories import EstablishmentFactory, valid_siren, valid_siret
from tests.factories import StructureFactory
from tisserand.clauses.models import (
    Buyer,
    BuyerKind,
    Contract,
    CriterionSource,
    Declaration,
    DeclarationSource,
    EligibilityCriterion,
    LegalForm,
    Lot,
    Modality,
    Nature,
    Operation,
    Participant,
    ParticipantCriterion,
    Programme,
)


class BuyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Buyer

    structure = factory.SubFactory(StructureFactory)
    kind = BuyerKind.SOCIAL_LANDLORD
    name = factory.Sequence(lambda n: f"Habitat Roubaisien {n}")
    siret = factory.Sequence(lambda n: valid_siret(valid_siren(70_000_000 + n)))


class OperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operation
        skip_postgeneration_save = True

    structure = factory.SubFactory(StructureFactory)
    programme = Programme.NPNRU
    name = factory.Sequence(lambda n: f"NPNRU Roubaix — secteur {n}")
    starts_on = datetime.date(2024, 1, 1)
    ends_on = datetime.date(2028, 12, 31)
    qpv_codes = "QN05912M, QN05913M"
    qpv_share = Decimal("0.5")

    @factory.post_generation
    def buyers(self, create, extracted, **kwargs):
        if create and extracted:
            self.buyers.set(extracted)


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    operation = factory.SubFactory(OperationFactory)
    buyer = factory.LazyAttribute(lambda o: BuyerFactory(structure=o.operation.structure))
    reference = factory.Sequence(lambda n: f"2025-TX-{n:03d}")
    object = "Réhabilitation de 120 logements"
    cpv_code = "45000000"
    amount = Decimal("1000000")
    nature = Nature.WORKS
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2026, 12, 31)

    @factory.post_generation
    def join_operation(self, create, extracted, **kwargs):
        if create:
            self.operation.buyers.add(self.buyer)


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    contract = factory.SubFactory(ContractFactory)
    number = factory.Sequence(lambda n: n + 1)
    label = "Gros œuvre"
    holder = factory.SubFactory(EstablishmentFactory)
    amount = Decimal("1000000")
    legal_form = LegalForm.EXECUTION
    labour_share = Decimal("0.5")
    insertion_rate = Decimal("0.05")
    hourly_cost = Decimal("30")
    hours_owed = Decimal("833.3")
    qpv_hours_owed = Decimal("416.7")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    structure = factory.SubFactory(StructureFactory)
    first_name = "Karim"
    last_name = factory.Sequence(lambda n: f"Participant{n}")
    birth_date = datetime.date(1990, 5, 4)
    modality = Modality.CDD
    starts_on = datetime.date(2025, 2, 1)


def criterion(code="rsa"):
    return EligibilityCriterion.objects.get(code=code)


def make_eligible(participant, code="qpv"):
    ParticipantCriterion.objects.create(
        participant=participant,
        criterion=criterion(code),
        assessed_on=participant.starts_on,
        source=CriterionSource.RECORD,
    )
    participant.is_eligible = True
    participant.save(update_fields=["is_eligible"])
    return participant


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Declaration

    participant = factory.SubFactory(ParticipantFactory)
    lot = factory.SubFactory(LotFactory)
    month = datetime.date(2025, 3, 1)
    hours = Decimal("100")
    modality = Modality.CDD
    coefficient = Decimal("1")
    source = DeclarationSource.FACILITATOR
