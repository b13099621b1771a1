"""Exits that funders will read: the contract type suits the exit type (the exit typology), the
6-month follow-up is recorded in its window, the appointments to come are cancelled unless
kept."""

import datetime
import functools
from io import BytesIO

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.accompaniment.test_pages import errors_of, url
from tests.appointments.factories import AppointmentFactory
from tests.factories import StructureFactory
from tests.hooks import withdrawn
from tisserand.accompaniment import exit_typology, services
from tisserand.accompaniment.data_repairs import set_follow_up_windows
from tisserand.accompaniment.models import Accompaniment, EsfStage, SixMonthFollowUp, Status
from tisserand.accompaniment.services import AccompanimentError
from tisserand.appointments import reminders
from tisserand.appointments import services as appointments_services
from tisserand.appointments.models import Appointment
from tisserand.people import hooks as people_hooks
from tisserand.referentials.vocabularies import api as vocabularies

TODAY = timezone.localdate


@pytest.fixture
def as_referent(client_for, referent):
    return client_for(referent)


# --- The exit typology ------------------------------------------------------------------------


def test_the_typology_covers_every_shipped_exit_type_and_names_known_contracts():
    exit_types = {term.code for term in vocabularies.terms(vocabularies.EXIT_TYPE)}
    contracts = {term.code for term in vocabularies.terms(vocabularies.CONTRACT_TYPE)}
    assert set(exit_typology.ALLOWED_CONTRACTS) == exit_types
    for allowed in exit_typology.ALLOWED_CONTRACTS.values():
        assert set(allowed) <= contracts


def test_an_exit_cdi_with_a_cdd_contract_is_refused_by_the_service(accompaniment, actor):
    with pytest.raises(AccompanimentError, match="ne correspond pas"):
        services.record_exit(
            accompaniment, exit_date=TODAY(), exit_type="cdi", contract_type="cdd", actor=actor
        )
    accompaniment.refresh_from_db()
    assert accompaniment.is_open
    assert not hasattr(accompaniment, "six_month_follow_up")


def test_a_coherent_exit_is_recorded(accompaniment, actor):
    services.record_exit(
        accompaniment, exit_date=TODAY(), exit_type="siae_hire", contract_type="cddi", actor=actor
    )
    accompaniment.refresh_from_db()
    assert (accompaniment.exit_type, accompaniment.exit_contract_type) == ("siae_hire", "cddi")


def test_a_contract_on_an_exit_without_employment_is_refused(accompaniment, actor):
    with pytest.raises(AccompanimentError, match="ne correspond pas"):
        services.record_exit(
            accompaniment,
            exit_date=TODAY(),
            exit_type="moved_away",
            contract_type="cdi",
            actor=actor,
        )


