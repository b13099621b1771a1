"""The commune search page, the commune page and the commune picker."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.referentials.geo.factories import ALMA, make_commune, make_roubaix_area, write_geojson
from tisserand.core.pickers import PickerField
from tisserand.referentials.geo.models import BassinEmploi
from tisserand.referentials.geo.qpv_import import import_qpv_file
from tisserand.structures.roles import Role


@pytest.fixture
def area():
    return make_roubaix_area()


@pytest.fixture
def member_client(client_for, make_member):
    return client_for(make_member(Role.PARTNER))


@pytest.mark.parametrize("path", ["/communes/", "/communes/59512/", "/choix/commune/?q=rou"])
def test_anonymous_users_are_sent_to_login(client, area, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


@pytest.mark.parametrize("path", ["/communes/", "/communes/59512/", "/choix/commune/?q=rou"])
def test_users_acting_for_no_structure_are_refused(client, area, path):
    client.force_login(UserFactory())
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", [Role.PARTNER, Role.REFERENT, Role.FUNDER])
def test_any_member_reads_a_commune(client_for, make_member, area, tmp_path, role):
    import_qpv_file(write_geojson(tmp_path, [ALMA]))
    response = client_for(make_member(role)).get("/communes/59512/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Roubaix</h1>" in html
    assert "59100" in html and "Nord (59)" in html and "Hauts-de-France" in html
    assert "Roubaix-Tourcoing (3217)" in html
    assert 'href="/communes/59367/"' in html  # Lys-lez-Lannoy, same bassin
    assert "/communes/59350/" not in html  # Lille, another bassin
    assert "Métropole Européenne de Lille — SIREN 200093201" in html
    assert "QN05912M" in html and "Alma" in html


def test_commune_page_without_qpv_contours_says_so(member_client, area):
    html = member_client.get("/communes/59367/").content.decode()
    assert "Les contours des QPV 2024 ne sont pas encore importés" in html


def test_unknown_commune_is_404(member_client, area):
    assert member_client.get("/communes/99999/").status_code == 404


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_commune_page_queries_do_not_grow_with_the_bassin(member_client, area, tmp_path):
    import_qpv_file(write_geojson(tmp_path, [ALMA]))
    before = _queries(member_client, "/communes/59512/")
    bassin = BassinEmploi.objects.get(code="3217")
    for number in range(30):
        make_commune(f"59{700 + number}", f"Commune {number}", ["59999"], bassin=bassin)
    assert _queries(member_client, "/communes/59512/") == before


def test_search_by_name_postal_code_and_insee_code(member_client, area):
    html = member_client.get("/communes/", {"q": "LYS LEZ"}).content.decode()
    assert 'href="/communes/59367/"' in html and "1 commune" in html
    html = member_client.get("/communes/", {"q": "59800"}).content.decode()
    assert 'href="/communes/59350/"' in html
    html = member_client.get("/communes/", {"q": "59512"}).content.decode()
    assert 'href="/communes/59512/"' in html
    html = member_client.get("/communes/", {"q": "nulle part"}).content.decode()
    assert "Aucune commune ne correspond" in html


def test_a_commune_chosen_in_the_picker_opens_its_page(member_client, area):
    response = member_client.get("/communes/", {"q": "Roubaix (59100)", "q_code": "59512"})
    assert response.status_code == 302
    assert response["Location"] == "/communes/59512/"


def test_search_results_are_paginated_with_bounded_queries(member_client, area):
    for number in range(30):
        make_commune(f"59{700 + number}", f"Saint-Test {number:02d}", ["59999"])
    first = member_client.get("/communes/", {"q": "saint test"})
    assert "30 communes" in first.content.decode()
    assert "Page 1 sur 2" in first.content.decode()
    second = member_client.get("/communes/", {"q": "saint test", "page": 2}).content.decode()
    assert "Saint-Test 29" in second and "Saint-Test 00" not in second
    assert _queries(member_client, "/communes/?q=saint+test") == _queries(
        member_client, "/communes/?q=lys"
    )


def test_picker_endpoint_proposes_communes(member_client, area):
    response = member_client.get("/choix/commune/", {"champ": "commune", "commune": "lys lez"})
    html = response.content.decode()
    assert 'data-value="59367"' in html and "Lys-lez-Lannoy (59390)" in html
    html = member_client.get("/choix/commune/", {"champ": "commune", "commune": "5910"}).content
    assert b'data-value="59512"' in html


class AddressForm(forms.Form):
    commune = PickerField("commune", label="Commune")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"commune_code": "59512", "commune": "Roubaix (59100)"}, "59512"),
        ({"commune_code": "", "commune": "roubaix"}, "59512"),
        ({"commune_code": "", "commune": "59100"}, "59512"),
        ({"commune_code": "", "commune": "59367"}, "59367"),
        ({"commune_code": "", "commune": "Lille (59000…)"}, "59350"),
    ],
)
def test_picker_field_resolves_communes(area, data, expected):
    form = AddressForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"].insee_code == expected


def test_picker_field_refuses_an_ambiguous_postal_code(area):
    make_commune("59598", "Toufflers", ["59390"])
    form = AddressForm({"commune_code": "", "commune": "59390"})
    assert not form.is_valid()
    error = form.errors["commune"][0]
    assert "ne désigne pas une seule entrée" in error and "Toufflers" in error


def test_picker_widget_shows_the_chosen_commune(area):
    html = str(AddressForm(initial={"commune": "59512"})["commune"])
    assert 'value="Roubaix (59100)"' in html and 'name="commune_code" value="59512"' in html
