"""A consent is offered and recorded only to structures and for scopes a rule can honour:
never a funder structure, never a structure whose members cannot see persons."""

import pytest
from django.urls import reverse

from tests.factories import StructureFactory
from tisserand.core.actor import Actor
from tisserand.people import consent_rules, consent_scopes, services
from tisserand.people.consent_rules import ConsentRefused
from tisserand.people.models import Consent, ConsentScope
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role


def consent_url(person):
    return reverse("people:consents", args=[person.public_id])


def post_consent(client, person, structure, scopes=("identity",)):
    data = {"structure": structure.pk, "scopes": list(scopes), "given_on": "2025-01-10"}
    return client.post(consent_url(person), data)


@pytest.fixture
def funder_structure(make_member):
    funder = StructureFactory(name="Conseil départemental (financeur)", kind=StructureKind.FUNDER)
    make_member(Role.FUNDER, funder)
    return funder


def offered(client, person):
    return set(client.get(consent_url(person)).context["form"].fields["structure"].queryset)


def test_a_structure_whose_partners_see_persons_is_offered_and_accepted(
    client_for, referent, person, partner_structure
):
    client = client_for(referent)
    assert partner_structure in offered(client, person)
    assert post_consent(client, person, partner_structure).status_code == 302
    assert Consent.objects.get().structure == partner_structure


def test_a_funder_structure_is_neither_offered_nor_accepted(
    client_for, referent, person, funder_structure, make_member
):
    # Even a funder structure with a member of a role that sees persons.
    make_member(Role.PARTNER, funder_structure)
    client = client_for(referent)
    assert funder_structure not in offered(client, person)
    response = post_consent(client, person, funder_structure)
    assert response.status_code == 200
    assert "ne voient jamais les personnes" in response.context["form"].errors["structure"][0]
    assert not Consent.objects.exists()


def test_a_structure_of_funder_roles_only_is_refused(client_for, referent, person, make_member):
    readers = StructureFactory(name="Association lectrice d'agrégats")
    make_member(Role.FUNDER, readers)
    client = client_for(referent)
    assert readers not in offered(client, person)
    assert post_consent(client, person, readers).status_code == 200
    assert not Consent.objects.exists()


def test_the_service_refuses_what_no_rule_honours(referent, person, funder_structure):
    with pytest.raises(ConsentRefused, match="ne voient jamais les personnes"):
        services.record_consent(
            Consent(person=person, structure=funder_structure, scopes=["identity"]),
            actor=Actor.of(referent),
        )
    assert not Consent.objects.exists()


def test_only_honoured_scopes_are_offered_and_accepted(
    client_for, referent, person, partner_structure
):
    consent_scopes.scopes.unregister(ConsentScope.APPOINTMENTS)
    try:
        client = client_for(referent)
        choices = client.get(consent_url(person)).context["form"].fields["scopes"].choices
        assert ConsentScope.APPOINTMENTS not in dict(choices)
        response = post_consent(client, person, partner_structure, ["identity", "appointments"])
        assert response.status_code == 200 and "scopes" in response.context["form"].errors
        with pytest.raises(ConsentRefused):
            services.record_consent(
                Consent(person=person, structure=partner_structure, scopes=["appointments"]),
                actor=Actor.of(referent),
            )
        assert not Consent.objects.exists()
    finally:
        consent_scopes.register_honoured(ConsentScope.APPOINTMENTS)


def test_every_scope_is_honoured_when_every_app_is_installed():
    assert [value for value, _ in consent_rules.honoured_scope_choices()] == [
        *ConsentScope.values,
        "job_matching",  # contributed and honoured by the opportunities app
    ]


def test_a_consent_recorded_before_the_rules_to_a_funder_is_shown_without_effect(
    client_for, referent, person, funder_structure, partner_structure
):
    # Written around the service, as such rows were before the rules existed.
    Consent.objects.create(person=person, structure=funder_structure, scopes=["identity"])
    Consent.objects.create(person=person, structure=partner_structure, scopes=["identity"])
    client = client_for(referent)
    for url in (consent_url(person), reverse("people:detail", args=[person.public_id])):
        html = client.get(url).content.decode()
        assert html.count("Sans effet : cette structure ne voit jamais les personnes") == 1
        assert html.count("En vigueur") == 1
