"""An invitation to a structure serves once under concurrency (``tests.concurrency``):
accepted 10 times at the same instant, it makes one account and one membership; the others
are refused in French, none meets a server error."""

import pytest

from tests.concurrency import Request, stage

CLIENTS = 10
PASSWORD = "Tisserand-Concurrence-2026"

INVITATION = """
from django.urls import reverse
from tests.factories import StructureFactory
from tisserand.structures.models import Invitation
from tisserand.structures.roles import Role

invitation = Invitation.objects.create(
    structure=StructureFactory(), email="conseillere.concurrence@exemple.invalid",
    first_name="Camille", last_name="Concurrence", role=Role.REFERENT,
)
result = {{
    "invitation": invitation.pk,
    "url": reverse("structures:accept_invitation", args=[invitation.token]),
}}
"""

ACCOUNTS = """
from django.contrib.auth import get_user_model
from tisserand.structures.models import Invitation, Membership
email = "conseillere.concurrence@exemple.invalid"
result = [
    get_user_model().objects.filter(email__iexact=email).count(),
    Membership.objects.filter(user__email__iexact=email).count(),
    Invitation.objects.get(pk={invitation}).accepted_at is not None,
]
"""


@pytest.mark.django_db(transaction=True)
def test_an_invitation_accepted_ten_times_at_once_serves_once(request, tmp_path):
    with stage(request, tmp_path) as running:
        made = running.run(INVITATION)
        answers = running.all_at_once(
            [Request(made["url"], {"password1": PASSWORD, "password2": PASSWORD})] * CLIENTS
        )
        users, memberships, accepted = running.run(ACCOUNTS, invitation=made["invitation"])
    welcomed = [answer for answer in answers if "Bienvenue ! Vous avez rejoint" in answer.page]
    assert len(welcomed) == 1 and welcomed[0].status == 302
    refused = "Cette invitation a expiré, a été annulée ou a déjà été utilisée."
    # Refused by the service (its French message) or, arrived once the invitation was used,
    # by the page itself: the invitation no longer valid (410), or its account now made.
    assert all(
        (answer.status == 410 and "Invitation non valable" in answer.page)
        or (answer.status == 302 and refused in answer.page)
        or (answer.status == 302 and "Vous avez déjà un compte : connectez-vous" in answer.page)
        for answer in answers
        if answer not in welcomed
    )
    assert (users, memberships, accepted) == (1, 1, True)
