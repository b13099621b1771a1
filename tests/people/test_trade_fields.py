"""Fields of the trade: the France Travail identifier (format checked), the prescripteur
(a structure of the network or outside, and a professional), the registration's seniority."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import StructureFactory
from tests.people.factories import PersonFactory
from tests.people.test_create import form_data
from tisserand.people.models import Person


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1234567A", "1234567A"), ("1234567 a", "1234567A"), ("12345678", "12345678"), ("", "")],
)
def test_a_france_travail_id_of_the_right_format_is_stored(web, person, typed, stored):
    response = web.post(
        reverse("people:edit", args=[person.public_id]), form_data(france_travail_id=typed)
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.france_travail_id == stored


@pytest.mark.parametrize("typed", ["123456A", "123456789", "A1234567", "1234567-", "1234567é"])
def test_a_france_travail_id_of_another_format_changes_nothing(web, person, typed):
    response = web.post(
        reverse("people:edit", args=[person.public_id]), form_data(france_travail_id=typed)
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["france_travail_id"]
    assert "7 chiffres suivis d'un chiffre ou d'une lettre" in error
    person.refresh_from_db()
    assert (person.france_travail_id, person.first_name) == ("", "Amina")


def test_the_prescripteur_is_a_network_structure_and_a_professional(web, person):
    mission_locale = StructureFactory(name="Mission locale de Roubaix")
    url = reverse("people:edit", args=[person.public_id])
    values = form_data(
        referrer_structure=mission_locale.pk, referrer_person="Léa Martin, conseillère"
    )
    assert web.post(url, values).status_code == 302
    page = web.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert "Mission locale de Roubaix — Léa Martin, conseillère" in page


def test_an_outside_prescripteur_is_typed(web, person):
    url = reverse("people:edit", args=[person.public_id])
    assert web.post(url, form_data(referrer_outside="CCAS de Wattrelos")).status_code == 302
    person.refresh_from_db()
    assert person.referrer == "CCAS de Wattrelos"


def test_two_prescripteur_structures_are_refused(web, person):
    url = reverse("people:edit", args=[person.public_id])
    network = StructureFactory()
    values = form_data(referrer_structure=network.pk, referrer_outside="CCAS de Wattrelos")
    response = web.post(url, values)
    assert response.status_code == 200
    assert (
        "une seule structure prescriptrice"
        in response.context["form"].errors["referrer_outside"][0]
    )
    person.refresh_from_db()
    assert person.referrer_structure is None and person.referrer_outside == ""
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(
            referrer_structure=network, referrer_outside="CCAS"
        )


@pytest.mark.parametrize(
    ("since", "today", "said"),
    [
        (datetime.date(2024, 9, 15), datetime.date(2025, 11, 15), "inscrit depuis 14 mois"),
        (datetime.date(2024, 9, 15), datetime.date(2025, 11, 14), "inscrit depuis 13 mois"),
        (datetime.date(2025, 11, 1), datetime.date(2025, 11, 20), "inscrit depuis moins d'un mois"),
    ],
)
def test_the_registration_is_shown_with_its_seniority(monkeypatch, since, today, said):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: today)
    assert PersonFactory.build(job_seeker_since=since).job_seeker_seniority == said


def test_the_record_shows_the_registration_seniority(web, person):
    person.job_seeker_since = datetime.date.today().replace(day=1) - datetime.timedelta(days=400)
    person.save()
    page = web.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert f"({person.job_seeker_seniority})" in page and "inscrit depuis 1" in page
