"""Creating a person: geocoding and QPV status, duplicate warning, bad input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.people.factories import PersonFactory, follow
from tests.referentials.geo.test_geocoding import ban_answer
from tisserand.core.models import TimelineEvent
from tisserand.people.models import FollowUpMember, FollowUpRole, Person
from tisserand.structures.roles import Role

CREATE = reverse("people:create")


def form_data(**overrides):
    data = {
        "first_name": "Karim",
        "last_name": "Haddad",
        "birth_date": "1988-04-12",
        "gender": "male",
        "email": "karim.haddad@exemple.test",
        "phone": "06 12 34 56 78",
        "address_line": "12 rue de l'Alma",
        "postal_code": "59100",
        "commune": "",
        "commune_code": "",
        "situation": "job_seeker",
        "situation_since": "2023-09-01",
        "job_seeker_since": "2023-09-15",
        "qualification_level": "",
        "languages": "français, arabe",
        "driving_licence": "b",
        "has_vehicle": "on",
        "availability": "immediate",
    }
    data.update(overrides)
    return data


def test_creation_stores_the_person_and_makes_the_creator_its_referent(
    web, referent, structure, area
):
    response = web.post(CREATE, form_data())
    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[person.public_id])
    assert person.owner_structure == structure and person.created_by == referent.user
    assert str(person) == "Karim HADDAD"
    assert person.languages == ["français", "arabe"]
    assert person.commune == area["roubaix"]
    # Offline: the commune's centroid, so the QPV status stays undetermined.
    assert person.geocoding_precision == "commune"
    assert person.qpv_status == "unknown" and person.qpv_determined_on == timezone.localdate()
    seat = FollowUpMember.objects.get(person=person)
    assert (seat.user, seat.role, seat.structure) == (
        referent.user,
        FollowUpRole.REFERENT,
        structure,
    )
    verbs = set(TimelineEvent.objects.values_list("verb", flat=True))
    assert TimelineEvent.Verb.CREATED in verbs


def test_administrator_creating_a_person_does_not_join_the_follow_up(
    client_for, make_member, structure, area
):
    client = client_for(make_member(Role.ADMIN, structure))
    assert client.post(CREATE, form_data()).status_code == 302
    assert not FollowUpMember.objects.exists()


def test_address_level_point_in_a_qpv_asserts_residence(web, with_qpv, ban):
    ban.mock(return_value=ban_answer("housenumber", 0.93))
    web.post(CREATE, form_data())
    person = Person.objects.get()
    assert (person.qpv_status, person.qpv_code, person.qpv_name) == ("in_qpv", "QN05912M", "Alma")
    assert person.qpv_precision == "address" == person.geocoding_precision
    assert person.qpv_determined_on == timezone.localdate()
    assert (person.latitude, person.longitude) == (50.685, 3.175)


def test_street_level_point_leaves_the_qpv_status_undetermined(web, with_qpv, ban):
    ban.mock(return_value=ban_answer("street", 0.9))
    web.post(CREATE, form_data())
    person = Person.objects.get()
    assert person.qpv_status == "unknown" and person.qpv_precision == "street"
    page = web.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert "Indéterminé" in page and "à la rue" in page


def test_editing_the_address_regeocodes_and_records_the_change(web, referent, with_qpv, ban, area):
    ban.mock(return_value=ban_answer("street", 0.9))
    web.post(CREATE, form_data())
    person = Person.objects.get()
    ban.mock(return_value=ban_answer("housenumber", 0.95))
    url, data = (
        reverse("people:edit", args=[person.public_id]),
        form_data(address_line="14 rue de l'Alma"),
    )
    # The change of QPV status is shown first, and saved once confirmed.
    key = web.post(url, data).context["qpv_change_key"]
    response = web.post(url, {**data, "qpv_confirmed": key})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.qpv_status == "in_qpv"
    change = TimelineEvent.objects.filter(verb=TimelineEvent.Verb.CHANGED).get()
    fields = {c["field"] for c in change.changes}
    assert {"adresse", "résidence en QPV"} <= fields


# --- Duplicates ------------------------------------------------------------------------------


def test_exact_duplicate_is_warned_and_nothing_is_stored(web, referent, structure):
    existing = PersonFactory(
        owner_structure=structure,
        first_name="Karim",
        last_name="Haddad",
        birth_date=datetime.date(1988, 4, 12),
    )
    follow(existing, referent)
    response = web.post(CREATE, form_data())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cette personne a peut-être déjà une fiche" in page
    assert reverse("people:detail", args=[existing.public_id]) in page
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("first_name", "last_name", "birth_date"),
    [
        ("Karim", "Hadad", "1988-04-12"),  # a letter missing
        ("Karîm", "HAD-DAD", "1988-04-12"),  # accents, case, punctuation
        ("Haddad", "Karim", "1988-04-12"),  # first and last names swapped
        ("Karim", "Haddad", "1988-12-04"),  # day and month inverted
        ("Karim", "Haddad", "1988-04-13"),  # one digit of the date
        ("Karim", "Haddad", "1898-04-12"),  # two digits swapped: not plausible, but typed
    ],
)
def test_near_duplicates_are_warned(web, structure, first_name, last_name, birth_date):
    PersonFactory(
        owner_structure=structure,
        first_name="Karim",
        last_name="Haddad",
        birth_date=datetime.date(1988, 4, 12),
    )
    data = form_data(first_name=first_name, last_name=last_name, birth_date=birth_date)
    response = web.post(CREATE, data)
    page = response.content.decode()
    if birth_date.startswith("1898"):
        # The birth date itself is refused first: too old is impossible.
        assert "Date de naissance impossible" in page
    else:
        assert "Cette personne a peut-être déjà une fiche" in page
    assert Person.objects.count() == 1


def test_different_person_is_not_warned(web, structure):
    PersonFactory(
        owner_structure=structure,
        first_name="Karim",
        last_name="Haddad",
        birth_date=datetime.date(1988, 4, 12),
    )
    response = web.post(CREATE, form_data(first_name="Sophie", last_name="Lambert"))
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_duplicate_of_another_structure_leaks_nothing(web, other_structure):
    PersonFactory(
        owner_structure=other_structure,
        first_name="Karim",
        last_name="Haddad",
        birth_date=datetime.date(1988, 4, 12),
        phone="07 77 77 77 77",
        email="secret@exemple.test",
    )
    page = web.post(CREATE, form_data(phone="", email="")).content.decode()
    assert "Une fiche semblable existe à la structure" in page
    assert "Autre structure" in page
    other = Person.objects.get()
    assert str(other.public_id) not in page
    assert "07 77 77 77 77" not in page and "secret@exemple.test" not in page


def test_confirming_creates_the_record_despite_the_warning(web, structure):
    PersonFactory(
        owner_structure=structure,
        first_name="Karim",
        last_name="Haddad",
        birth_date=datetime.date(1988, 4, 12),
    )
    page = web.post(CREATE, form_data()).content.decode()
    key = page.split('name="duplicates_key" value="')[1].split('"')[0]
    # Submitting again without ticking the box: the warning stays, with an error by the box.
    response = web.post(CREATE, form_data(duplicates_key=key))
    assert "Cochez cette case" in response.content.decode()
    assert Person.objects.count() == 1
    # A key from another set of candidates does not confirm.
    response = web.post(CREATE, form_data(duplicates_key="x" * 32, confirmed="on"))
    assert Person.objects.count() == 1
    response = web.post(CREATE, form_data(duplicates_key=key, confirmed="on"))
    assert response.status_code == 302
    assert Person.objects.count() == 2


# --- Bad input -------------------------------------------------------------------------------


def tomorrow():
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", "1988-02-31", "Saisissez une date valide"),
        ("birth_date", "31/02/1988", "Saisissez une date valide"),
        ("birth_date", "", "Ce champ est obligatoire"),
        ("birth_date", "1850-01-01", "Date de naissance impossible"),
        ("birth_date", "future", "ne peut pas être dans le futur"),
        ("birth_date", "2020-01-01", "vérifiez la date de naissance"),
        ("situation_since", "future", "ne peut pas être dans le futur"),
        ("situation_since", "1980-01-01", "précède la date de naissance"),
        ("job_seeker_since", "future", "ne peut pas être dans le futur"),
        ("postal_code", "5910", "Un code postal compte 5 chiffres"),
        ("postal_code", "ABCDE", "Un code postal compte 5 chiffres"),
        ("postal_code", "99999", "Code postal inconnu"),
        ("phone", "appelez-moi", "Numéro de téléphone invalide"),
        ("phone", "12", "Numéro de téléphone invalide"),
        ("last_name", "<script>alert(1)</script>", "ne contient que des lettres"),
        ("first_name", "Jean2", "ne contient que des lettres"),
        ("birth_name", "<b>Haddad</b>", "ne contient que des lettres"),
        ("email", "pas-un-email", "Saisissez une adresse e-mail valide"),
        ("last_name", "", "Ce champ est obligatoire"),
    ],
)
def test_bad_input_gets_a_french_error_next_to_the_field(web, field, value, message):
    value = tomorrow() if value == "future" else value
    response = web.post(CREATE, form_data(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in error for error in errors[field]), errors[field]
    page = response.content.decode()
    assert f'id="id_{field}-errors"' in page
    assert not Person.objects.exists()


def test_names_with_accents_hyphens_and_apostrophes_and_a_phone_stored_in_e164(web):
    response = web.post(CREATE, form_data(first_name="Hélène", last_name="N’Diaye-Da Silva"))
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.last_name, person.phone) == ("N’Diaye-Da Silva", "+33612345678")
    edit = web.get(reverse("people:edit", args=[person.public_id])).content.decode()
    assert 'value="06 12 34 56 78"' in edit


def test_commune_not_of_the_postal_code(web, area):
    response = web.post(CREATE, form_data(postal_code="59100", commune_code="59350"))
    assert "n'a pas le code postal 59100" in response.context["form"].errors["commune"][0]
    assert not Person.objects.exists()


def test_address_without_postal_code(web):
    response = web.post(CREATE, form_data(postal_code=""))
    assert "Indiquez le code postal" in response.context["form"].errors["postal_code"][0]
    assert not Person.objects.exists()


def test_bad_edit_changes_nothing(web, referent, person):
    before = Person.objects.values().get(pk=person.pk)
    response = web.post(
        reverse("people:edit", args=[person.public_id]),
        form_data(first_name="Changé", birth_date=tomorrow()),
    )
    assert response.status_code == 200
    assert Person.objects.values().get(pk=person.pk) == before
    assert not TimelineEvent.objects.filter(verb=TimelineEvent.Verb.CHANGED).exists()
