"""Issue 9, point 8: phones in E.164, names of letters, one partner per action, one term for
e-mail."""

import io
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from tests.accompaniment.conftest import ENTRY, ensure_initial_data
from tests.factories import StructureFactory
from tests.people.factories import PersonFactory
from tisserand.accompaniment import services
from tisserand.accompaniment.data_repairs import give_each_action_one_partner
from tisserand.accompaniment.forms import ActionForm
from tisserand.accompaniment.models import PlanAction
from tisserand.accompaniment.services import AccompanimentError
from tisserand.core.actor import Actor
from tisserand.core.stored_phones import normalise_stored_phones
from tisserand.core.validators import display_phone, normalise_phone, validate_person_name
from tisserand.people.models import Person
from tisserand.structures.models import Structure
from tisserand.structures.roles import Role

# --- Phones -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("03 20 11 22 33", "+33320112233"),
        ("03.20.11.22.33", "+33320112233"),
        ("+33 3 20 11 22 33", "+33320112233"),
        ("0033 3 20 11 22 33", "+33320112233"),
        ("+32 2 555 12 12", "+3225551212"),
        ("+1 415 555 2671", "+14155552671"),
    ],
)
def test_french_and_international_numbers_are_stored_in_e164(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12", "appelez-moi", "03 20 11", "+33 3 20 11 22 33 44 55"])
def test_impossible_numbers_are_refused(typed):
    with pytest.raises(ValidationError, match="Numéro de téléphone invalide"):
        normalise_phone(typed)


def test_numbers_are_shown_as_people_read_them():
    assert display_phone("+33320112233") == "03 20 11 22 33"
    assert display_phone("+3225551212") == "+32 2 555 12 12"


@pytest.fixture
def admin(make_member, structure):
    return make_member(Role.ADMIN, structure)


def structure_data(**overrides):
    data = {
        "name": "MDE",
        "address_line": "1 rue",
        "postal_code": "59100",
        "commune_name": "Roubaix",
        "commune_insee": "59512",
        "phone": "03 20 11 22 33",
        "email": "",
    }
    return {**data, **overrides}


def test_structure_phone_is_validated_and_stored_in_e164(client_for, admin, structure):
    url = reverse("structures:edit", args=[structure.public_id])
    response = client_for(admin).post(url, structure_data(phone="12"))
    assert response.status_code == 200
    assert "Numéro de téléphone invalide" in response.context["form"].errors["phone"][0]
    structure.refresh_from_db()
    assert structure.phone == ""
    assert client_for(admin).post(url, structure_data()).status_code == 302
    structure.refresh_from_db()
    assert structure.phone == "+33320112233"
    page = client_for(admin).get(reverse("structures:detail", args=[structure.public_id]))
    assert "03 20 11 22 33" in page.content.decode()


def test_the_model_refuses_a_number_not_in_e164():
    with pytest.raises(ValidationError) as error:
        StructureFactory.build(phone="03 20 11 22 33").full_clean()
    assert "phone" in error.value.message_dict


def test_stored_phones_are_rewritten_and_invalid_ones_reported_not_dropped():
    good = StructureFactory(phone="03 20 11 22 33")
    bad = StructureFactory(phone="12")
    out = io.StringIO()
    reported = normalise_stored_phones(Structure, lambda row: f"structure {row.pk}", out=out)
    good.refresh_from_db(), bad.refresh_from_db()
    assert (good.phone, bad.phone) == ("+33320112233", "12")
    assert [row.pk for row in reported] == [bad.pk]
    assert f"structure {bad.pk} : « 12 »" in out.getvalue()


def test_the_data_migrations_normalise_people_and_structures():
    person = PersonFactory(phone="06 12 34 56 78")
    normalise_stored_phones(Person, lambda row: f"personne {row.public_id}")
    person.refresh_from_db()
    assert person.phone == "+33612345678"


# --- Names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Marie-Hélène", "N'Diaye", "N’Diaye", "de la Tour", "Ñúñez"])
def test_names_of_letters_spaces_hyphens_and_apostrophes(name):
    validate_person_name(name)


@pytest.mark.parametrize("name", ["<script>", "Jean2", "a  b", "-Jean", "Jean_", "J@n"])
def test_names_with_anything_else_are_refused(name):
    with pytest.raises(ValidationError, match="ne contient que des lettres"):
        validate_person_name(name)


def test_the_person_model_refuses_markup_in_names(structure):
    person = PersonFactory.build(owner_structure=structure, first_name="<script>")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "first_name" in error.value.message_dict


# --- One partner per action -------------------------------------------------------------------


@pytest.fixture
def referent(make_member, structure):
    return make_member(Role.REFERENT, structure)


@pytest.fixture
def objective(structure, referent):
    ensure_initial_data()
    from tests.accompaniment.factories import programme

    actor = Actor.of(referent)
    person = PersonFactory(owner_structure=structure)
    accompaniment = services.open_accompaniment(
        person, programme=programme(), referent=referent.user, entry_date=ENTRY, actor=actor
    )
    return services.add_objective(accompaniment, theme="mobility", label="Permis", actor=actor)


def action_form(objective, **partner):
    data = {"action_type": "driving_licence", "label": "Permis", "status": "planned", **partner}
    return ActionForm(data, accompaniment=objective.accompaniment)


@pytest.mark.parametrize("both", [True, False])
def test_the_action_form_wants_exactly_one_partner(objective, structure, both):
    partner = {"partner_structure": str(structure.pk), "partner_name": "Auto-école"}
    form = action_form(objective, **(partner if both else {}))
    assert not form.is_valid()
    field = "partner_structure" if both else "partner_name"
    assert "une structure du réseau ou un autre partenaire" in form.errors[field][0]
    assert action_form(objective, partner_name="Auto-école").is_valid()
    assert action_form(objective, partner_structure=str(structure.pk)).is_valid()


def test_the_service_and_the_database_refuse_both_partners(objective, structure, referent):
    action = PlanAction(
        action_type="driving_licence",
        label="Permis",
        partner_structure=structure,
        partner_name="Auto-école",
    )
    with pytest.raises(AccompanimentError, match="pas les deux"):
        services.add_action(objective, action, actor=Actor.of(referent))
    assert not PlanAction.objects.exists()
    for partner in ({"partner_structure": structure, "partner_name": "x"}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            PlanAction.objects.create(
                objective=objective, action_type="driving_licence", label="x", **partner
            )


def test_the_migration_gives_each_stored_action_one_partner(objective, structure):
    # Rows the constraint now forbids could only exist before it: written around it.
    none = PlanAction.objects.create(
        objective=objective, action_type="driving_licence", label="Aucun", partner_name="y"
    )
    both = PlanAction.objects.create(
        objective=objective, action_type="driving_licence", label="Deux", partner_name="z"
    )
    _force(none, partner_name="")
    _force(both, partner_structure_id=StructureFactory().pk)
    give_each_action_one_partner(PlanAction)
    none.refresh_from_db(), both.refresh_from_db()
    assert none.partner_structure_id == objective.accompaniment.structure_id
    assert (both.label, both.partner_name) == ("Deux (avec z)", "")


def _force(action, **values):
    """Writes values the check constraint forbids (SQLite lets a connection ignore checks)."""
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite lets a test bypass a check constraint")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = 1")
        PlanAction.objects.filter(pk=action.pk).update(**values)
        cursor.execute("PRAGMA ignore_check_constraints = 0")


# --- One term for e-mail ----------------------------------------------------------------------

SOURCES = Path(__file__).resolve().parents[2] / "tisserand"
# « adresse e-mail » for the field, « e-mail » in a sentence; never another spelling.
OTHER_TERMS = re.compile(
    r"courriel|adresse électronique|\bmél\b|\bE-mail\b|\be?mails?\b(?![_.@])|(?<!-)\bmail\b",
    re.IGNORECASE,
)
ALLOWED = re.compile(r"\b[Aa]dresses? e-mail|\be-mails?\b")


def _ui_texts():
    for path in SOURCES.rglob("*"):
        if path.suffix not in (".html", ".txt") or "templates" not in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]*>", " ", line)
            yield f"{path.relative_to(SOURCES)}:{number}", text


def test_one_term_for_e_mail_in_every_template():
    odd = [
        (where, text.strip())
        for where, text in _ui_texts()
        if OTHER_TERMS.search(ALLOWED.sub(" ", text))
    ]
    assert odd == []


def test_one_term_for_e_mail_in_field_labels_and_django_messages():
    labels = [
        f"{model._meta.label}.{field.name}: {field.verbose_name}"
        for model in django_apps.get_models()
        if model.__module__.startswith("tisserand.")
        for field in model._meta.get_fields()
        if field.name == "email"
    ]
    assert labels and all("adresse e-mail" in label for label in labels), labels
    with pytest.raises(ValidationError, match="Saisissez une adresse e-mail valide"):
        forms.EmailField().clean("pas-un-email")
