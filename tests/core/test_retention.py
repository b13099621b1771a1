"""The retention rules other than persons' records, each from both sides (kept on the limit's
last day, processed the day after), and what every rule shares: holds, dry run, idempotence."""

import datetime
import hashlib
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tests.companies.factories import ContactFactory
from tests.factories import StructureFactory, UserFactory
from tests.opportunities.factories import JobOfferFactory
from tests.referrals.factories import referral_row
from tisserand.appointments.models import Appointment
from tisserand.companies.models import LeaderInvitation
from tisserand.core import retention
from tisserand.core.models import RecordAccess
from tisserand.opportunities.models import AlertDelivery, SavedSearch
from tisserand.referrals.models import Referral
from tisserand.structures.models import Invitation

D = datetime.date


def at_noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def processed(day, key):
    return next(o for o in retention.apply(day) if o.rule.key == key).processed


def access_line(person, day):
    return RecordAccess.objects.create(
        accessed_at=at_noon(day),
        user=UserFactory(),
        owner_structure=person.owner_structure,
        subject_type_id=1,
        subject_id=str(person.pk),
        subject_label=str(person),
        path="/personnes/x/",
    )


def test_access_log_lines_go_the_day_after_their_12_months(person):
    line = access_line(person, D(2025, 4, 2))
    assert processed(D(2026, 4, 2), "core.access_log") == 0
    assert RecordAccess.objects.filter(pk=line.pk).exists()
    assert processed(D(2026, 4, 3), "core.access_log") == 1
    assert not RecordAccess.objects.filter(pk=line.pk).exists()


def test_a_held_access_line_is_kept_until_the_hold_is_lifted(person):
    line = access_line(person, D(2020, 1, 1))
    retention.place_hold(line, reason="Enquête de la CNIL")
    assert processed(D(2026, 1, 1), "core.access_log") == 0
    assert retention.lift_holds(line) == 1
    assert processed(D(2026, 1, 1), "core.access_log") == 1


def test_a_dry_run_names_what_would_go_and_changes_nothing(person):
    access_line(person, D(2020, 1, 1))
    out = StringIO()
    call_command("apply_retention", "--dry-run", "--date", "2026-01-01", stdout=out)
    assert "[simulation] core.access_log : 0 avis à envoyer, 1 à traiter (suppression)" in (
        out.getvalue()
    )
    assert "suppression : accès du 01/01/2020 à Amina BENALI" in out.getvalue()
    assert RecordAccess.objects.count() == 1


def test_the_command_reports_each_rule_and_a_second_run_does_nothing(person):
    access_line(person, D(2020, 1, 1))
    out = StringIO()
    call_command("apply_retention", "--date", "2026-01-01", stdout=out)
    assert "core.access_log : 0 avis envoyé(s), 1 traité(s) (suppression)." in out.getvalue()
    out = StringIO()
    call_command("apply_retention", "--date", "2026-01-01", stdout=out)
    assert "core.access_log : 0 avis envoyé(s), 0 traité(s)" in out.getvalue()


def test_the_periodic_task_runs_every_rule(person):
    from tisserand.core.tasks import apply_retention_task

    access_line(person, D(2000, 1, 1))
    result = apply_retention_task.enqueue().return_value
    assert result["core.access_log"] == [0, 1]
    assert set(result) == {rule.key for rule in retention.rules}


def invitation(created_on, **more):
    row = Invitation.objects.create(
        structure=StructureFactory(),
        email="nouvelle@exemple.test",
        first_name="Nina",
        last_name="Roux",
        role="referent",
        **more,
    )
    Invitation.objects.filter(pk=row.pk).update(created_at=at_noon(created_on))
    return row


def test_an_unaccepted_invitation_goes_30_days_after_its_link_expired():
    row = invitation(D(2026, 1, 1))  # the link expires on 08/01, the grace ends on 07/02
    assert processed(D(2026, 2, 7), "structures.invitations") == 0
    assert processed(D(2026, 2, 8), "structures.invitations") == 1
    assert not Invitation.objects.filter(pk=row.pk).exists()


def test_an_accepted_invitation_stays():
    row = invitation(D(2026, 1, 1), accepted_at=at_noon(D(2026, 1, 2)))
    assert processed(D(2027, 1, 1), "structures.invitations") == 0
    assert Invitation.objects.filter(pk=row.pk).exists()


def leader_invitation(expires_on, **more):
    contact = ContactFactory()
    return LeaderInvitation.objects.create(
        establishment=contact.establishment,
        contact=contact,
        email=contact.email,
        token_digest=hashlib.sha256(contact.email.encode()).hexdigest(),
        created_at=at_noon(expires_on - datetime.timedelta(days=7)),
        expires_at=at_noon(expires_on),
        **more,
    )


def test_an_unaccepted_leader_invitation_goes_30_days_after_it_expired():
    row = leader_invitation(D(2026, 1, 1))
    accepted = leader_invitation(D(2026, 1, 1), accepted_at=at_noon(D(2025, 12, 28)))
    assert processed(D(2026, 1, 31), "companies.leader_invitations") == 0
    assert processed(D(2026, 2, 1), "companies.leader_invitations") == 1
    assert not LeaderInvitation.objects.filter(pk=row.pk).exists()
    assert LeaderInvitation.objects.filter(pk=accepted.pk).exists()


def test_a_referral_link_is_forgotten_30_days_after_it_expired_the_referral_stays(person):
    row = referral_row(person, link_digest="a" * 64, link_expires_at=at_noon(D(2026, 1, 1)))
    assert processed(D(2026, 1, 31), "referrals.answer_links") == 0
    assert processed(D(2026, 2, 1), "referrals.answer_links") == 1
    row = Referral.objects.get(pk=row.pk)
    assert (row.link_digest, row.link_expires_at) == (None, None)


def alert_delivery(sent_on, offer):
    search = SavedSearch.objects.create(
        user=UserFactory(),
        structure=StructureFactory(),
        label="Boulangerie",
        unsubscribe_digest=hashlib.sha256(str(offer.pk).encode()).hexdigest(),
    )
    return AlertDelivery.objects.create(search=search, offer=offer, sent_at=at_noon(sent_on))


def test_an_alert_send_log_line_goes_12_months_after_once_its_offer_is_closed():
    closed = alert_delivery(
        D(2025, 3, 1), JobOfferFactory(status="closed", closed_at=timezone.now())
    )
    open_offer = alert_delivery(D(2025, 3, 1), JobOfferFactory())
    assert processed(D(2026, 3, 1), "opportunities.alert_deliveries") == 0
    assert processed(D(2026, 3, 2), "opportunities.alert_deliveries") == 1
    assert not AlertDelivery.objects.filter(pk=closed.pk).exists()
    assert AlertDelivery.objects.filter(pk=open_offer.pk).exists()


def test_the_reminders_send_log_of_an_appointment_goes_after_12_months(person, referent):
    appointment = Appointment.objects.create(
        person=person,
        counsellor=referent.user,
        structure=referent.structure,
        starts_at=at_noon(D(2025, 3, 1)),
        subject="Point d'étape",
        reminder_sent_at=at_noon(D(2025, 2, 28)),
        sms_reminder_sent_at=at_noon(D(2025, 2, 28)),
    )
    assert processed(D(2026, 3, 1), "appointments.send_log") == 0
    assert processed(D(2026, 3, 2), "appointments.send_log") == 1
    appointment.refresh_from_db()
    assert (appointment.reminder_sent_at, appointment.sms_reminder_sent_at) == (None, None)
    assert processed(D(2026, 3, 2), "appointments.send_log") == 0
