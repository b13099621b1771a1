"""The QPV status in a real browser: a change of address shows the change of status and asks
for a confirmation; an attestation with its file then proves the residence; axe on each page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD
from tests.people.factories import PersonFactory, follow
from tests.referentials.geo.factories import ALMA, make_roubaix_area, write_geojson
from tisserand.people.models import Person
from tisserand.referentials.geo import qpv_index
from tisserand.referentials.geo.qpv_import import import_qpv_file
from tisserand.structures.roles import Role


@pytest.fixture
def member(make_member, settings, tmp_path):
    settings.TISSERAND_GEOCODER = "offline"
    area = make_roubaix_area()
    import_qpv_file(write_geojson(tmp_path, [ALMA]))
    member = make_member(Role.REFERENT)
    person = PersonFactory(
        owner_structure=member.structure,
        first_name="Nadia",
        last_name="Amrani",
        address_line="12 rue de l'Alma",
        postal_code="59100",
        commune=area["roubaix"],
        geocoding_precision="address",
        qpv_status="in_qpv",
        qpv_code="QN05912M",
        qpv_name="Alma",
        qpv_precision="address",
        qpv_determined_on=timezone.localdate(),
    )
    follow(person, member)
    yield member
    qpv_index.invalidate()


def test_a_qpv_change_is_confirmed_then_proved_by_an_attestation(
    page, login, member, assert_accessible
):
    person = Person.objects.get()
    login(member.user.email, TEST_PASSWORD)
    page.goto(f"/personnes/{person.public_id}/modifier/")
    page.get_by_label("Adresse", exact=True).fill("rue de l'Alma")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()

    warning = page.get_by_role("alert")
    expect(warning).to_contain_text(
        "le statut QPV passera de « Réside en QPV (Alma, QN05912M) » à « Indéterminé »"
    )
    person.refresh_from_db()
    assert person.address_line == "12 rue de l'Alma"
    assert_accessible(page)

    warning.get_by_role("button", name="Confirmer et enregistrer").click()
    page.wait_for_url(re.compile(rf"/personnes/{person.public_id}/$"))
    expect(
        page.get_by_text("Indéterminé (adresse localisée à la commune seulement)")
    ).to_be_visible()
    person.refresh_from_db()
    assert (person.address_line, person.qpv_status) == ("rue de l'Alma", "unknown")
    assert_accessible(page)

    page.get_by_role("link", name="Enregistrer une attestation de résidence en QPV").click()
    page.wait_for_url(re.compile(r"/attestation-qpv/$"))
    assert_accessible(page)
    page.get_by_label("Quartier prioritaire").select_option(label="Alma (QN05912M)")
    page.get_by_label("Attestation délivrée le").fill(f"{timezone.localdate():%Y-%m-%d}")
    page.get_by_label("Valable jusqu'au").fill(f"{timezone.localdate().year + 1}-12-31")
    page.get_by_label("Source").fill("Mairie de Roubaix")
    page.get_by_label("Attestation (fichier)").set_input_files(
        {"name": "attestation.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n%%EOF\n"}
    )
    page.get_by_role("button", name="Enregistrer l'attestation").click()
    page.wait_for_url(re.compile(rf"/personnes/{person.public_id}/$"))
    expect(page.get_by_text("Établi par attestation du")).to_be_visible()
    person.refresh_from_db()
    assert (person.qpv_status, person.qpv_precision) == ("in_qpv", "attestation")
    assert_accessible(page)

    page.get_by_role("link", name="Dates et preuves du statut QPV").click()
    page.wait_for_url(re.compile(r"/statut-qpv/$"))
    # The header, the confirmed change of address, the attestation.
    expect(page.get_by_role("row")).to_have_count(3)
    expect(page.get_by_role("link", name="Attestation de résidence en QPV (Alma)")).to_be_visible()
    assert_accessible(page)
