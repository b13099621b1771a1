"""Exits that funders will read: the contract type suits the exit type (the exit typology)."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.accompaniment.test_pages import errors_of, url
from tisserand.accompaniment import exit_typology, services
from tisserand.accompaniment.models import Accompaniment, Status
from tisserand.accompaniment.services import AccompanimentError
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
