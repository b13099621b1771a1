import pytest

from tests.factories import TEST_PASSWORD
from tisserand.structures.roles import Role


@pytest.mark.parametrize("role", list(Role))
def test_each_role_logs_in_and_sees_its_home(page, login, make_member, assert_accessible, role):
    membership = make_member(role)
    login(membership.user.email, TEST_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
    assert membership.structure.name in page.locator("header").inner_text()
    assert_accessible(page)
