"""The hook accounts declares and structures provides: whose roles open personal data (MFA)."""

import pytest

from tests.hooks import withdrawn
from tisserand.accounts import hooks
from tisserand.accounts.mfa import must_set_up_mfa
from tisserand.structures import registrations
from tisserand.structures.roles import Role


@pytest.fixture
def mfa_required(settings):
    settings.TISSERAND_MFA_REQUIRED = True


def test_structures_provides_the_roles_that_open_personal_data(mfa_required, make_member):
    referent, funder = make_member(Role.REFERENT), make_member(Role.FUNDER)
    assert hooks.hooks.provided(hooks.SEES_PERSONAL_DATA)
    assert hooks.sees_personal_data(referent.user)
    assert not hooks.sees_personal_data(funder.user)
    assert must_set_up_mfa(referent.user) and not must_set_up_mfa(funder.user)
    referent.is_active = False
    referent.deactivated_at = referent.joined_at
    referent.save()
    assert not hooks.sees_personal_data(referent.user)


def test_without_structures_nobody_holds_a_role(mfa_required, make_member):
    referent = make_member(Role.REFERENT)
    implementation = registrations._sees_personal_data
    with withdrawn(hooks.hooks, hooks.SEES_PERSONAL_DATA, implementation):
        assert not hooks.sees_personal_data(referent.user)
        assert not must_set_up_mfa(referent.user)
    assert must_set_up_mfa(referent.user)
