import pytest
from django import forms

from tisserand.core import pickers
from tisserand.structures.roles import Role

FRUITS = {"POM": "Pomme", "POI": "Poire", "PEC": "Pêche", "ABR": "Abricot"}


class FruitPicker(pickers.Picker):
    name = "fruit-test"

    def search(self, query, limit):
        return [code for code, label in FRUITS.items() if query.lower() in label.lower()][:limit]

    def get(self, value):
        return value if value in FRUITS else None

    def value_of(self, obj):
        return obj

    def label_of(self, obj):
        return FRUITS[obj]


pickers.register(FruitPicker())


class FruitForm(forms.Form):
    fruit = pickers.PickerField("fruit-test", label="Fruit")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"fruit_code": "POM", "fruit": "Pomme"}, "POM"),  # chosen with JavaScript
        ({"fruit_code": "", "fruit": "Poire"}, "POI"),  # exact label typed
        ({"fruit_code": "", "fruit": "abr"}, "ABR"),  # single proposal
        ({"fruit_code": "", "fruit": "PEC"}, "PEC"),  # a code typed
        ({"fruit_code": "POM", "fruit": "Abricot"}, "ABR"),  # text changed after a choice
    ],
)
def test_picker_field_resolves_a_choice(data, expected):
    form = FruitForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["fruit"] == expected


def test_picker_field_refuses_an_unknown_text():
    form = FruitForm({"fruit_code": "", "fruit": "Kiwi"})
    assert not form.is_valid()
    assert "ne correspond à aucune entrée" in form.errors["fruit"][0]


def test_picker_field_lists_proposals_for_an_ambiguous_text():
    form = FruitForm({"fruit_code": "", "fruit": "po"})
    assert not form.is_valid()
    assert form.errors["fruit"] == [
        "« po » ne désigne pas une seule entrée : choisissez une proposition, par exemple "
        "« Pomme », « Poire »."
    ]


def test_picker_field_is_required_by_default():
    form = FruitForm({"fruit_code": "", "fruit": ""})
    assert not form.is_valid()
    assert form.errors["fruit"] == ["Ce champ est obligatoire."]


def test_picker_widget_renders_the_current_choice_and_accessible_combobox():
    html = str(FruitForm(initial={"fruit": "POI"})["fruit"])
    assert 'role="combobox"' in html
    assert 'value="Poire"' in html
    assert 'name="fruit_code" value="POI"' in html


def test_picker_endpoint_proposes_entries_to_members(client_for, make_member):
    client = client_for(make_member(Role.PARTNER))
    response = client.get("/choix/fruit-test/", {"champ": "fruit", "fruit": "po", "id": "id_fruit"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-value="POM"' in html and 'data-value="POI"' in html
    assert 'id="id_fruit-options"' in html


def test_picker_endpoint_says_when_the_query_is_too_short(client_for, make_member):
    client = client_for(make_member(Role.PARTNER))
    response = client.get("/choix/fruit-test/", {"champ": "fruit", "fruit": "p"})
    assert "Tapez au moins 2 caractères" in response.content.decode()


def test_picker_endpoint_refuses_anonymous_users_and_users_without_structure(client):
    assert client.get("/choix/fruit-test/", {"q": "po"}).status_code == 302
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/choix/fruit-test/", {"q": "po"}).status_code == 403


def test_picker_endpoint_unknown_picker_is_404(client_for, make_member):
    client = client_for(make_member(Role.PARTNER))
    assert client.get("/choix/inconnu/", {"q": "po"}).status_code == 404


def test_picker_field_shows_its_pickers_hint():
    field = FruitForm()["fruit"]
    assert field.help_text == "Tapez au moins deux caractères, puis choisissez une proposition."
