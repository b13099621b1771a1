"""The single-use links of the companies' side hold under concurrency (``tests.concurrency``):
a leader invitation accepted 10 times at the same instant makes one account and one leader
access, and the leader's satisfaction link posted 10 times at once records one answer. The
others are refused in French; none meets a server error."""

import pytest

from tests.concurrency import Request, stage

CLIENTS = 10
PASSWORD = "Tisserand-Concurrence-2026"

INVITATION = """
from datetime import timedelta
from django.urls import reverse
from django.utils import timezone
from tests.companies.factories import ContactFactory
from tisserand.companies.models import LeaderInvitation
from tisserand.companies.portal_invitations import digest

contact = ContactFactory(email="dirigeante.concurrence@exemple.invalid")
now = timezone.now()
invitation = LeaderInvitation.objects.create(
    establishment=contact.establishment, contact=contact, email=contact.email,
    token_digest=digest("jeton-concurrence"), created_at=now,
    expires_at=now + timedelta(days=7),
)
result = {{
    "invitation": invitation.pk,
    "url": reverse("companies:portal_accept", args=["jeton-concurrence"]),
}}
"""

ACCOUNTS = """
from django.contrib.auth import get_user_model
from tisserand.companies.models import LeaderAccount, LeaderInvitation
email = "dirigeante.concurrence@exemple.invalid"
result = [
    get_user_model().objects.filter(email__iexact=email).count(),
    LeaderAccount.objects.filter(user__email__iexact=email).count(),
    LeaderInvitation.objects.get(pk={invitation}).accepted_at is not None,
]
"""


@pytest.mark.django_db(transaction=True)
def test_a_leader_invitation_accepted_ten_times_at_once_serves_once(request, tmp_path):
    with stage(request, tmp_path) as running:
        made = running.run(INVITATION)
        answers = running.all_at_once(
            [Request(made["url"], {"password1": PASSWORD, "password2": PASSWORD})] * CLIENTS
        )
        users, accounts, accepted = running.run(ACCOUNTS, invitation=made["invitation"])
    welcomed = [answer for answer in answers if "Vous accédez au portail" in answer.page]
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
    assert (users, accounts, accepted) == (1, 1, True)


SATISFACTION = """
from datetime import timedelta
from django.urls import reverse
from django.utils import timezone
from tests.companies.factories import ContactFactory, NeedFactory
from tisserand.companies import satisfaction
from tisserand.companies.models import SatisfactionRequest

contact = ContactFactory()
need = NeedFactory(establishment=contact.establishment, contact=contact)
now = timezone.now()
asked = SatisfactionRequest.objects.create(
    need=need, email=contact.email, token_digest=satisfaction.digest("avis-concurrence"),
    sent_at=now, expires_at=now + timedelta(days=30),
)
result = {{
    "request": asked.pk,
    "url": reverse("companies:satisfaction_answer", args=["avis-concurrence"]),
}}
"""

ANSWERED = """
from tisserand.companies.models import SatisfactionRequest
from tisserand.core.models import TimelineEvent
asked = SatisfactionRequest.objects.get(pk={request})
result = [
    asked.answered_at is not None,
    TimelineEvent.objects.filter(
        subject_id=str(asked.need_id), summary__startswith="Le dirigeant a répondu"
    ).count(),
]
"""


@pytest.mark.django_db(transaction=True)
def test_a_satisfaction_link_posted_ten_times_at_once_records_one_answer(request, tmp_path):
    with stage(request, tmp_path) as running:
        made = running.run(SATISFACTION)
        answers = running.all_at_once(
            [Request(made["url"], {"contacted": "oui", "useful": "oui", "outcome": "Un CDI"})]
            * CLIENTS
        )
        answered, recorded = running.run(ANSWERED, request=made["request"])
    assert sorted(answer.status for answer in answers) == [200] + [404] * (CLIENTS - 1)
    refused = "Ce lien n&#x27;est pas valable : il a déjà servi"
    assert sum(refused in answer.page for answer in answers) == CLIENTS - 1
    assert (answered, recorded) == (True, 1)
