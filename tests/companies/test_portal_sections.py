"""The company page's sections of this part: the HR clubs the company belongs to (whoever
sees companies), the GPEC summary and the leader accounts (officers managing companies)."""

import datetime

import pytest

from tests.companies.factories import EstablishmentFactory, HrClubFactory
from tests.companies.portal_helpers import leader_of, toolkit
from tisserand.companies.models import HrClubMember
from tisserand.core import records
from tisserand.structures.roles import Role


@pytest.fixture
def company_kind():
    """The « company » record kind (the company page's own app registers it)."""
    registered = "company" in records.kinds
    if not registered:
        records.kinds.register(
            records.RecordKind("company", access=lambda membership, record: None)
        )
    yield
    if not registered:
        records.kinds.unregister("company")


def _keys(membership, company):
    context = records.RecordContext("company", company, membership)
    return {section.key: html for section, html in context.rendered_sections()}


def test_officers_see_clubs_gpec_and_leaders_partners_see_clubs_only(company_kind, make_member):
    company = EstablishmentFactory()
    club = HrClubFactory(name="Club des TPE")
    HrClubMember.objects.create(
        club=club, establishment=company, joined_on=datetime.date(2025, 3, 1)
    )
    toolkit(company)
    leader_of(company)
    business = _keys(make_member(Role.BUSINESS), company)
    assert "Club des TPE" in business["hr_clubs"]
    assert "2 postes, 4 salarié·es" in business["gpec"]
    assert "1 accès actif" in business["leaders"]
    partner = _keys(make_member(Role.PARTNER), company)
    assert "hr_clubs" in partner and "gpec" not in partner and "leaders" not in partner
    assert not {"hr_clubs", "gpec", "leaders"} & set(_keys(make_member(Role.FUNDER), company))
