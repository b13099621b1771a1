"""QPV status: a change is shown before it is saved, its history is dated, an attestation proves
it for its validity, and « non » is never written where the truth is « indéterminé »."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.people.test_create import CREATE, form_data
from tests.referentials.geo.test_geocoding import ban_answer
from tisserand.core.models import Document
from tisserand.people.derived_statuses import derived_statuses
from tisserand.people.models import Person, PublicStatusKind, QpvAttestation, QpvStatusChange
from tisserand.structures.roles import Role

PDF = b"%PDF-1.7\n%%EOF\n"


def in_qpv_person(web, ban):
    ban.mock(return_value=ban_answer("housenumber", 0.95))
    web.post(CREATE, form_data())
    person = Person.objects.get()
    assert person.qpv_status == "in_qpv"
    return person


def edit_url(person):
    return reverse("people:edit", args=[person.public_id])


def test_a_qpv_change_is_shown_and_saved_only_once_confirmed(web, with_qpv, ban):
    person = in_qpv_person(web, ban)
    ban.mock(return_value=ban_answer("street", 0.9))
    data = form_data(address_line="rue de l'Alma")
    response = web.post(edit_url(person), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "le statut QPV passera de « Réside en QPV (Alma, QN05912M) » à « Indéterminé »" in page
    person.refresh_from_db()
    assert (person.address_line, person.qpv_status) == ("12 rue de l'Alma", "in_qpv")
    # A confirmation of another change does not confirm this one.
    assert web.post(edit_url(person), {**data, "qpv_confirmed": "autre"}).status_code == 200
    response = web.post(
        edit_url(person), {**data, "qpv_confirmed": response.context["qpv_change_key"]}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.address_line, person.qpv_status) == ("rue de l'Alma", "unknown")
    history = list(person.qpv_history.order_by("changed_at", "id"))
    assert [step.status for step in history] == ["in_qpv", "unknown"]
    assert history[1].basis == "street" and history[1].changed_at.date() == timezone.localdate()
    page = web.get(reverse("people:qpv_history", args=[person.public_id])).content.decode()
    assert page.count("<tr>") == 3 and "Réside en QPV — Alma (QN05912M)" in page


def test_an_edit_that_keeps_the_qpv_status_asks_nothing(web, with_qpv, ban):
    person = in_qpv_person(web, ban)
    response = web.post(edit_url(person), form_data(phone="06 00 00 00 00"))
    assert response.status_code == 302
    assert QpvStatusChange.objects.filter(person=person).count() == 1


def attestation_values(qpv, **extra):
    today = timezone.localdate()
    return {
        "qpv": qpv.pk,
        "issued_on": (today - datetime.timedelta(days=10)).isoformat(),
        "valid_until": (today + datetime.timedelta(days=355)).isoformat(),
        "issuer": "Mairie de Roubaix",
        "document": SimpleUploadedFile("attestation.pdf", PDF),
        **extra,
    }


@pytest.fixture
def commune_level_person(web, with_qpv, ban):
    ban.mock(return_value=ban_answer("municipality", 0.9))
    web.post(CREATE, form_data(address_line=""))
    person = Person.objects.get()
    assert person.qpv_status == "unknown"
    return person


def test_an_attestation_sets_the_status_for_its_validity(web, commune_level_person):
    from tisserand.referentials.geo.models import Qpv

    person, qpv = commune_level_person, Qpv.objects.get()
    url = reverse("people:qpv_attestation", args=[person.public_id])
    assert web.post(url, attestation_values(qpv)).status_code == 302
    person.refresh_from_db()
    attestation = QpvAttestation.objects.get()
    assert (person.qpv_status, person.qpv_precision) == ("in_qpv", "attestation")
    assert person.qpv_valid_until == attestation.valid_until
    assert Document.objects.get().subject == attestation
    today = timezone.localdate()
    (status,) = [s for s in derived_statuses(person, today) if s.kind == PublicStatusKind.QPV]
    assert status.proof.startswith("Attestation de résidence")
    # Past its validity it proves nothing: the derived status and the record say so.
    later = attestation.valid_until + datetime.timedelta(days=1)
    assert not [s for s in derived_statuses(person, later) if s.kind == PublicStatusKind.QPV]
    assert person.qpv_status_on(later) == "unknown"
    assert [step.basis for step in person.qpv_history.order_by("id")] == ["commune", "attestation"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"document": None}, "document"),
        ({"valid_until": "2000-01-01"}, "valid_until"),
        ({"document": SimpleUploadedFile("a.pdf", b"pas un pdf")}, "document"),
    ],
)
def test_a_refused_attestation_changes_nothing(web, commune_level_person, extra, field):
    from tisserand.referentials.geo.models import Qpv

    person = commune_level_person
    values = {k: v for k, v in attestation_values(Qpv.objects.get(), **extra).items() if v}
    response = web.post(reverse("people:qpv_attestation", args=[person.public_id]), values)
    assert response.status_code == 200 and field in response.context["form"].errors
    person.refresh_from_db()
    assert person.qpv_status == "unknown" and not QpvAttestation.objects.exists()
    assert not Document.objects.exists()


def test_only_who_changes_the_record_records_an_attestation(
    client_for, make_member, commune_level_person
):
    from tisserand.referentials.geo.models import Qpv

    person = commune_level_person
    director = make_member(Role.DIRECTOR, person.owner_structure)
    url = reverse("people:qpv_attestation", args=[person.public_id])
    assert client_for(director).post(url, attestation_values(Qpv.objects.get())).status_code == 403
    assert not QpvAttestation.objects.exists()


def test_the_qpv_history_is_read_by_who_sees_the_identity(
    client_for, make_member, other_structure, commune_level_person
):
    url = reverse("people:qpv_history", args=[commune_level_person.public_id])
    director = make_member(Role.DIRECTOR, commune_level_person.owner_structure)
    assert client_for(director).get(url).status_code == 200
    stranger = make_member(Role.DIRECTOR, other_structure)
    assert client_for(stranger).get(url).status_code == 403