def test_the_database_refuses_an_incoherent_exit(accompaniment):
    Accompaniment.objects.filter(pk=accompaniment.pk).update(
        status=Status.CLOSED, exit_date=TODAY(), exit_type="cdi", exit_contract_type="cdi"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Accompaniment.objects.filter(pk=accompaniment.pk).update(exit_contract_type="cdd")
    accompaniment.refresh_from_db()
    assert accompaniment.exit_contract_type == "cdi"


def test_the_exit_form_refuses_an_incoherent_contract_next_to_the_field(as_referent, accompaniment):
    response = as_referent.post(
        url("exit", accompaniment),
        {"exit_date": TODAY().isoformat(), "exit_type": "cdi", "contract_type": "cdd"},
    )
    assert response.status_code == 200
    assert errors_of(response, "contract_type") == [
        "Un contrat « CDD » ne correspond pas à la situation « CDI » : corrigez l'un ou l'autre."
    ]
    accompaniment.refresh_from_db()
    assert accompaniment.is_open


# --- The 6-month follow-up window -------------------------------------------------------------

EXIT_DAY = datetime.date(2025, 11, 30)


@pytest.fixture
def exited(accompaniment, actor):
    """The accompaniment, exited on 30/11/2025 (job seeker): its scheduled follow-up."""
    return services.record_exit(
        accompaniment, exit_date=EXIT_DAY, exit_type="job_seeker", actor=actor
    )


def test_the_follow_up_window_runs_from_5_to_9_months_after_the_exit(exited):
    assert (exited.window_opens_on, exited.due_on, exited.window_closes_on) == (
        datetime.date(2026, 4, 30),
        datetime.date(2026, 5, 30),
        datetime.date(2026, 8, 30),
    )


def test_the_window_is_a_setting(accompaniment, actor, settings):
    settings.FOLLOW_UP_WINDOW_MONTHS = (4, 12)
    exited = services.record_exit(
        accompaniment, exit_date=EXIT_DAY, exit_type="job_seeker", actor=actor
    )
    assert (exited.window_opens_on, exited.window_closes_on) == (
        datetime.date(2026, 3, 30),
        datetime.date(2026, 11, 30),
    )


def test_a_follow_up_the_day_after_the_exit_is_refused_and_changes_nothing(exited, actor):
    for day in (datetime.date(2025, 12, 1), datetime.date(2026, 4, 29), datetime.date(2026, 8, 31)):
        with pytest.raises(AccompanimentError, match="entre le 30/04/2026 et le 30/08/2026"):
            services.record_follow_up(
                exited, contacted_on=day, situation="cdi", actor=actor, contract_type="cdi"
            )
    exited.refresh_from_db()
    assert not exited.is_recorded
    assert not exited.accompaniment.esf_records.filter(stage=EsfStage.SIX_MONTHS).exists()


@pytest.mark.parametrize("day", [datetime.date(2026, 4, 30), datetime.date(2026, 8, 30)])
def test_a_follow_up_inside_the_window_is_recorded(exited, actor, day):
    services.record_follow_up(exited, contacted_on=day, situation="inactive", actor=actor)
    exited.refresh_from_db()
    assert exited.is_recorded and exited.counts_for_esf


def test_the_database_refuses_a_contact_outside_the_window(exited, actor):
    services.record_follow_up(
        exited, contacted_on=datetime.date(2026, 5, 30), situation="inactive", actor=actor
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SixMonthFollowUp.objects.filter(pk=exited.pk).update(
            contacted_on=datetime.date(2025, 12, 1)
        )
    exited.refresh_from_db()
    assert exited.contacted_on == datetime.date(2026, 5, 30)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 1, 15), None),
        (datetime.date(2026, 6, 2), datetime.date(2026, 6, 2)),
        (datetime.date(2026, 11, 1), datetime.date(2026, 8, 30)),
    ],
)
def test_the_default_contact_date_is_never_outside_the_window(exited, today, expected):
    assert exited.default_contact_date(today) == expected


def test_the_follow_up_form_refuses_a_date_outside_the_window(as_referent, exited):
    response = as_referent.post(
        url("follow_up", exited.accompaniment),
        {"contacted_on": "2025-12-01", "situation": "inactive"},
    )
    assert response.status_code == 200
    assert "entre le 30/04/2026 et le 30/08/2026" in errors_of(response, "contacted_on")[0]
    exited.refresh_from_db()
    assert not exited.is_recorded


def test_the_follow_up_page_says_when_the_window_opens(as_referent, accompaniment, actor):
    exit_date = TODAY() - datetime.timedelta(days=10)
    follow_up = services.record_exit(
        accompaniment, exit_date=exit_date, exit_type="job_seeker", actor=actor
    )
    response = as_referent.get(url("follow_up", accompaniment))
    content = response.content.decode()
    assert f"Le suivi à 6 mois s'ouvre le {follow_up.window_opens_on:%d/%m/%Y}" in content
    assert response.context["form"]["contacted_on"].value() is None


def test_the_migration_flags_the_contacts_recorded_outside_their_window(exited, actor):
    services.record_follow_up(
        exited, contacted_on=datetime.date(2026, 5, 30), situation="inactive", actor=actor
    )
    # As recorded before the window existed: the day after the exit (the flag lets it be stored).
    SixMonthFollowUp.objects.filter(pk=exited.pk).update(
        contacted_on=datetime.date(2025, 12, 1), outside_window=True
    )
    set_follow_up_windows(SixMonthFollowUp)
    exited.refresh_from_db()
    assert exited.outside_window and not exited.counts_for_esf
    SixMonthFollowUp.objects.filter(pk=exited.pk).update(contacted_on=datetime.date(2026, 6, 1))
    set_follow_up_windows(SixMonthFollowUp)
    exited.refresh_from_db()
    assert not exited.outside_window


