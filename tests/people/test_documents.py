"""Supporting documents: type read from the content, size bounded, private storage, served only
by the owning record's rule, each opening logged, deleted with their record."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.http import release
from tests.people.factories import ConsentFactory, PersonFactory, follow
from tisserand.core.actor import Actor
from tisserand.core.models import Document, RecordAccess
from tisserand.people.merging import merge_persons
from tisserand.people.models import Consent, Person, PublicStatus
from tisserand.structures.roles import Role

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(content=PDF, name="attestation.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def status_values(**extra):
    return {"kind": "rsa", "proof": "Attestation CAF", "valid_from": "2024-01-01", **extra}


def add_status(client, person, **extra):
    return client.post(reverse("people:statuses", args=[person.public_id]), status_values(**extra))


def document_url(document):
    return reverse("core:document", args=[document.public_id])


def status_of_opening(client, document):
    """The status code of opening ``document`` (the file, when served, is closed)."""
    response = client.get(document_url(document))
    release(response)
    return response.status_code


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [(PDF, "a.pdf", "application/pdf"), (PNG, "b.png", "image/png"), (JPEG, "c.jpg", "image/jpeg")],
)
def test_a_status_keeps_its_proof_typed_by_its_content(
    client_for, referent, person, content, name, kind
):
    response = add_status(client_for(referent), person, document=upload(content, name, "x/y"))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.subject == PublicStatus.objects.get()
    assert (document.content_type, document.size) == (kind, len(content))
    stored = Path(document.file.path)
    assert stored.read_bytes() == content
    # Private: under MEDIA_ROOT, outside the static files, under a random name.
    assert stored.is_relative_to(settings.MEDIA_ROOT)
    assert not stored.is_relative_to(settings.STATIC_ROOT)
    assert "Benali" not in str(stored) and name not in str(stored)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html><script>alert(1)</script>", "faux.pdf", "n'est pas un document PDF, JPEG ou PNG"),
        (b"MZ\x90\x00", "programme.png", "n'est pas un document PDF, JPEG ou PNG"),
        (b"%PDF-" + b"0" * 200, "gros.pdf", "au plus"),
    ],
)
def test_a_refused_file_changes_nothing(
    client_for, referent, person, settings, content, name, message
):
    settings.TISSERAND_DOCUMENT_MAX_BYTES = 100
    response = add_status(client_for(referent), person, document=upload(content, name))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["document"])
    assert not PublicStatus.objects.exists() and not Document.objects.exists()


def test_the_record_rule_opens_a_document_and_logs_each_opening(
    client_for, referent, person, make_member, structure, other_structure
):
    add_status(client_for(referent), person, document=upload())
    document = Document.objects.get()
    response = client_for(referent).get(document_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    release(response)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    opening = RecordAccess.objects.get(path=document_url(document))
    assert opening.user == referent.user and opening.owner_structure == structure
    assert "Justificatif" in opening.subject_label
    stranger = make_member(Role.REFERENT, other_structure)
    assert status_of_opening(client_for(stranger), document) == 403
    funder = make_member(Role.FUNDER, structure)
    assert status_of_opening(client_for(funder), document) == 403
    assert RecordAccess.objects.filter(path=document_url(document)).count() == 1


def test_a_sensitive_proof_opens_to_the_team_only(client_for, referent, person, make_member):
    add_status(client_for(referent), person, kind="rqth", document=upload())
    document = Document.objects.get()
    director = make_member(Role.DIRECTOR, person.owner_structure)
    assert status_of_opening(client_for(director), document) == 403
    teammate = make_member(Role.REFERENT, person.owner_structure)
    follow(person, teammate, role="team")
    assert status_of_opening(client_for(teammate), document) == 200
    assert "données sensibles" in RecordAccess.objects.get(user=teammate.user).subject_label


def test_the_director_opens_a_proof_of_a_common_status(client_for, referent, person, make_member):
    add_status(client_for(referent), person, document=upload())
    director = make_member(Role.DIRECTOR, person.owner_structure)
    assert status_of_opening(client_for(director), Document.objects.get()) == 200


def test_a_person_document_needs_the_right_to_change_the_record(
    client_for, referent, person, make_member
):
    url = reverse("people:documents", args=[person.public_id])
    values = {"label": "Justificatif d'éligibilité PLIE", "issued_on": "2024-05-02"}
    director = make_member(Role.DIRECTOR, person.owner_structure)
    client_for(director).post(url, {**values, "document": upload()})
    assert not Document.objects.exists()
    response = client_for(referent).post(url, {**values, "document": upload()})
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.subject == person and document.issued_on.isoformat() == "2024-05-02"
    page = client_for(director).get(url)
    assert "Justificatif d&#x27;éligibilité PLIE" in page.content.decode()


def test_a_signed_consent_is_attached_and_shown(client_for, referent, person, partner_structure):
    other_structure = partner_structure
    response = client_for(referent).post(
        reverse("people:consents", args=[person.public_id]),
        {
            "structure": other_structure.pk,
            "scopes": ["identity"],
            "given_on": "2024-03-01",
            "document": upload(PNG, "signature.png"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.subject == Consent.objects.get()
    page = client_for(referent).get(reverse("people:consents", args=[person.public_id]))
    assert document_url(document) in page.content.decode()


def test_documents_go_with_their_record(
    client_for, referent, person, django_capture_on_commit_callbacks
):
    add_status(client_for(referent), person, document=upload())
    ConsentFactory(person=person)
    path = Path(Document.objects.get().file.path)
    with django_capture_on_commit_callbacks(execute=True):
        Person.objects.filter(pk=person.pk).delete()
    assert not Document.objects.exists()
    assert not path.exists()


def test_merging_keeps_the_duplicate_documents(client_for, referent, person):
    duplicate = PersonFactory(owner_structure=person.owner_structure)
    follow(duplicate, referent)
    client_for(referent).post(
        reverse("people:documents", args=[duplicate.public_id]),
        {"label": "Pièce", "issued_on": "2024-05-02", "document": upload()},
    )
    merge_persons(person, duplicate, actor=Actor.of(referent))
    assert Document.objects.get().subject == person
