"""The demo companies: about sixty valid, fictitious records of the Roubaix–Tourcoing bassin,
through the services (each with its timeline), seeded once."""

from io import StringIO

import pytest
from django.conf import settings
from stdnum.fr import siret as siret_rules

from tests.referentials.geo.factories import make_commune
from tisserand.companies import demo
from tisserand.companies.models import Contact, Establishment
from tisserand.core import demo as core_demo
from tisserand.core.timeline import events_about
from tisserand.referentials.geo.models import BassinEmploi, Commune
from tisserand.referentials.rome.importing import labour
from tisserand.structures import demo as structures_demo

POSTAL_CODES = {
    "59512": "59100", "59599": "59200", "59650": "59150", "59163": "59170", "59646": "59290",
    "59299": "59510", "59367": "59390", "59332": "59390", "59339": "59115", "59421": "59420",
    "59279": "59250", "59426": "59960", "59508": "59223", "59352": "59126", "59247": "59510",
    "59098": "59166",
}  # fmt: skip


@pytest.fixture
def world(db):
    labour.import_naf(
        settings.BASE_DIR / "data/rome/labour/naf_labels.csv.xz",
        settings.BASE_DIR / "data/rome/labour/naf_section_labels.csv.xz",
    )
    bassin = BassinEmploi.objects.create(code="3217", name="Roubaix-Tourcoing")
    for code, postal in POSTAL_CODES.items():
        make_commune(code, f"Commune {code}", [postal], bassin, lat=50.69, lon=3.18)
    structures_demo.seed()


def test_the_demo_seeds_sixty_companies_of_the_bassin_once(world):
    out = StringIO()
    demo.seed(out)
    companies = demo.demo_establishments()
    assert 58 <= companies.count() <= 65, out.getvalue()
    assert all(siret_rules.is_valid(c.siret) for c in companies)
    assert {c.commune.bassin.code for c in companies.select_related("commune__bassin")} == {"3217"}
    assert companies.filter(naf__isnull=True).count() == 0
    assert companies.exclude(insertion_kind="").count() >= 5
    assert companies.exclude(adapted_kind="").count() >= 2
    assert companies.filter(is_geiq=True).count() >= 1
    assert companies.filter(state="F").count() == 1
    individual = companies.get(legal_unit__is_individual=True)
    assert individual.hides_address and individual.search_name == ""
    assert individual.display_name == "Entrepreneur individuel (non diffusible)"
    officers = set(companies.exclude(officer=None).values_list("officer__email", flat=True))
    assert officers == {"entreprises@mde-roubaix.test"}
    contacts = Contact.objects.filter(establishment__in=companies)
    assert contacts.count() >= 55 and not contacts.filter(consent_given_on=None).exists()
    branch = companies.get(name="Logistique du Trichon")
    assert branch.legal_unit.establishments.count() == 2
    assert len(list(events_about(branch))) >= 3  # created, contact, tags
    seen = set()
    for company in companies:
        assert company.siret not in seen
        seen.add(company.siret)
    again = StringIO()
    demo.seed(again)
    assert "déjà présentes" in again.getvalue()
    assert demo.demo_establishments().count() == companies.count()


def test_the_demo_waits_for_its_officer(db):
    out = StringIO()
    demo.seed(out)
    assert "absent" in out.getvalue() and not Establishment.objects.exists()
    assert not Commune.objects.exists()


def test_the_seeder_comes_before_the_other_companies_seeders():
    seeder = next(s for s in core_demo.seeders() if s.name == "Entreprises (démonstration)")
    assert seeder.order == 40
