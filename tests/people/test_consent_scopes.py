"""The scopes a consent shares come from a registry: people's own, and any app's."""

import pytest

from tests.people.factories import ConsentFactory
from tisserand.people import consent_scopes, perms
from tisserand.people.forms import ConsentForm
from tisserand.people.models import ConsentScope
from tisserand.structures.roles import Role


@pytest.fixture
def offers_scope():
    """A scope another app contributes (job offers proposed to the person)."""
    scope = consent_scopes.register(consent_scopes.Scope("offers", "Offres proposées", order=60))
    yield scope
    consent_scopes.scopes.unregister(scope.key)


# Scopes the installed apps contribute beside people's own.
CONTRIBUTED = [
    ("job_matching", "Mises en relation avec des employeurs (profil proposé aux offres)")
]


def test_people_registers_its_scopes_in_their_order_then_the_apps_ones():
    assert consent_scopes.choices() == list(ConsentScope.choices) + CONTRIBUTED


def test_a_contributed_scope_is_offered_by_the_consent_form(offers_scope, person):
    choices = ConsentForm(person=person).fields["scopes"].choices
    assert ("offers", "Offres proposées") in choices
    assert choices[: len(ConsentScope.choices)] == list(ConsentScope.choices)


def test_a_contributed_scope_is_shared_through_consent(
    offers_scope, person, referent, make_member, other_structure
):
    partner = make_member(Role.PARTNER, other_structure)
    consent = ConsentFactory(person=person, structure=other_structure, scopes=["offers"])
    assert perms.access_for(partner, person).scopes == {"offers"}
    assert perms.access_for(referent, person).sees_scope("offers")
    assert consent.scope_labels() == ["Offres proposées"]


def test_a_scope_no_app_registers_is_never_shared(person, make_member, other_structure):
    partner = make_member(Role.PARTNER, other_structure)
    ConsentFactory(person=person, structure=other_structure, scopes=["identity", "offers"])
    assert perms.access_for(partner, person).scopes == {"identity"}
