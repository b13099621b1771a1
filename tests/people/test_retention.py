"""Retention of persons' records: anonymised the day after 24 months without contact, the
référent told 30 days ahead, never while something keeps the record; the figures unchanged."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.accompaniment.factories import AccompanimentFactory
from tests.factories import StructureFactory
from tests.people.factories import ConsentFactory, NoteFactory, PersonFactory
from tests.reporting import factories as f
from tisserand.appointments.models import Appointment
from tisserand.core import retention, timeline
from tisserand.core.actor import Actor
from tisserand.core.documents import attach
from tisserand.core.models import (
    Document,
    LegalHold,
    RecordAccess,
    RetentionNotice,
    TimelineEvent,
    TimelineMention,
)
from tisserand.people.models import Note, Person
from tisserand.reporting import esf
from tisserand.reporting.indicators import Scope, get

D = datetime.date
LAST_CONTACT = D(2024, 3, 10)
LAST_KEPT_DAY = D(2026, 3, 10)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def at_noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def last_seen(person, day=LAST_CONTACT):
    """``person`` created on ``day`` and untouched since (its timeline dated that day too)."""
    Person.objects.filter(pk=person.pk).update(created_at=at_noon(day))
    TimelineMention.objects.filter(object_id=str(person.pk)).update(occurred_at=at_noon(day))
    person.refresh_from_db()
    return person


def run(day):
    return {outcome.rule.key: outcome for outcome in retention.apply(day)}


def is_anonymised(person):
    return Person.objects.get(pk=person.pk).anonymised_at is not None


@pytest.fixture
def old(person):
    return last_seen(person)


def test_a_record_is_kept_on_the_last_day_and_anonymised_the_day_after(old):
    run(LAST_KEPT_DAY)
    assert not is_anonymised(old)
    outcomes = run(LAST_KEPT_DAY + datetime.timedelta(days=1))
    assert outcomes["people.inactive_persons"].processed == 1
    anonymised = Person.objects.get(pk=old.pk)
    assert (anonymised.first_name, anonymised.last_name) == ("Anonyme", "Anonyme")
    assert anonymised.birth_date == D(1990, 1, 1)


def test_a_later_timeline_event_pushes_the_limit_back(old):
    event = timeline.record(old, "action", "Entretien téléphonique", about=old)
    TimelineEvent.objects.filter(pk=event.pk).update(occurred_at=at_noon(D(2024, 9, 1)))
    event.mentions.update(occurred_at=at_noon(D(2024, 9, 1)))
    run(D(2026, 9, 1))
    assert not is_anonymised(old)
    run(D(2026, 9, 2))
    assert is_anonymised(old)


def test_an_open_accompaniment_keeps_the_record_a_closed_one_does_not(old, referent):
    open_path = AccompanimentFactory(person=old, entry_date=D(2024, 1, 8))
    run(D(2027, 1, 1))
    assert not is_anonymised(old)
    open_path.status, open_path.exit_date, open_path.exit_type = "closed", D(2024, 3, 1), "cdi"
    open_path.exit_comment = "Embauchée chez sa tante"
    open_path.save()
    run(D(2027, 1, 1))
    assert is_anonymised(old)
    open_path.refresh_from_db()
    assert (open_path.exit_type, open_path.exit_comment) == ("cdi", "")


def test_a_consent_in_force_keeps_the_record_a_withdrawn_one_does_not(old):
    consent = ConsentFactory(person=old, given_at=at_noon(D(2024, 1, 15)))
    run(D(2027, 1, 1))
    assert not is_anonymised(old)
    consent.withdrawn_at = at_noon(D(2024, 2, 1))
    consent.save()
    run(D(2027, 1, 1))
    assert is_anonymised(old)


def test_a_legal_hold_keeps_the_record_until_lifted(old):
    retention.place_hold(old, reason="Contentieux prud'homal en cours")
    run(D(2027, 1, 1))
    assert not is_anonymised(old)
    retention.lift_holds(old)
    run(D(2027, 1, 1))
    assert is_anonymised(old)


def test_an_appointment_to_come_keeps_the_record(old, referent):
    appointment = Appointment.objects.create(
        person=old,
        counsellor=referent.user,
        structure=referent.structure,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        subject="Point d'étape",
    )
    run(D(2027, 1, 1))
    assert not is_anonymised(old)
    appointment.cancelled_at = timezone.now()
    appointment.save()
    run(D(2027, 1, 1))
    assert is_anonymised(old)


def test_demo_records_are_left_alone(structure):
    demo = last_seen(PersonFactory(owner_structure=structure, is_demo=True))
    run(D(2027, 1, 1))
    assert not is_anonymised(demo)


def test_anonymising_erases_identity_notes_history_documents_and_their_files(
    old, referent, django_capture_on_commit_callbacks
):
    Person.objects.filter(pk=old.pk).update(
        email="amina@example.org", phone="+33612345678", address_line="3 rue des Arts"
    )
    NoteFactory(person=old, author=referent.user, structure=referent.structure)
    upload = SimpleUploadedFile("cni.pdf", PDF, content_type="application/pdf")
    document = attach(old, upload, actor=Actor(referent.user, referent.structure), label="CNI")
    stored = Path(document.file.path)
    timeline.record(
        old, "changed", "Fiche modifiée", changes=[{"field": "nom", "before": "Benali"}]
    )
    RecordAccess.objects.create(
        user=referent.user,
        owner_structure=old.owner_structure,
        subject_type_id=Document.objects.get().subject_type_id,
        subject_id=str(old.pk),
        subject_label="Amina BENALI",
        path="/personnes/x/",
        accessed_at=timezone.now(),
    )
    last_seen(old)
    with django_capture_on_commit_callbacks(execute=True):
        run(D(2027, 1, 1))
    anonymised = Person.objects.get(pk=old.pk)
    assert (anonymised.email, anonymised.phone, anonymised.address_line) == ("", "", "")
    assert not Note.objects.filter(person=old).exists()
    assert not Document.objects.exists()
    assert not stored.exists()
    assert all(not event.changes for event in timeline.events_for(anonymised))
    assert RecordAccess.objects.get().subject_label == "Personne anonymisée"
    assert "Benali" not in anonymised.search_name


def test_the_esf_figures_and_indicators_are_the_same_after_anonymisation():
    house = StructureFactory(kind="maison_emploi")
    rows = f.many(house, 6, gender="female", qpv="in_qpv", exit_date=D(2025, 4, 1), exit_type="cdi")
    rows += f.many(
        house, 5, gender="male", birth=D(2001, 11, 20), exit_date=D(2025, 5, 2), exit_type="cdi"
    )
    for row in rows:
        last_seen(row.person, D(2025, 5, 2))
    codes = [
        "accompanied",
        "accompanied_women",
        "accompanied_qpv",
        "accompanied_under_26",
        "exits",
        "positive_exits",
    ]

    def figures():
        return (
            [get(code).compute(Scope(), f.YEAR) for code in codes],
            [table.rows for table in esf.tables(Scope(), f.YEAR)],
        )

    before = figures()
    assert run(D(2027, 6, 1))["people.inactive_persons"].processed == 11
    assert figures() == before
    assert before[0][0] == 11


def test_the_referent_is_told_30_days_ahead_once(old, referent):
    run(D(2026, 2, 8))
    assert mail.outbox == []
    run(D(2026, 2, 9))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [referent.user.email]
    assert "Amina BENALI : anonymisé le 11/03/2026" in mail.outbox[0].body
    run(D(2026, 2, 10))
    assert len(mail.outbox) == 1
    run(D(2026, 3, 11))
    assert is_anonymised(old)
    assert not RetentionNotice.objects.exists()


def test_the_referent_is_told_again_when_new_activity_moved_the_day(old, referent):
    run(D(2026, 2, 9))
    assert len(mail.outbox) == 1
    event = timeline.record(old, "action", "Entretien téléphonique", about=old)
    event.mentions.update(occurred_at=at_noon(D(2024, 4, 10)))
    run(D(2026, 2, 10))
    assert len(mail.outbox) == 1
    run(D(2026, 3, 11))
    assert not is_anonymised(old)
    run(D(2026, 3, 12))
    assert len(mail.outbox) == 2
    assert "anonymisé le 11/04/2026" in mail.outbox[1].body


def test_the_command_is_idempotent(old):
    call_command("apply_retention", "--date", "2027-01-01", stdout=StringIO())
    anonymised_at = Person.objects.get(pk=old.pk).anonymised_at
    outcomes = run(D(2027, 1, 1))
    assert outcomes["people.inactive_persons"].processed == 0
    assert Person.objects.get(pk=old.pk).anonymised_at == anonymised_at


def test_a_dry_run_prints_what_would_be_done_and_changes_nothing(old, capsys):
    call_command("apply_retention", "--dry-run", "--date", "2027-01-01")
    out = capsys.readouterr().out
    assert "[simulation] people.inactive_persons : 0 avis à envoyer, 1 à traiter" in out
    assert "Amina BENALI (dernier contact le 10/03/2024)" in out
    assert not is_anonymised(old)
    assert mail.outbox == []


def test_a_wrong_date_is_refused_and_changes_nothing(old):
    with pytest.raises(CommandError, match="aaaa-mm-jj"):
        call_command("apply_retention", "--date", "01/01/2027")
    assert not is_anonymised(old)


def test_the_table_is_printed(capsys):
    call_command("apply_retention", "--table")
    out = capsys.readouterr().out
    assert "people.inactive_persons — Dossier d'une personne accompagnée" in out
    assert "core.access_log" in out


def test_the_referent_sees_when_the_record_will_be_anonymised(client_for, referent, old):
    page = client_for(referent).get(reverse("people:detail", args=[old.public_id]))
    assert "Conservation du dossier" in page.text
    assert "sera anonymisé le" in page.text


def test_another_member_does_not_see_the_retention_section(client_for, make_member, old):
    director = make_member("director", old.owner_structure)
    page = client_for(director).get(reverse("people:detail", args=[old.public_id]))
    assert page.status_code == 200
    assert "Conservation du dossier" not in page.text


def test_the_section_says_what_keeps_the_record(client_for, referent, old):
    ConsentFactory(person=old)
    page = client_for(referent).get(reverse("people:detail", args=[old.public_id]))
    assert "un consentement est en vigueur" in page.text


def test_a_user_without_email_is_not_mailed(old, referent):
    referent.user.email = ""
    referent.user.save()
    run(D(2026, 2, 9))
    assert mail.outbox == []


def hold_url(person, name="people:hold_place"):
    return reverse(name, args=[person.public_id])


def test_the_owner_administrator_places_a_hold_with_a_reason_and_lifts_it(
    client_for, make_member, old
):
    admin = client_for(make_member("admin", old.owner_structure))
    page = admin.get(reverse("people:detail", args=[old.public_id]))
    assert "Geler la conservation de ce dossier" in page.text
    response = admin.post(hold_url(old), {"reason": "Contentieux prud'homal"})
    assert response.status_code == 302
    assert retention.is_held(old)
    page = admin.get(reverse("people:detail", args=[old.public_id]))
    assert "un gel de conservation est posé sur ce dossier" in page.text
    assert admin.post(hold_url(old, "people:hold_lift")).status_code == 302
    assert not retention.is_held(old)


def test_a_hold_without_a_reason_is_refused_and_changes_nothing(client_for, make_member, old):
    admin = client_for(make_member("admin", old.owner_structure))
    response = admin.post(hold_url(old), {"reason": "   "})
    assert response.status_code == 200
    assert "Indiquez le motif du gel." in response.text
    assert not LegalHold.objects.exists()


def test_a_referent_may_not_place_or_lift_a_hold(client_for, referent, old):
    retention.place_hold(old, reason="Contrôle FSE+")
    client = client_for(referent)
    assert "Lever le gel" not in client.get(reverse("people:detail", args=[old.public_id])).text
    assert client.post(hold_url(old), {"reason": "Autre"}).status_code == 403
    assert client.post(hold_url(old, "people:hold_lift")).status_code == 403
    assert LegalHold.objects.filter(lifted_at__isnull=True).count() == 1


def test_another_structure_administrator_may_not_place_a_hold(client_for, make_member, old):
    outsider = client_for(make_member("admin", StructureFactory()))
    assert outsider.post(hold_url(old), {"reason": "Contentieux"}).status_code in (403, 404)
    assert not LegalHold.objects.exists()
