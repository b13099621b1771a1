"""The one table of the roles' capabilities."""

from tests.factories import MembershipFactory
from tisserand.structures.roles import CAPABILITIES, Capability, Role, has_capability, roles_with

AGGREGATES_ONLY = {Capability.READ_INDICATORS, Capability.SET_OBJECTIVES}


def test_every_role_has_a_row_and_funders_only_aggregates():
    assert set(CAPABILITIES) == set(Role)
    assert CAPABILITIES[Role.FUNDER] == AGGREGATES_ONLY


def test_no_membership_has_no_capability():
    assert not any(has_capability(None, capability) for capability in Capability)


def test_capability_follows_the_role_acted_with():
    director = MembershipFactory(role=Role.DIRECTOR)
    assert has_capability(director, Capability.OVERSEE_STRUCTURE)
    assert not has_capability(director, Capability.EDIT_AS_MANAGER)
    assert roles_with(Capability.EDIT_AS_MANAGER) == {Role.ADMIN}


# Issue 9, point 11: role labels that suit women and men, without a median dot.
GENDERED = ("administrateur", "conseiller", "chargé", "facilitateur", "directeur", "financeur")


def test_role_labels_and_descriptions_are_epicene():
    from tisserand.structures.roles import ROLE_DESCRIPTIONS

    texts = [str(label) for label in Role.labels] + list(ROLE_DESCRIPTIONS.values())
    assert not [text for text in texts if "·" in text or "(e)" in text]
    labels = " ".join(str(label) for label in Role.labels).lower()
    assert not [word for word in GENDERED if word in labels]
    assert Role.DIRECTOR.label == "Direction"
