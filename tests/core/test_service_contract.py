"""The service contract: an Actor, one DomainError base, its French message on pages and JSON."""

import json

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from tisserand.accompaniment.services import AccompanimentError
from tisserand.appointments.services import AppointmentError
from tisserand.core.actor import Actor
from tisserand.core.errors import DEFAULT_MESSAGE, DomainError, error_payload
from tisserand.core.feedback import json_error, report
from tisserand.guidance.engine.errors import EmptyProfileError
from tisserand.people.merging import MergeError
from tisserand.structures.services import InvitationError


class NameForm(forms.Form):
    name = forms.CharField()


def test_every_app_error_is_a_domain_error_with_its_code():
    for error_class in (AccompanimentError, AppointmentError, InvitationError, MergeError):
        assert issubclass(error_class, DomainError)
    assert MergeError.code == "merge_error"
    assert EmptyProfileError.code == "empty_profile_error"


def test_the_json_error_carries_the_code_and_the_french_message():
    error = AccompanimentError("Cet accompagnement est clos.")
    assert error_payload(error) == {
        "error": {"code": "accompaniment_error", "message": "Cet accompagnement est clos."}
    }
    response = json_error(error, status=409)
    assert response.status_code == 409
    assert json.loads(response.content) == error_payload(error)
    assert error_payload(DomainError())["error"]["message"] == DEFAULT_MESSAGE


def test_a_page_shows_the_error_next_to_the_field_or_as_a_message():
    form = NameForm({"name": "Lina"})
    assert form.is_valid()
    report(MergeError("Choisissez deux fiches différentes."), form=form, field="name")
    assert form.errors == {"name": ["Choisissez deux fiches différentes."]}
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    report(InvitationError("Invitation expirée."), request=request)
    assert [str(message) for message in get_messages(request)] == ["Invitation expirée."]


@pytest.mark.django_db
def test_the_actor_of_a_request_is_its_user_and_membership(make_member):
    membership = make_member()
    request = RequestFactory().get("/")
    request.user, request.membership = membership.user, membership
    actor = Actor.from_request(request)
    assert actor == Actor.of(membership)
    assert (actor.user, actor.structure, actor.role) == (
        membership.user,
        membership.structure,
        membership.role,
    )
    assert Actor(membership.user).structure is None
