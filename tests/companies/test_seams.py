"""The seams the services build on: a need recorded on a company, the leader's loader."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from tests.companies.factories import (
    ContactFactory,
    EstablishmentFactory,
    LeaderAccountFactory,
    NeedSubjectFactory,
)
from tests.factories import MembershipFactory, UserFactory
from tisserand.companies import portal, services
from tisserand.core.actor import Actor
from tisserand.core.timeline import events_about

pytestmark = pytest.mark.django_db


def test_a_need_is_recorded_on_the_company_timeline():
    establishment = EstablishmentFactory()
    actor = Actor.of(MembershipFactory())
    need = services.record_need(
        establishment,
        data={"subject": NeedSubjectFactory(), "description": "2 caristes"},
        actor=actor,
    )
    assert need.is_recruitment
    assert [event.verb for event in events_about(establishment)] == ["need_recorded"]


def test_a_need_refuses_another_company_s_contact():
    establishment = EstablishmentFactory()
    with pytest.raises(services.CompanyError):
        services.record_need(
            establishment,
            data={"subject": NeedSubjectFactory(), "contact": ContactFactory()},
            actor=Actor.of(MembershipFactory()),
        )
    assert not establishment.needs.exists()


def test_the_leader_loader_opens_only_the_leader_s_company():
    account = LeaderAccountFactory()
    request = RequestFactory().get("/")
    request.user = account.user
    assert portal.leader_establishment(request, account.establishment.public_id) == (
        account.establishment
    )
    request.user = UserFactory()
    with pytest.raises(Http404):
        portal.leader_establishment(request, account.establishment.public_id)
    account.is_active = False
    account.save()
    request.user = account.user
    with pytest.raises(Http404):
        portal.leader_establishment(request, account.establishment.public_id)


def test_a_non_diffusible_individual_entrepreneur_is_never_named():
    establishment = EstablishmentFactory(
        legal_unit__is_individual=True, legal_unit__name="Jeanne Martin", diffusion="N"
    )
    assert "Martin" not in establishment.display_name
    assert establishment.hides_address
