"""The company record's services: one record per SIRET, warned on name + commune, geocoded,
every change on the company's timeline; bad input changes nothing."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from tests.companies.factories import ContactFactory, EstablishmentFactory, LegalUnitFactory
from tests.companies.records_helpers import creation_data, siret_of
from tisserand.companies import records_rules, services
from tisserand.companies.location import AddressError
from tisserand.companies.models import Contact, Establishment, LegalUnit, Tag
from tisserand.core.timeline import events_about


def test_creation_makes_the_legal_unit_the_record_and_its_timeline(area, naf, actor):
    company = services.create_establishment(data=creation_data(area, naf), actor=actor)
    assert company.legal_unit.siren == company.siret[:9]
    assert company.legal_unit.name == "Filature du Trichon"
    assert company.commune == area["roubaix"]
    # Offline geocoding: the commune's centroid, no QPV named from it.
    assert company.geocoding_precision == "commune"
    assert company.latitude == pytest.approx(50.6879774811)
    assert company.qpv_code == ""
    assert company.search_name == "filature du trichon"
    events = list(events_about(company))
    assert [e.summary for e in events] == ["Fiche entreprise créée : Filature du Trichon"]
    assert events[0].actor == actor.user and events[0].actor_structure == actor.structure


def test_the_postal_code_alone_finds_the_commune(area, naf, actor):
    data = creation_data(area, naf, commune=None, postal_code="59390")
    assert services.create_establishment(data=data, actor=actor).commune == area["lys"]


@pytest.mark.parametrize(
    ("postal_code", "commune", "field"),
    [("59999", None, "postal_code"), ("59390", "roubaix", "commune")],
)
def test_a_wrong_address_is_refused_and_writes_nothing(
    area, naf, actor, postal_code, commune, field
):
    data = creation_data(
        area, naf, postal_code=postal_code, commune=area[commune] if commune else None
    )
    with pytest.raises(AddressError) as error:
        services.create_establishment(data=data, actor=actor)
    assert error.value.field == field
    assert not Establishment.objects.exists() and not LegalUnit.objects.exists()


def test_one_record_per_siret_for_the_whole_network(area, naf, actor):
    first = services.create_establishment(data=creation_data(area, naf), actor=actor)
    with pytest.raises(services.DuplicateSiret) as error:
        services.create_establishment(
            data=creation_data(area, naf, legal_name="Autre nom"), actor=actor
        )
    assert error.value.existing == first
    assert "déjà sa fiche" in str(error.value)
    assert Establishment.objects.count() == 1
    # The database says so too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Establishment.objects.create(legal_unit=first.legal_unit, siret=first.siret)


@pytest.mark.parametrize("siret", ["", "1234", "42000001000012", "4200000100001A", "420 000 01"])
def test_a_bad_siret_is_refused(area, naf, actor, siret):
    with pytest.raises(records_rules.InvalidSiret, match="SIRET invalide"):
        services.create_establishment(data=creation_data(area, naf, siret=siret), actor=actor)
    assert not Establishment.objects.exists()


def test_the_database_refuses_a_malformed_siret():
    unit = LegalUnitFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Establishment.objects.create(legal_unit=unit, siret="1234567890123A")


def test_spaces_in_a_typed_siret_are_dropped(area, naf, actor):
    siret = siret_of(42_000_001)
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    company = services.create_establishment(
        data=creation_data(area, naf, siret=spaced), actor=actor
    )
    assert company.siret == siret


def test_same_name_in_the_same_commune_is_warned_then_created_once_confirmed(area, naf, actor):
    first = services.create_establishment(data=creation_data(area, naf), actor=actor)
    data = creation_data(area, naf, siret=siret_of(42_000_002), legal_name="FILATURE DU TRICHON")
    with pytest.raises(services.SimilarCompanies) as warning:
        services.create_establishment(data=data, actor=actor)
    assert warning.value.similar == [first]
    assert Establishment.objects.count() == 1
    second = services.create_establishment(data=data, actor=actor, confirmed=True)
    assert second.pk != first.pk
    # Another commune: no warning.
    elsewhere = creation_data(
        area, naf, siret=siret_of(42_000_003), commune=area["lys"], postal_code="59390"
    )
    services.create_establishment(data=elsewhere, actor=actor)


def test_a_second_establishment_joins_its_legal_unit(area, naf, actor):
    first = services.create_establishment(data=creation_data(area, naf), actor=actor)
    siret = records_rules.check_siret(
        first.siret[:9]
        + "0002"
        + __import__("stdnum").luhn.calc_check_digit(first.siret[:9] + "0002")
    )
    second = services.create_establishment(
        data=creation_data(
            area, naf, siret=siret, name="Dépôt de Lys", commune=area["lys"], postal_code="59390"
        ),
        actor=actor,
    )
    assert second.legal_unit == first.legal_unit
    assert LegalUnit.objects.count() == 1


def test_an_update_records_the_changed_fields_on_the_timeline(area, naf, actor):
    company = services.create_establishment(data=creation_data(area, naf), actor=actor)
    data = creation_data(
        area, naf, headcount_band="21", is_geiq=True, legal_name="Filature Trichon"
    )
    data.pop("siret")
    services.update_establishment(company, data=data, actor=actor)
    company.refresh_from_db()
    assert company.headcount_band == "21" and company.is_geiq
    assert company.legal_unit.name == "Filature Trichon"
    summaries = [event.summary for event in events_about(company)]
    assert "Modification : tranche d'effectif, GEIQ" in summaries
    assert "Unité légale modifiée : dénomination" in summaries
    changes = next(e for e in events_about(company) if e.summary.startswith("Modification")).changes
    assert {
        "field": "tranche d'effectif",
        "before": "20 à 49 salariés",
        "after": "50 à 99 salariés",
    } in changes


def test_a_non_diffusible_individual_is_never_found_by_name(area, naf, actor):
    data = creation_data(
        area, naf, legal_name="Jean Zéphyrin-Quillebœuf", is_individual=True, diffusion="N"
    )
    company = services.create_establishment(data=data, actor=actor)
    assert company.search_name == ""
    assert company.display_name == "Entrepreneur individuel (non diffusible)"
    assert "Quillebœuf" not in str(list(events_about(company))[0].summary)


def test_contact_consent_is_dated_and_withdrawn_undated(actor):
    company = EstablishmentFactory()
    contact = services.add_contact(
        company,
        data={"first_name": "Nadia", "last_name": "Haddad", "consents_to_contact": True},
        actor=actor,
    )
    assert contact.consent_given_on == datetime.date.today()
    services.update_contact(contact, data={"consents_to_contact": False}, actor=actor)
    contact.refresh_from_db()
    assert contact.consent_given_on is None
    summaries = [event.summary for event in events_about(company)]
    assert "Contact ajouté : Nadia Haddad" in summaries
    assert any(s.startswith("Contact Nadia Haddad modifié") for s in summaries)


def test_a_consent_in_the_future_is_refused(actor):
    company = EstablishmentFactory()
    future = datetime.date.today() + datetime.timedelta(days=3)
    with pytest.raises(services.CompanyError, match="futur"):
        services.add_contact(
            company,
            data={
                "first_name": "A",
                "last_name": "B",
                "consents_to_contact": True,
                "consent_given_on": future,
            },
            actor=actor,
        )
    assert not Contact.objects.exists()


def test_the_database_refuses_an_undated_consent():
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(consents_to_contact=True, consent_given_on=None)


def test_a_deactivated_contact_stays_in_the_history(actor):
    contact = ContactFactory()
    services.deactivate_contact(contact, actor=actor)
    assert Contact.objects.get(pk=contact.pk).is_active is False
    with pytest.raises(services.CompanyError, match="déjà désactivé"):
        services.deactivate_contact(contact, actor=actor)
    assert [e.summary for e in events_about(contact.establishment)] == [
        f"Contact désactivé : {contact}"
    ]


def test_tags_are_created_once_whatever_the_case(actor):
    company = EstablishmentFactory()
    Tag.objects.create(label="Textile")
    services.set_tags(company, data={"tags": ["textile ", "Recrute", "recrute", ""]}, actor=actor)
    assert sorted(t.label for t in company.tags.all()) == ["Recrute", "Textile"]
    assert Tag.objects.count() == 2
    services.set_tags(company, data={"tags": ["Textile", "Recrute"]}, actor=actor)
    assert len(list(events_about(company))) == 1  # nothing changed the second time
    with pytest.raises(services.CompanyError, match="trop longue"):
        services.set_tags(company, data={"tags": ["x" * 61]}, actor=actor)


def test_the_officer_is_of_the_actor_structure(actor, officer):
    company = EstablishmentFactory()
    services.assign_officer(company, data={"officer": officer.user}, actor=actor)
    company.refresh_from_db()
    assert company.officer == officer.user and company.officer_structure == officer.structure
    services.assign_officer(company, data={"officer": None}, actor=actor)
    company.refresh_from_db()
    assert company.officer is None and company.officer_structure is None
    assert len(list(events_about(company))) == 2


def test_a_bad_value_given_to_the_service_is_a_french_error(actor):
    company = EstablishmentFactory()
    with pytest.raises(services.CompanyError, match="adresse e-mail : Saisissez une adresse"):
        services.add_contact(
            company,
            data={"first_name": "A", "last_name": "B", "email": "pas-une-adresse"},
            actor=actor,
        )
    assert not Contact.objects.exists()
