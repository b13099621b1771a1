"""Referrals: consent and scopes, the state machine (by constraints and by the services), the
personal link (digest only, 8 days, single purpose), reminders and expiry (idempotent, with
the dates given), the timeline and the sender's notices, who sees a referral."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import StructureFactory
from tests.people.factories import PersonFactory
from tests.referrals.factories import make_service, network_entry, refer
from tisserand.core.actor import Actor
from tisserand.core.timeline import events_about
from tisserand.referrals import services
from tisserand.referrals.models import Notice, Referral, ReferralState, StepKind
from tisserand.structures.roles import Role


@pytest.fixture
def receiving(make_member):
    """A partner structure of the network and the member who answers for it."""
    return make_member(Role.PARTNER, StructureFactory(name="Centre social Fraternité"))


@pytest.fixture
def network_service(receiving, area):
    return make_service(network_entry(receiving.structure), name="Crèche", commune=area["roubaix"])


@pytest.fixture
def outside_service(area):
    return make_service(name="Halte-garderie associative", commune=area["lys"])


# --- Sending -----------------------------------------------------------------------------------


def test_only_consented_scopes_are_shared(person, referent, network_service):
    person.phone = "+33320000000"
    person.save(update_fields=["phone"])
    referral, token = refer(person, network_service, referent, scopes=["identity"])
    assert token is None  # a member of the network answers in Tisserand
    assert referral.shared_scopes == ["identity"]
    assert referral.shared_data["Nom"] == person.full_name
    assert (
        "Situation" not in referral.shared_data and "Permis de conduire" not in referral.shared_data
    )
    assert referral.consent_recorded_at is not None
    assert referral.receiving_structure == network_service.structure.network_structure


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"message": "Bonjour", "scopes": ["identity"], "consent": False}, "consentement"),
        ({"message": "Bonjour", "scopes": [], "consent": True}, "informations"),
        ({"message": "Bonjour", "scopes": ["accompaniment"], "consent": True}, "ne peuvent pas"),
        ({"message": " ", "scopes": ["identity"], "consent": True}, "message"),
    ],
)
def test_bad_referrals_are_refused_and_nothing_is_written(
    person, referent, network_service, data, message
):
    with pytest.raises(services.ReferralError, match=message):
        services.send_referral(
            person=person, service=network_service, data=data, actor=Actor.of(referent)
        )
    assert not Referral.objects.exists()


def test_one_waiting_referral_per_person_and_service(person, referent, network_service):
    refer(person, network_service, referent)
    with pytest.raises(services.ReferralError, match="attend déjà"):
        refer(person, network_service, referent)
    assert Referral.objects.count() == 1


def test_the_receiving_structure_is_told_and_the_person_timeline_shows_it(
    person, referent, receiving, network_service
):
    refer(person, network_service, referent)
    assert mail.outbox[-1].to == [receiving.user.email]
    summaries = [event.summary for event in events_about(person)]
    assert any("Orientation envoyée vers « Crèche »" in s for s in summaries)


# --- Answering in Tisserand --------------------------------------------------------------------


def test_accepting_notifies_the_sender_and_cannot_be_answered_again(
    person, referent, receiving, network_service
):
    referral, _ = refer(person, network_service, referent)
    mail.outbox.clear()
    services.answer(
        referral, data={"decision": "accept", "message": "RDV lundi"}, actor=Actor.of(receiving)
    )
    referral.refresh_from_db()
    assert referral.state == ReferralState.ACCEPTED and referral.answered_at
    assert Notice.objects.get(recipient=referent.user, referral=referral)
    assert mail.outbox[-1].to == [referent.user.email]
    with pytest.raises(services.AlreadyAnswered):
        services.answer(
            referral, data={"decision": "refuse", "reason": "full"}, actor=Actor.of(receiving)
        )
    referral.refresh_from_db()
    assert referral.state == ReferralState.ACCEPTED
    summaries = [event.summary for event in events_about(person)]
    assert any("Orientation acceptée" in s for s in summaries)
    assert any("Orientation envoyée" in s for s in summaries)


def test_a_refusal_needs_a_reason_visible_to_the_sender(
    person, referent, receiving, network_service, client_for
):
    referral, _ = refer(person, network_service, referent)
    with pytest.raises(services.ReferralError, match="motif"):
        services.answer(
            referral, data={"decision": "refuse", "reason": ""}, actor=Actor.of(receiving)
        )
    services.answer(
        referral, data={"decision": "refuse", "reason": "full"}, actor=Actor.of(receiving)
    )
    page = client_for(referent).get(reverse("referrals:detail", args=[referral.public_id]))
    assert "Plus de place disponible" in page.content.decode()


def test_asking_for_more_keeps_the_referral_waiting(person, referent, receiving, network_service):
    referral, _ = refer(person, network_service, referent)
    services.answer(
        referral,
        data={"decision": "ask", "message": "Quel âge ont les enfants ?"},
        actor=Actor.of(receiving),
    )
    referral.refresh_from_db()
    assert referral.state == ReferralState.SENT
    assert Notice.objects.filter(recipient=referent.user, text__contains="précisions").exists()
    services.add_information(referral, data={"message": "2 et 4 ans"}, actor=Actor.of(referent))
    assert list(referral.steps.values_list("kind", flat=True)) == [
        StepKind.SENT, StepKind.INFO_REQUESTED, StepKind.INFO_GIVEN,
    ]  # fmt: skip


def test_the_state_machine_is_held_by_constraints(person, referent, network_service):
    referral, _ = refer(person, network_service, referent)
    rows = Referral.objects.filter(pk=referral.pk)
    for values in (
        {"state": ReferralState.ACCEPTED},  # accepted without an answer date
        {"state": ReferralState.REFUSED, "answered_at": timezone.now()},  # without a reason
        {"state": ReferralState.EXPIRED},  # expired without a date
        {"answered_at": timezone.now()},  # an answer date while waiting
        {"state": "lost"},
        {"shared_scopes": []},
        {"state": ReferralState.ACCEPTED, "answered_at": referral.sent_at - timedelta(days=1)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.update(**values)
    assert rows.get().state == ReferralState.SENT


# --- The personal link -------------------------------------------------------------------------


def test_the_link_opens_that_referral_only_and_stores_its_digest(
    person, referent, outside_service, client
):
    referral, token = refer(person, outside_service, referent)
    other, other_token = refer(
        PersonFactory(owner_structure=referent.structure), make_service(), referent
    )
    assert token not in referral.link_digest and len(referral.link_digest) == 64
    assert mail.outbox[0].to == ["service@exemple.test"] and token in mail.outbox[0].body
    page = client.get(reverse("referrals:link", args=[token]))
    assert page.status_code == 200
    text = page.content.decode()
    assert person.full_name in text and other.person.full_name not in text
    assert client.get(reverse("referrals:link", args=["faux-jeton"])).status_code == 404
    # The link opens nothing else: not the referral's page, not the person.
    assert client.get(reverse("referrals:detail", args=[referral.public_id])).status_code == 302


def test_the_partner_answers_through_the_link_once(person, referent, outside_service, client):
    referral, token = refer(person, outside_service, referent)
    url = reverse("referrals:link", args=[token])
    response = client.post(url, {"name": "Camille Durand", "decision": "accept", "message": "OK"})
    assert "Merci" in response.content.decode()
    referral.refresh_from_db()
    assert (
        referral.state == ReferralState.ACCEPTED and referral.answered_by_name == "Camille Durand"
    )
    assert referral.link_digest is None
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"name": "X", "decision": "refuse", "reason": "full"}).status_code == 404
    )
    referral.refresh_from_db()
    assert referral.state == ReferralState.ACCEPTED
    summaries = [event.summary for event in events_about(person)]
    assert any("Orientation acceptée" in s and "Camille Durand" in s for s in summaries)


def test_the_link_without_a_name_is_refused(person, referent, outside_service, client):
    _, token = refer(person, outside_service, referent)
    response = client.post(reverse("referrals:link", args=[token]), {"decision": "accept"})
    assert response.status_code == 200
    assert Referral.objects.get().state == ReferralState.SENT


def test_the_link_expires_after_8_days(person, referent, outside_service):
    referral, token = refer(person, outside_service, referent)
    assert (
        services.referral_for_link(token, timezone.now() + timedelta(days=7, hours=23)) == referral
    )
    assert services.referral_for_link(token, timezone.now() + timedelta(days=8, minutes=1)) is None


# --- Reminders and expiry ----------------------------------------------------------------------


def test_reminder_after_7_days_then_expiry_after_15_idempotent(person, referent, outside_service):
    referral, first_token = refer(person, outside_service, referent)
    sent = referral.sent_at
    mail.outbox.clear()
    assert services.process_due(sent + timedelta(days=6)) == (0, 0)
    assert services.process_due(sent + timedelta(days=7, minutes=1)) == (1, 0)
    assert services.process_due(sent + timedelta(days=7, minutes=2)) == (0, 0)  # once
    reminder = mail.outbox[-1]
    assert "Relance" in reminder.subject
    referral.refresh_from_db()
    # A fresh link, valid until the referral expires; the first one no longer opens it.
    assert services.referral_for_link(first_token) is None
    assert referral.link_expires_at == sent + timedelta(days=15)
    assert services.process_due(sent + timedelta(days=15, minutes=1)) == (0, 1)
    assert services.process_due(sent + timedelta(days=16)) == (0, 0)
    referral.refresh_from_db()
    assert referral.state == ReferralState.EXPIRED and referral.link_digest is None
    assert Notice.objects.filter(recipient=referent.user, text__contains="expiré").exists()
    summaries = [event.summary for event in events_about(person)]
    assert any("expirée" in s for s in summaries)
    with pytest.raises(services.AlreadyAnswered):
        services.answer(referral, data={"decision": "accept"}, by_name="Trop tard")


def test_the_task_runs_the_schedule(person, referent, outside_service):
    from tisserand.referrals import tasks

    referral, _ = refer(person, outside_service, referent)
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - timedelta(days=16))
    result = tasks.run_schedule.enqueue()
    assert result.return_value["expired"] == 1


# --- Who sees a referral -----------------------------------------------------------------------


def test_a_referral_is_seen_by_both_sides_only(
    person, referent, receiving, network_service, client_for, make_member
):
    referral, _ = refer(person, network_service, referent)
    url = reverse("referrals:detail", args=[referral.public_id])
    assert client_for(referent).get(url).status_code == 200
    page = client_for(receiving).get(url)
    assert page.status_code == 200 and person.full_name in page.content.decode()
    for outsider in (
        make_member(Role.PARTNER),  # another structure
        make_member(Role.PARTNER, referent.structure),  # the sender's structure, not the person's
        make_member(Role.BUSINESS, receiving.structure),  # does not answer referrals
        make_member(Role.FUNDER, receiving.structure),
    ):
        assert client_for(outsider).get(url).status_code == 403
    assert (
        client_for(make_member(Role.PARTNER))
        .post(reverse("referrals:answer", args=[referral.public_id]), {"decision": "accept"})
        .status_code
        == 403
    )
    assert Referral.objects.get().state == ReferralState.SENT


def test_the_sender_cannot_answer_its_own_referral(person, referent, network_service, client_for):
    referral, _ = refer(person, network_service, referent)
    response = client_for(referent).post(
        reverse("referrals:answer", args=[referral.public_id]), {"decision": "accept"}
    )
    assert response.status_code == 403
    assert Referral.objects.get().state == ReferralState.SENT


def test_the_partner_asks_for_more_through_the_link_which_stays_valid(
    person, referent, outside_service, client, client_for
):
    referral, token = refer(person, outside_service, referent)
    url = reverse("referrals:link", args=[token])
    client.post(url, {"name": "Camille", "decision": "ask", "message": "Âge de l'enfant ?"})
    referral.refresh_from_db()
    assert referral.state == ReferralState.SENT
    assert client.get(url).status_code == 200
    # The sender answers; the partner gets a fresh link by e-mail, the old one is void.
    mail.outbox.clear()
    client_for(referent).post(
        reverse("referrals:information", args=[referral.public_id]), {"message": "2 ans"}
    )
    assert mail.outbox[-1].to == ["service@exemple.test"]
    assert "/orientations/reponse/" in mail.outbox[-1].body
    assert services.referral_for_link(token) is None


def test_thematics_load_once():
    from tisserand.referrals.models import Thematic
    from tisserand.referrals.thematics import load_thematics

    count = Thematic.objects.count()
    assert count == 149
    assert load_thematics() == 0
    assert Thematic.objects.count() == count


def test_the_services_check_who_answers(
    person, referent, receiving, network_service, outside_service, make_member
):
    referral, _ = refer(person, network_service, referent)
    stranger = make_member(Role.PARTNER)
    with pytest.raises(services.ReferralError, match="structure qui reçoit"):
        services.answer(referral, data={"decision": "accept"}, actor=Actor.of(stranger))
    with pytest.raises(services.ReferralError, match="dans Tisserand"):
        services.answer(referral, data={"decision": "accept"}, by_name="Quelqu'un")
    with pytest.raises(services.ReferralError, match="structure qui a orienté"):
        services.add_information(referral, data={"message": "x"}, actor=Actor.of(receiving))
    outside, _ = refer(person, outside_service, referent)
    with pytest.raises(services.ReferralError, match="structure qui reçoit"):
        services.answer(outside, data={"decision": "accept"}, actor=Actor.of(receiving))
    assert set(Referral.objects.values_list("state", flat=True)) == {ReferralState.SENT}


def test_the_links_of_the_emails_use_the_site_address(person, referent, outside_service):
    referral, token = services.send_referral(
        person=person,
        service=outside_service,
        data={"message": "Bonjour", "scopes": ["identity"], "consent": True},
        actor=Actor.of(referent),
        base_url="https://tisserand.example.org/",
    )
    assert f"https://tisserand.example.org/orientations/reponse/{token}/" in mail.outbox[-1].body
    services.process_due(referral.sent_at + timedelta(days=8), base_url="https://site.test")
    assert "https://site.test/orientations/reponse/" in mail.outbox[-1].body
