"""Statuses, consents and journal notes: who writes them, dates, visibility, timeline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.people.factories import ConsentFactory, follow
from tisserand.core.models import TimelineEvent
from tisserand.people.models import Consent, FollowUpRole, Note, PublicStatus
from tisserand.structures.roles import Role


def url(name, person):
    return reverse(f"people:{name}", args=[person.public_id])


def tomorrow():
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


# --- Statuses --------------------------------------------------------------------------------


def test_referent_adds_a_back_dated_status(client_for, referent, person):
    response = client_for(referent).post(
        url("statuses", person),
        {
            "kind": "rqth",
            "proof": "Notification MDPH",
            "valid_from": "2023-02-01",
            "valid_until": "2028-01-31",
        },
    )
    assert response.status_code == 302
    status = PublicStatus.objects.get()
    assert status.is_special_category and status.valid_from == datetime.date(2023, 2, 1)
    # The timeline, which the director reads too, never names special-category data.
    event = TimelineEvent.objects.get(summary__startswith="Statut ajouté")
    assert event.summary == "Statut ajouté : donnée sensible"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"valid_from": "future"}, "valid_from", "ne peut pas être dans le futur"),
        ({"valid_from": "2024-02-30"}, "valid_from", "Saisissez une date valide"),
        ({"valid_until": "2020-01-01"}, "valid_until", "précède son début"),
        ({"kind": "inconnu"}, "kind", "Sélectionnez un choix valide"),
    ],
)
def test_bad_status_changes_nothing(client_for, referent, person, data, field, message):
    values = {"kind": "rsa", "valid_from": "2024-01-01", "valid_until": ""}
    values.update({k: tomorrow() if v == "future" else v for k, v in data.items()})
    response = client_for(referent).post(url("statuses", person), values)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not PublicStatus.objects.exists()


def test_administrator_cannot_record_special_category(client_for, make_member, structure, person):
    client = client_for(make_member(Role.ADMIN, structure))
    response = client.post(url("statuses", person), {"kind": "justice", "valid_from": "2024-01-01"})
    assert "kind" in response.context["form"].errors
    assert not PublicStatus.objects.exists()
    assert (
        client.post(
            url("statuses", person), {"kind": "rsa", "valid_from": "2024-01-01"}
        ).status_code
        == 302
    )


def test_status_end_date_may_be_set_later(client_for, referent, person):
    status = PublicStatus.objects.create(
        person=person, kind="rsa", valid_from=datetime.date(2024, 1, 1)
    )
    response = client_for(referent).post(
        reverse("people:status_edit", args=[person.public_id, status.pk]),
        {"kind": "rsa", "valid_from": "2024-01-01", "valid_until": "2024-12-31", "proof": ""},
    )
    assert response.status_code == 302
    status.refresh_from_db()
    assert status.valid_until == datetime.date(2024, 12, 31)


# --- Derived statuses (age, QPV) ------------------------------------------------------------


def make_young(person):
    person.birth_date = datetime.date(timezone.localdate().year - 20, 1, 1)
    person.save()


def make_qpv_resident(person):
    person.qpv_status, person.qpv_precision = "in_qpv", "address"
    person.qpv_code, person.qpv_name = "QN05912M", "Alma"
    person.qpv_determined_on = datetime.date(2025, 2, 3)
    person.save()


def status_rows(page):
    """The body rows of the statuses table (the first row holds the column headers)."""
    table = page.split('<caption class="visually-hidden">Statuts publics</caption>')[1]
    return table.split("</table>")[0].split("<tr>")[2:]


def test_person_page_shows_a_derived_status_with_its_badge(client_for, referent, person):
    make_young(person)
    page = client_for(referent).get(url("detail", person)).content.decode()
    (row,) = status_rows(page)
    assert "Jeune de moins de 26 ans" in row and "Déduit" in row
    assert "Déduit de la date de naissance" in row and "Modifier" not in row
    assert "Aucun statut enregistré" not in page


def test_statuses_page_lists_derived_statuses_without_an_edit_link(client_for, referent, person):
    make_qpv_resident(person)
    PublicStatus.objects.create(person=person, kind="rsa", valid_from=datetime.date(2024, 1, 1))
    page = client_for(referent).get(url("statuses", person)).content.decode()
    derived, stored = status_rows(page)
    assert "Résident d&#x27;un quartier prioritaire (QPV)" in derived and "Déduit" in derived
    assert "QPV Alma (QN05912M), déterminé le 03/02/2025" in derived
    assert "Modifier" not in derived and "non modifiable" in derived
    assert "Bénéficiaire du RSA" in stored and "Modifier" in stored and "Déduit" not in stored
    assert "déduits de la date de naissance et de l'adresse géocodée" in page


def test_derived_statuses_follow_the_visibility_of_the_situation(
    client_for, make_member, other_structure, person
):
    make_young(person)
    partner = make_member(Role.PARTNER, other_structure)
    consent = ConsentFactory(person=person, structure=other_structure, scopes=["identity"])
    client = client_for(partner)
    assert "Jeune de moins de 26 ans" not in client.get(url("detail", person)).content.decode()
    consent.scopes = ["identity", "situation"]
    consent.save()
    assert "Jeune de moins de 26 ans" in client.get(url("detail", person)).content.decode()


def test_derived_kinds_are_not_offered(client_for, referent, person):
    form = client_for(referent).get(url("statuses", person)).context["form"]
    offered = {kind for kind, _ in form.fields["kind"].choices}
    assert "rsa" in offered and not offered & {"under_26", "over_50", "qpv"}


@pytest.mark.parametrize("kind", ["under_26", "over_50", "qpv"])
def test_a_derived_kind_cannot_be_typed(client_for, referent, person, kind):
    response = client_for(referent).post(
        url("statuses", person), {"kind": kind, "valid_from": "2024-01-01"}
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["kind"]
    assert error.startswith("Ce statut ne se saisit pas : il est déduit")
    assert not PublicStatus.objects.exists()


def test_a_status_typed_before_its_kind_was_derived_can_still_be_ended(
    client_for, referent, person
):
    status = PublicStatus.objects.create(
        person=person, kind="qpv", valid_from=datetime.date(2024, 1, 1)
    )
    edit = reverse("people:status_edit", args=[person.public_id, status.pk])
    client = client_for(referent)
    offered = {kind for kind, _ in client.get(edit).context["form"].fields["kind"].choices}
    assert "qpv" in offered and not offered & {"under_26", "over_50"}
    data = {"kind": "qpv", "valid_from": "2024-01-01", "valid_until": "2024-12-31"}
    assert client.post(edit, data).status_code == 302
    status.refresh_from_db()
    assert status.valid_until == datetime.date(2024, 12, 31)
    response = client.post(edit, {**data, "kind": "over_50"})
    assert "déduit" in response.context["form"].errors["kind"][0]


# --- Consent ---------------------------------------------------------------------------------


def test_consent_is_recorded_back_dated_and_replaces_the_previous_one(
    client_for, referent, person, partner_structure
):
    other_structure = partner_structure
    client = client_for(referent)
    data = {"structure": other_structure.pk, "scopes": ["identity"], "given_on": "2025-01-10"}
    assert client.post(url("consents", person), data).status_code == 302
    first = Consent.objects.get()
    assert first.given_at.date() == datetime.date(2025, 1, 10) and first.is_active
    data["scopes"] = ["identity", "appointments"]
    data["given_on"] = timezone.localdate().isoformat()
    assert client.post(url("consents", person), data).status_code == 302
    first.refresh_from_db()
    assert first.withdrawn_at is not None
    current = Consent.objects.get(withdrawn_at__isnull=True)
    assert current.scopes == ["identity", "appointments"]
    assert current.recorded_by == referent.user
    assert TimelineEvent.objects.filter(summary__startswith="Consentement au partage").count() == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"scopes": []}, "scopes", "Cochez au moins une information"),
        ({"given_on": "future"}, "given_on", "ne peut pas être dans le futur"),
        ({"structure": ""}, "structure", "Ce champ est obligatoire"),
    ],
)
def test_bad_consent_changes_nothing(
    client_for, referent, person, partner_structure, data, field, message
):
    other_structure = partner_structure
    values = {"structure": other_structure.pk, "scopes": ["identity"], "given_on": "2025-01-10"}
    values.update({k: tomorrow() if v == "future" else v for k, v in data.items()})
    response = client_for(referent).post(url("consents", person), values)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Consent.objects.exists()


def test_consent_with_the_owner_structure_is_not_offered(client_for, referent, person, structure):
    response = client_for(referent).post(
        url("consents", person),
        {"structure": structure.pk, "scopes": ["identity"], "given_on": "2025-01-10"},
    )
    assert "structure" in response.context["form"].errors


# --- Journal notes ---------------------------------------------------------------------------


def test_notes_by_visibility(client_for, referent, person, make_member, structure):
    team = make_member(Role.BUSINESS, structure)
    follow(person, team, FollowUpRole.TEAM)
    referent_client = client_for(referent)
    referent_client.post(
        url("notes", person),
        {"happened_on": "2025-03-01", "visibility": "team", "text": "Pour l'équipe"},
    )
    referent_client.post(
        url("notes", person),
        {"happened_on": "2025-03-02", "visibility": "referent", "text": "Pour le référent"},
    )
    assert Note.objects.count() == 2
    page = referent_client.get(url("detail", person)).content.decode()
    assert "Pour l&#x27;équipe" in page and "Pour le référent" in page
    page = client_for(team).get(url("notes", person)).content.decode()
    assert "Pour l&#x27;équipe" in page and "Pour le référent" not in page
    # The timeline never carries the text of a note.
    assert not TimelineEvent.objects.filter(summary__contains="Pour le").exists()


def test_team_member_cannot_write_referent_only_notes(client_for, person, make_member, structure):
    team = make_member(Role.BUSINESS, structure)
    follow(person, team, FollowUpRole.TEAM)
    response = client_for(team).post(
        url("notes", person), {"happened_on": "2025-03-02", "visibility": "referent", "text": "x"}
    )
    assert "visibility" in response.context["form"].errors
    assert not Note.objects.exists()


def test_future_note_is_refused(client_for, referent, person):
    response = client_for(referent).post(
        url("notes", person), {"happened_on": tomorrow(), "visibility": "team", "text": "x"}
    )
    assert "ne peut pas être dans le futur" in response.context["form"].errors["happened_on"][0]
    assert not Note.objects.exists()
