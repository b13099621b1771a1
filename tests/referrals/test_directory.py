"""The directory's rules: a service has a thematic and a real eligibility zone, its structure
edits it (no other), it is flagged after 180 days and hidden from searches after 240."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.referrals.factories import CHILDCARE, MEL, make_service, network_entry
from tisserand.core.actor import Actor
from tisserand.referrals import selectors, services
from tisserand.referrals.models import Notice, Service, ServiceZone, Thematic
from tisserand.structures.roles import Role


def _data(area, **more):
    data = {
        "name": "Halte-garderie",
        "description": "Accueil des enfants pendant les rendez-vous emploi.",
        "fees": "gratuit",
        "fees_details": "",
        "publics_details": "",
        "access_conditions": "",
        "address_line": "1 rue Pierre Motte",
        "address_complement": "",
        "postal_code": "59100",
        "commune": area["roubaix"],
        "latitude": area["roubaix"].latitude,
        "longitude": area["roubaix"].longitude,
        "on_site": True,
        "remote": False,
        "by_professionals": True,
        "by_residents": False,
        "mobilisation_link": "",
        "mobilisation_details": "",
        "email": "halte@exemple.test",
        "phone": "",
        "weekly_hours": None,
        "weeks": None,
        "opening_hours": "",
        "thematics": [Thematic.objects.get(code=CHILDCARE)],
        "zone_codes": [MEL, "59367"],
        "publics": ["familles"],
        "mobilisation_modes": ["telephoner"],
    }
    data.update(more)
    return data


@pytest.fixture
def editor(make_member, structure):
    return make_member(Role.ADMIN, structure)


def test_a_structure_publishes_a_service_with_its_zone(editor, area):
    service = services.save_service(data=_data(area), actor=Actor.of(editor))
    assert service.structure.network_structure == editor.structure
    assert sorted(service.zones.values_list("kind", "code")) == [
        ("commune", "59367"),
        ("epci", MEL),
    ]
    assert list(service.thematics.values_list("code", flat=True)) == [CHILDCARE]


def test_a_service_without_a_thematic_is_refused_and_nothing_is_written(editor, area):
    with pytest.raises(services.ServiceInvalid, match="au moins une thématique"):
        services.save_service(data=_data(area, thematics=[]), actor=Actor.of(editor))
    assert not Service.objects.exists()


def test_an_eligibility_code_that_does_not_exist_is_refused(editor, area):
    with pytest.raises(services.ServiceInvalid, match="« 59999 »"):
        services.save_service(data=_data(area, zone_codes=["59999", MEL]), actor=Actor.of(editor))
    assert not Service.objects.exists()
    assert not ServiceZone.objects.exists()


def test_an_update_that_breaks_a_rule_leaves_the_service_as_it_was(editor, area):
    service = services.save_service(data=_data(area), actor=Actor.of(editor))
    with pytest.raises(services.ServiceInvalid):
        services.save_service(
            data=_data(area, name="Autre nom", zone_codes=["12"]),
            actor=Actor.of(editor),
            service=service,
        )
    service.refresh_from_db()
    assert service.name == "Halte-garderie"
    assert service.zones.count() == 2


def test_reception_and_mobilisation_are_database_constraints(area):
    service = make_service(commune=area["roubaix"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.filter(pk=service.pk).update(on_site=False, remote=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.filter(pk=service.pk).update(by_professionals=False, by_residents=False)


def test_the_form_shows_the_rule_in_french_and_changes_nothing(client_for, editor, area):
    client = client_for(editor)
    response = client.post(
        reverse("referrals:service_create"),
        {
            "name": "Halte-garderie",
            "description": "Accueil des enfants.",
            "on_site": "on",
            "by_professionals": "on",
            "zone_codes": "59512",
        },
    )
    assert response.status_code == 200
    assert "Choisissez au moins une thématique" in response.content.decode()
    assert not Service.objects.exists()


def test_another_structure_cannot_edit_the_service(client_for, editor, make_member, area):
    service = services.save_service(data=_data(area), actor=Actor.of(editor))
    outsider = make_member(Role.ADMIN)
    response = client_for(outsider).get(reverse("referrals:service_edit", args=[service.public_id]))
    assert response.status_code == 403
    response = client_for(editor).get(reverse("referrals:service_edit", args=[service.public_id]))
    assert response.status_code == 200


def test_stale_services_are_flagged_once_then_hidden_after_240_days(editor, area):
    today = timezone.localdate()
    entry = network_entry(editor.structure)
    fresh = make_service(entry, name="Frais", commune=area["roubaix"], age_days=10)
    stale = make_service(entry, name="Ancien", commune=area["roubaix"], age_days=181)
    hidden = make_service(entry, name="Oublié", commune=area["roubaix"], age_days=241)
    assert services.flag_stale_services(today) == 2
    assert services.flag_stale_services(today) == 0  # idempotent
    assert set(Notice.objects.values_list("service__name", flat=True)) == {"Ancien", "Oublié"}
    found = set(selectors.search_services(selectors.Filters(), today))
    assert found == {fresh, stale}
    assert hidden not in found
    # Confirming the service resets its clock and its flag.
    services.confirm_up_to_date(hidden, actor=Actor.of(editor))
    hidden.refresh_from_db()
    assert hidden.updated_on == today and hidden.stale_notified_on is None
    assert hidden in set(selectors.search_services(selectors.Filters(), today))


def test_a_stale_service_outside_the_network_is_flagged_by_email(area):
    make_service(commune=area["roubaix"], age_days=200)
    assert services.flag_stale_services(timezone.localdate()) == 1
    assert len(mail.outbox) == 1
    assert "à mettre à jour" in mail.outbox[0].subject


def test_hidden_services_cannot_be_referred_to(person, referent, area):
    service = make_service(commune=area["roubaix"], age_days=241)
    with pytest.raises(services.ReferralError, match="240 jours"):
        services.send_referral(
            person=person,
            service=service,
            data={"message": "Bonjour", "scopes": ["identity"], "consent": True},
            actor=Actor.of(referent),
        )
    assert service.updated_on < timezone.localdate() - timedelta(days=240)


def test_the_service_address_is_located(editor, area):
    data = _data(area)
    del data["latitude"], data["longitude"]
    service = services.save_service(data=data, actor=Actor.of(editor))
    assert (service.latitude, service.longitude) == (
        pytest.approx(area["roubaix"].latitude, abs=0.05),
        pytest.approx(area["roubaix"].longitude, abs=0.05),
    )
