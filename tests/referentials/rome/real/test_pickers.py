"""The appellation, ROME, skill and NAF pickers on the real referential."""

import pytest
from django import forms

from tisserand.core.pickers import PickerField
from tisserand.structures.roles import Role


class OccupationForm(forms.Form):
    appellation = PickerField("appellation", label="Métier")
    rome = PickerField("rome", label="Fiche ROME", required=False)
    skill = PickerField("competence", label="Compétence", required=False)
    naf = PickerField("naf", label="Activité", required=False)


@pytest.mark.parametrize(
    ("name", "query", "value", "label"),
    [
        ("appellation", "aide soingant", "10891", "Aide-soignant / Aide-soignante (J1501)"),
        ("rome", "developeur informatique", "M1805", "M1805 — Développeur / Développeuse"),
        ("rome", "m1805", "M1805", "M1805 — Développeur / Développeuse informatique"),
        ("competence", "abatre un arbre", "100023", "Abattre un arbre (savoir-faire)"),
        ("naf", "62.01", "6201Z", "62.01Z — Programmation informatique"),
    ],
)
def test_picker_endpoint_proposes(client_for, make_member, name, query, value, label):
    client = client_for(make_member(Role.PARTNER))
    response = client.get(f"/choix/{name}/", {"champ": "q", "q": query, "id": "id_q"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-value="{value}"' in html, html
    assert label in html


def test_picker_endpoint_refuses_users_without_structure(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/choix/appellation/", {"q": "aide"}).status_code == 403


def test_picker_fields_resolve_codes_and_typed_text():
    form = OccupationForm(
        {
            "appellation_code": "",
            "appellation": "Aide-soignant / Aide-soignante",
            "rome_code": "M1805",
            "rome": "M1805 — Développeur / Développeuse informatique",
            "skill_code": "100023",
            "skill": "",
            "naf": "62.01Z",
        }
    )
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert data["appellation"].code_ogr == 10891 and data["appellation"].fiche.code == "J1501"
    assert data["rome"].code == "M1805"
    assert data["skill"].label == "Abattre un arbre"
    assert data["naf"].code == "6201Z"


def test_the_exact_label_a_picker_proposes_is_accepted_as_typed():
    """Without JavaScript (or a proposal typed out): « Caissier / Caissière (D1505) »."""
    form = OccupationForm(
        {
            "appellation_code": "",
            "appellation": "Caissier / Caissière (D1505)",
            "skill_code": "",
            "skill": "Abattre un arbre (savoir-faire)",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["appellation"].label == "Caissier / Caissière"
    assert form.cleaned_data["appellation"].fiche.code == "D1505"
    assert form.cleaned_data["skill"].label == "Abattre un arbre"


def test_picker_field_refuses_an_unknown_title():
    form = OccupationForm({"appellation_code": "", "appellation": "Xqzwv Kjhgfd"})
    assert not form.is_valid()
    assert "ne correspond à aucune entrée" in form.errors["appellation"][0]


def test_picker_widget_shows_the_current_choice():
    html = str(OccupationForm(initial={"appellation": "10891"})["appellation"])
    assert 'value="Aide-soignant / Aide-soignante (J1501)"' in html
    assert 'name="appellation_code" value="10891"' in html
