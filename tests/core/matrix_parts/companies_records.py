"""The company record's URLs: every role that sees companies opens every record of the
network (A's and B's alike); the roles that manage companies change them; a funder reads the
counts only."""

from tests.companies.factories import ContactFactory, EstablishmentFactory
from tests.core.matrix import A_ROLES, Expect
from tisserand.structures.roles import Capability, Role, roles_with

SEE = roles_with(Capability.SEE_COMPANIES)
MANAGE = roles_with(Capability.MANAGE_COMPANIES)
COUNT = SEE | {Role.FUNDER}

assert Role.FUNDER not in SEE and {Role.ADMIN, Role.BUSINESS, Role.CLAUSE_FACILITATOR} == MANAGE


def _company(demo):
    return {"public_id": demo.company.public_id}


def _contact(demo):
    return {"public_id": demo.company.public_id, "contact_id": demo.company_contact.public_id}


EXPECTED = {
    "companies:list": Expect(SEE),
    "companies:counts": Expect(COUNT),
    "companies:create": Expect(MANAGE),
    "companies:import": Expect(MANAGE),
    "companies:import_template": Expect(MANAGE),
    "companies:detail": Expect(SEE, other=SEE, kwargs=_company),
    "companies:edit": Expect(MANAGE, other=MANAGE, kwargs=_company),
    "companies:tags": Expect(MANAGE, other=MANAGE, kwargs=_company),
    "companies:officer": Expect(MANAGE, other=MANAGE, kwargs=_company),
    "companies:contact_create": Expect(MANAGE, other=MANAGE, kwargs=_company),
    "companies:contact_edit": Expect(MANAGE, other=MANAGE, kwargs=_contact),
    "companies:contact_deactivate": Expect(MANAGE, other=MANAGE, kwargs=_contact),
}

assert all(expect.get <= A_ROLES for expect in EXPECTED.values())


def build(demo):
    company = EstablishmentFactory(name=f"Filature {demo.structure.name}")
    return {"company": company, "company_contact": ContactFactory(establishment=company)}
