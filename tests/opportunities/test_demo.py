"""The demo seeder: offers in France Travail's format through the importer, own offers on the
demo companies, saved searches and introductions at every state; seeded once."""

import io

from tests.companies.factories import EstablishmentFactory
from tests.opportunities.helpers import territory
from tests.people.factories import PersonFactory, follow
from tisserand.opportunities import demo
from tisserand.opportunities.models import (
    Introduction,
    IntroductionStatus,
    JobOffer,
    OfferSource,
    SavedSearch,
)
from tisserand.structures.roles import Role


def test_the_demo_is_seeded_once(make_member, structure):
    area = territory()
    structure.is_demo = True
    structure.save()
    referent = make_member(Role.REFERENT, structure)
    make_member(Role.BUSINESS, structure)
    EstablishmentFactory(name="Boulangerie Motte", commune=area["lys"])
    for _ in range(20):
        follow(PersonFactory(owner_structure=structure, is_demo=True), referent)
    output = io.StringIO()
    demo.seed(output)
    imported = JobOffer.objects.filter(source=OfferSource.FRANCE_TRAVAIL)
    assert imported.count() == demo.OFFERS
    assert imported.filter(establishment__isnull=False).exists()
    assert imported.filter(fiche=area["boulanger"].fiche).count() == demo.OFFERS
    assert JobOffer.objects.filter(source=OfferSource.OWN).count() == 2
    assert SavedSearch.objects.count() == 1
    states = set(Introduction.objects.values_list("status", flat=True))
    assert states == set(IntroductionStatus.values)
    demo.seed(output)
    assert "déjà présentes" in output.getvalue()
    assert JobOffer.objects.count() == demo.OFFERS + 2
