"""Navigation, the members' hub, and the contact requests received from the public page."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tisserand.core.navigation import entries_for
from tisserand.guidance import services
from tisserand.guidance.models import ContactRequest
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role

USING_GUIDANCE = [Role.ADMIN, Role.REFERENT, Role.PARTNER, Role.DIRECTOR, Role.BUSINESS]
NOT_USING = [Role.FUNDER, Role.CLAUSE_FACILITATOR]


@pytest.mark.parametrize("role", USING_GUIDANCE)
def test_the_roles_that_guide_see_orientation(make_member, client_for, role):
    member = make_member(role)
    assert "Orientation" in [entry.label for entry in entries_for(member)]
    assert client_for(member).get(reverse("guidance:hub")).status_code == 200


@pytest.mark.parametrize("role", NOT_USING)
def test_other_roles_do_not(make_member, client_for, role):
    member = make_member(role)
    assert "Orientation" not in [entry.label for entry in entries_for(member)]
    assert client_for(member).get(reverse("guidance:hub")).status_code == 403


def test_the_hub_wants_a_login(client):
    response = client.get(reverse("guidance:hub"))
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_the_login_page_points_to_the_public_tool(client):
    # The public tool is reachable without an account (a link belongs on the login page).
    assert client.get(reverse("guidance:explore")).status_code == 200


@pytest.fixture
def mde(structure):
    structure.kind = StructureKind.MAISON_EMPLOI
    structure.save()
    return structure


def request_for(structure, **changes):
    values = {
        "first_name": "Inès",
        "last_name": "Martin",
        "email": "ines@example.org",
        "preferred_means": "email",
        "share_profile": False,
    }
    values.update(changes)
    contact = services.create_contact_request(values)
    contact.structure = structure
    contact.save()
    return contact


def test_the_maison_de_l_emploi_reads_and_handles_requests(make_member, client_for, mde):
    contact = request_for(mde, message="Je cherche une formation.")
    referent = make_member(Role.REFERENT, mde)
    client = client_for(referent)
    hub = client.get(reverse("guidance:hub")).content.decode()
    assert "Demandes de contact" in hub
    page = client.get(reverse("guidance:contact_requests")).content.decode()
    assert "Je cherche une formation." in page and "ines@example.org" in page
    response = client.post(reverse("guidance:contact_request_handled", args=[contact.public_id]))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.handled_by == referent.user and contact.handled_at is not None
    assert (
        "ines@example.org" not in client.get(reverse("guidance:contact_requests")).content.decode()
    )


@pytest.mark.parametrize("role", [Role.PARTNER, Role.BUSINESS, Role.FUNDER])
def test_other_roles_of_the_maison_de_l_emploi_do_not_read_requests(
    make_member, client_for, mde, role
):
    request_for(mde)
    member = make_member(role, mde)
    assert client_for(member).get(reverse("guidance:contact_requests")).status_code == 403


def test_other_structures_do_not_read_requests(make_member, client_for, mde, other_structure):
    contact = request_for(mde)
    stranger = make_member(Role.REFERENT, other_structure)
    client = client_for(stranger)
    assert client.get(reverse("guidance:contact_requests")).status_code == 403
    other_mde = make_member(Role.ADMIN)
    other_mde.structure.kind = StructureKind.MAISON_EMPLOI
    other_mde.structure.save()
    response = client_for(other_mde).post(
        reverse("guidance:contact_request_handled", args=[contact.public_id])
    )
    assert response.status_code == 403


def test_requests_are_deleted_after_the_retention_period(mde):
    old = request_for(mde)
    old.created_at = timezone.now() - datetime.timedelta(days=services.RETENTION_DAYS + 1)
    old.save()
    recent = request_for(mde)
    output = io.StringIO()
    call_command("purge_contact_requests", stdout=output)
    assert output.getvalue().startswith("1 demande(s)")
    assert list(ContactRequest.objects.all()) == [recent]
