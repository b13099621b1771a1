"""Proofs of an exit and of its 6-month follow-up (a work contract, a training certificate…):
type and size checked on the content, opened by whoever sees the person's exits, each opening
in the access log, listed on the accompaniment page and the person page, deleted with them."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.accompaniment.test_pages import errors_of, url
from tests.http import release
from tests.people.test_documents import PDF, document_url, status_of_opening
from tisserand.accompaniment import services
from tisserand.accompaniment.models import Accompaniment, SixMonthFollowUp
from tisserand.core.models import Document, RecordAccess
from tisserand.structures.roles import Role

EXIT_DAY = datetime.date(2025, 11, 30)
CONTACT_DAY = datetime.date(2026, 5, 30)


def upload(content=PDF, name="contrat.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def exit_values(**extra):
    return {
        "exit_date": timezone.localdate().isoformat(),
        "exit_type": "cdi",
        "contract_type": "cdi",
        "employer": "Filature du Nord",
        **extra,
    }


@pytest.fixture
def as_referent(client_for, referent):
    return client_for(referent)


@pytest.fixture
def exit_proof(as_referent, accompaniment):
    """The accompaniment exited through its form with a work contract: the stored document."""
    response = as_referent.post(url("exit", accompaniment), exit_values(proof=upload()))
    assert response.status_code == 302
    return Document.objects.get()


def test_the_exit_keeps_its_proof(exit_proof, accompaniment):
    accompaniment.refresh_from_db()
    assert not accompaniment.is_open
    assert exit_proof.subject == accompaniment
    assert (exit_proof.content_type, exit_proof.size) == ("application/pdf", len(PDF))
    assert exit_proof.label == "Justificatif de sortie : CDI"
    assert exit_proof.issuer == "Filature du Nord"
    assert Path(exit_proof.file.path).read_bytes() == PDF


def test_the_exit_form_is_sent_as_multipart(as_referent, accompaniment):
    content = as_referent.get(url("exit", accompaniment)).content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert 'name="proof"' in content


def test_an_exit_without_proof_stores_no_document(as_referent, accompaniment):
    assert as_referent.post(url("exit", accompaniment), exit_values()).status_code == 302
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html><script>alert(1)</script>", "contrat.pdf", "n'est pas un document PDF"),
        (b"%PDF-" + b"0" * 200, "gros.pdf", "au plus"),
    ],
)
def test_a_refused_proof_leaves_the_accompaniment_open(
    as_referent, accompaniment, settings, content, name, message
):
    settings.TISSERAND_DOCUMENT_MAX_BYTES = 100
    response = as_referent.post(
        url("exit", accompaniment), exit_values(proof=upload(content, name))
    )
    assert response.status_code == 200
    assert any(message in error for error in errors_of(response, "proof"))
    accompaniment.refresh_from_db()
    assert accompaniment.is_open
    assert not Document.objects.exists() and not SixMonthFollowUp.objects.exists()


def test_the_referent_opens_the_proof_and_the_opening_is_logged(as_referent, exit_proof, structure):
    response = as_referent.get(document_url(exit_proof))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    release(response)
    opening = RecordAccess.objects.get(path=document_url(exit_proof))
    assert opening.owner_structure == structure
    assert "sortie de" in opening.subject_label and "contrat.pdf" not in opening.subject_label


def test_another_structure_and_a_funder_cannot_open_the_proof(
    client_for, exit_proof, make_member, other_structure, structure
):
    for stranger in (
        make_member(Role.REFERENT, other_structure),
        make_member(Role.FUNDER, structure),
        make_member(Role.FUNDER, other_structure),
    ):
        assert status_of_opening(client_for(stranger), exit_proof) == 403
    assert not RecordAccess.objects.filter(path=document_url(exit_proof)).exists()


def test_the_proof_is_listed_with_its_link_on_both_pages(as_referent, exit_proof, accompaniment):
    link = f'href="{document_url(exit_proof)}"'
    detail = as_referent.get(url("detail", accompaniment)).content.decode()
    assert link in detail and "Justificatifs" in detail
    person_page = as_referent.get(reverse("people:detail", args=[accompaniment.person.public_id]))
    assert link in person_page.content.decode()


@pytest.fixture
def exited(accompaniment, actor):
    return services.record_exit(
        accompaniment, exit_date=EXIT_DAY, exit_type="job_seeker", actor=actor
    )


def follow_up_values(**extra):
    return {"contacted_on": CONTACT_DAY.isoformat(), "situation": "qualifying_training", **extra}


def test_the_follow_up_keeps_its_proof_listed_on_the_page(as_referent, exited):
    accompaniment = exited.accompaniment
    response = as_referent.post(
        url("follow_up", accompaniment),
        follow_up_values(proof=upload(name="attestation-formation.pdf")),
    )
    assert response.status_code == 302
    proof = Document.objects.get()
    assert proof.subject == exited and proof.issued_on == CONTACT_DAY
    assert proof.label.startswith("Justificatif du suivi à 6 mois")
    detail = as_referent.get(url("detail", accompaniment)).content.decode()
    assert f'href="{document_url(proof)}"' in detail
    assert status_of_opening(as_referent, proof) == 200
    assert "suivi à 6 mois de" in RecordAccess.objects.get(path=document_url(proof)).subject_label


def test_a_refused_follow_up_proof_records_nothing(as_referent, exited):
    response = as_referent.post(
        url("follow_up", exited.accompaniment), follow_up_values(proof=upload(b"MZ\x90\x00"))
    )
    assert response.status_code == 200
    assert errors_of(response, "proof")
    exited.refresh_from_db()
    assert not exited.is_recorded and not Document.objects.exists()


def test_the_proofs_go_with_the_person(exit_proof, accompaniment):
    accompaniment.person.delete()
    assert not Accompaniment.objects.exists() and not Document.objects.exists()
