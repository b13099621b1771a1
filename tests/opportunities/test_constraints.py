"""The database refuses what a rule forbids, whatever path the write takes: an id twice in a
source, no positions, a closed offer without its date, an open one with it, a point out of
range, an introduction for nothing, a refusal without reason."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.opportunities.factories import JobOfferFactory
from tisserand.opportunities.models import Introduction, JobOffer, OfferSource, OfferStatus


def refused(**values):
    with pytest.raises(IntegrityError), transaction.atomic():
        JobOffer.objects.create(**{"title": "Offre", "source": OfferSource.OWN, **values})


def test_an_imported_offer_keeps_its_id_once_per_source():
    JobOfferFactory(source=OfferSource.FRANCE_TRAVAIL, external_id="X1")
    refused(source=OfferSource.FRANCE_TRAVAIL, external_id="X1")
    refused(source=OfferSource.FRANCE_TRAVAIL, external_id="")
    JobOfferFactory(source=OfferSource.PARTNER_FILE, external_id="X1", partner_name="PLIE")
    JobOfferFactory(source=OfferSource.PARTNER_FILE, external_id="X1", partner_name="CCAS")
    refused(source=OfferSource.PARTNER_FILE, external_id="X1", partner_name="PLIE")


@pytest.mark.parametrize(
    "values",
    [
        {"positions": 0},
        {"positions": 1000},
        {"experience": "X"},
        {"status": "archived"},
        {"status": OfferStatus.CLOSED},
        {"status": OfferStatus.OPEN, "closed_at": timezone.now()},
        {"latitude": 91, "longitude": 3},
        {"latitude": 50.6, "longitude": None},
    ],
)
def test_an_offer_that_breaks_a_rule_is_refused(values):
    refused(**values)


def test_an_introduction_is_for_an_offer_or_a_need(person, structure):
    with pytest.raises(IntegrityError), transaction.atomic():
        Introduction.objects.create(
            person=person,
            structure=structure,
            consent_given_at=timezone.now(),
            consent_text="oui",
            answer_digest="d",
        )
    offer = JobOfferFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Introduction.objects.create(
            person=person,
            offer=offer,
            structure=structure,
            consent_given_at=timezone.now(),
            consent_text="oui",
            answer_digest="e",
            status="withdrawn",
        )