def test_a_flagged_follow_up_is_marked_not_counted_on_the_page_and_in_the_export(
    as_referent, exited, actor, person
):
    services.record_follow_up(
        exited, contacted_on=datetime.date(2026, 5, 30), situation="inactive", actor=actor
    )
    SixMonthFollowUp.objects.filter(pk=exited.pk).update(
        contacted_on=datetime.date(2025, 12, 1), outside_window=True
    )
    page = as_referent.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert "non compté FSE+" in page
    workbook = load_workbook(
        BytesIO(
            as_referent.get(reverse("accompaniment:caseload_export") + "?statut=sortis").content
        )
    )
    cells = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert "fait le 01/12/2025, hors fenêtre : non compté FSE+" in cells


# --- Appointments to come at the exit ---------------------------------------------------------


@pytest.fixture
def to_come(person, referent):
    """Two appointments to come with the structure, one past, one cancelled, one elsewhere."""
    person.email = "amina@exemple.test"  # reminders go by e-mail
    person.save(update_fields=["email"])
    now = timezone.now()
    make = functools.partial(
        AppointmentFactory, person=person, counsellor=referent.user, structure=referent.structure
    )
    return {
        "soon": make(starts_at=now + datetime.timedelta(hours=20), subject="Point CV"),
        "later": make(starts_at=now + datetime.timedelta(days=9), subject="Bilan"),
        "past": make(starts_at=now - datetime.timedelta(days=2)),
        "cancelled": make(starts_at=now + datetime.timedelta(days=4), cancelled_at=now),
        "elsewhere": make(starts_at=now + datetime.timedelta(days=5), structure=StructureFactory()),
    }


def _cancelled(appointments):
    return {
        key
        for key, appointment in appointments.items()
        if Appointment.objects.get(pk=appointment.pk).is_cancelled
    }


def test_the_exit_cancels_the_appointments_to_come_with_the_structure(
    accompaniment, actor, to_come
):
    assert reminders.due().filter(pk=to_come["soon"].pk).exists()
    follow_up = services.record_exit(
        accompaniment, exit_date=TODAY(), exit_type="job_seeker", actor=actor
    )
    assert follow_up.cancelled_appointments == 2
    assert _cancelled(to_come) == {"soon", "later", "cancelled"}
    soon = Appointment.objects.get(pk=to_come["soon"].pk)
    assert soon.cancellation_reason == "sortie de l'accompagnement « Accompagnement renforcé »"
    # Its reminder (due within 24 hours) will not be sent.
    assert not reminders.due().filter(pk=soon.pk).exists()
    assert reminders.send(soon.pk) is False


def test_the_counsellor_keeps_an_appointment(accompaniment, actor, to_come):
    services.record_exit(
        accompaniment,
        exit_date=TODAY(),
        exit_type="job_seeker",
        keep_appointments=[to_come["later"].public_id],
        actor=actor,
    )
    assert _cancelled(to_come) == {"soon", "cancelled"}


def test_a_refused_exit_cancels_nothing(accompaniment, actor, to_come):
    with pytest.raises(AccompanimentError):
        services.record_exit(
            accompaniment, exit_date=TODAY(), exit_type="cdi", contract_type="cdd", actor=actor
        )
    assert _cancelled(to_come) == {"cancelled"}


def test_the_exit_page_lists_the_appointments_and_keeps_the_ticked_one(
    as_referent, accompaniment, to_come
):
    page = as_referent.get(url("exit", accompaniment))
    content = page.content.decode()
    assert "2 rendez-vous à venir avec la structure" in content
    assert "Point CV" in content and "Bilan" in content
    response = as_referent.post(
        url("exit", accompaniment),
        {
            "exit_date": TODAY().isoformat(),
            "exit_type": "job_seeker",
            "keep_appointments": [str(to_come["later"].public_id)],
        },
        follow=True,
    )
    assert "1 rendez-vous à venir annulé." in response.content.decode()
    assert _cancelled(to_come) == {"soon", "cancelled"}


def test_without_appointments_app_the_exit_cancels_nothing(accompaniment, actor, to_come):
    with (
        withdrawn(
            people_hooks.hooks,
            people_hooks.FUTURE_APPOINTMENTS,
            appointments_services.future_appointments,
        ),
        withdrawn(
            people_hooks.hooks,
            people_hooks.CANCEL_APPOINTMENTS,
            appointments_services.cancel_appointments,
        ),
    ):
        assert people_hooks.future_appointments(accompaniment.person, accompaniment.structure) == []
        follow_up = services.record_exit(
            accompaniment, exit_date=TODAY(), exit_type="job_seeker", actor=actor
        )
    assert follow_up.cancelled_appointments == 0
    assert _cancelled(to_come) == {"cancelled"}
