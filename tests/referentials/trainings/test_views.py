import io
import re
import uuid

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tisserand.referentials.trainings import referentials
from tisserand.referentials.trainings.models import Training
from tisserand.referentials.trainings.registrations import load_demo_trainings
from tisserand.structures.roles import Role

SEARCH_URL = reverse("trainings:search")


@pytest.fixture
def member_client(make_member, client_for):
    return client_for(make_member(Role.REFERENT))


def detail_url(lheo_id):
    return reverse("trainings:detail", args=[Training.objects.get(lheo_id=lheo_id).public_id])


def test_the_search_page_lists_every_training(demo_catalogue, member_client):
    response = member_client.get(SEARCH_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "8 formations" in content
    assert "Titre professionnel Cuisinier" in content
    assert 'aria-current="page">Formations</a>' in content  # the navigation entry
    assert "<html" in content


def test_search_by_rome_code(demo_catalogue, member_client):
    content = member_client.get(SEARCH_URL, {"metier": "m1805"}).content.decode()
    assert "1 formation" in content
    assert "Développeur web et web mobile" in content
    assert "Cuisinier" not in content


def test_search_by_occupation_name(demo_catalogue, member_client, monkeypatch):
    monkeypatch.setattr(
        referentials, "rome_codes_matching", lambda text, limit=20: ["N1101", "N1103"]
    )
    content = member_client.get(SEARCH_URL, {"metier": "cariste"}).content.decode()
    assert "2 formations" in content
    assert "Cariste d&#x27;entrepôt" in content


def test_an_unknown_occupation_is_explained(demo_catalogue, member_client):
    response = member_client.get(SEARCH_URL, {"metier": "astronaute lunaire"})
    content = response.content.decode()
    assert "Aucun métier ne correspond à « astronaute lunaire »" in content
    assert 'aria-invalid="true"' in content


def test_search_by_distance_around_a_commune(demo_catalogue, communes, member_client):
    response = member_client.get(
        SEARCH_URL, {"commune_code": "59512", "commune": "", "rayon": "5", "certifiante": "on"}
    )
    content = response.content.decode()
    assert "4 formations, de la plus proche à la plus éloignée" in content
    assert "à 0,4 km" in content
    assert "Cuisinier" not in content  # Lille, 11 km away


def test_search_by_dates(demo_catalogue, member_client):
    content = member_client.get(
        SEARCH_URL, {"debut_apres": "2027-09-01", "debut_avant": "2027-09-30"}
    ).content.decode()
    assert "3 formations" in content
    assert "du 06/09/2027 au 03/12/2027" in content


def test_a_radius_needs_a_commune(demo_catalogue, member_client):
    content = member_client.get(SEARCH_URL, {"rayon": "10"}).content.decode()
    assert "Choisissez une commune pour chercher dans un rayon." in content


def test_htmx_gets_the_results_fragment(demo_catalogue, member_client):
    response = member_client.get(SEARCH_URL, {"metier": "K1303"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="resultats"' in content
    assert 'hx-swap-oob="true"' in content
    assert "2 formations trouvées." in content


def test_htmx_restoring_history_gets_the_whole_page(demo_catalogue, member_client):
    response = member_client.get(
        SEARCH_URL,
        {"metier": "K1303"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()


def test_htmx_with_errors_gets_the_form_back(demo_catalogue, member_client):
    response = member_client.get(SEARCH_URL, {"rayon": "10"}, HTTP_HX_REQUEST="true")
    assert response.headers["HX-Retarget"] == "#recherche-formulaire"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert "Choisissez une commune" in response.content.decode()


def test_the_training_page_shows_actions_prices_and_sessions(demo_catalogue, member_client):
    response = member_client.get(detail_url("DEMO-F-001"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Titre professionnel Agent de propreté et d&#x27;hygiène" in content
    assert "Atelier Formation Roubaix" in content
    assert "SIRET 90000001900019" in content
    assert "420 heures (dont 280 h en centre et 140 h en entreprise)" in content
    assert "€ TTC" in content
    assert "du 11/01/2027 au 09/04/2027" in content
    assert "Site de Lys-lez-Lannoy" in content
    assert "Niveau 3 (CAP, BEP)" in content
    assert "K2204" in content
    assert "RNCP" in content
    assert "démo : offre fictive" in content


def test_an_unknown_training_is_not_found(member_client):
    assert member_client.get(reverse("trainings:detail", args=[uuid.uuid4()])).status_code == 404


def test_queries_do_not_grow_with_the_data(
    demo_catalogue, communes, member_client, django_assert_max_num_queries
):
    from tisserand.referentials.trainings.importer import import_lheo

    from .conftest import demo_text

    with django_assert_max_num_queries(16):
        member_client.get(SEARCH_URL)
    with django_assert_max_num_queries(16):
        member_client.get(SEARCH_URL, {"commune_code": "59512", "rayon": "20"})
    with django_assert_max_num_queries(14):
        member_client.get(detail_url("DEMO-F-002"))
    bigger = demo_text().replace('numero="DEMO-', 'numero="COPIE-')
    import_lheo(bigger.encode("iso-8859-15", "xmlcharrefreplace"), "copie.xml")
    assert Training.objects.count() == 16
    with django_assert_max_num_queries(16):
        member_client.get(SEARCH_URL)
    with django_assert_max_num_queries(16):
        member_client.get(SEARCH_URL, {"commune_code": "59512", "rayon": "20"})


@pytest.mark.parametrize("page", ["search", "detail"])
def test_anonymous_users_are_sent_to_login(demo_catalogue, client, page):
    url = SEARCH_URL if page == "search" else detail_url("DEMO-F-001")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("page", ["search", "detail"])
def test_users_acting_for_no_structure_are_refused(demo_catalogue, client, page):
    url = SEARCH_URL if page == "search" else detail_url("DEMO-F-001")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_the_demo_loader_imports_once():
    out = io.StringIO()
    load_demo_trainings(out)
    assert Training.objects.filter(is_demo=True).count() == 8
    load_demo_trainings(out)
    assert "déjà chargées" in out.getvalue()
    assert Training.objects.count() == 8


def test_the_demo_loader_does_nothing_in_production(settings):
    settings.ENVIRONMENT = "production"
    out = io.StringIO()
    load_demo_trainings(out)
    assert not Training.objects.exists()


def test_the_training_page_leads_back_to_the_same_results(demo_catalogue, member_client):
    content = member_client.get(SEARCH_URL, {"metier": "K1303", "page": "1"}).content.decode()
    assert "?recherche=metier%3DK1303%26page%3D1" in content
    url = detail_url("DEMO-F-008")
    back = member_client.get(
        url, {"recherche": "metier=K1303&page=1&next=https://ailleurs.example"}
    )
    assert 'href="/formations/?metier=K1303&amp;page=1"' in back.content.decode()


def test_a_fiche_chosen_in_the_picker_is_searched_alone(demo_catalogue, member_client):
    content = member_client.get(
        SEARCH_URL, {"metier_code": "K1303", "metier": "K1303 — Garde d'enfant"}
    ).content.decode()
    assert "2 formations" in content
    assert 'value="K1303"' in content  # the choice is kept in the form


class FakeFiche:
    def __init__(self, code):
        self.code = code


class FakeRomePicker:
    def search(self, text, limit):
        return [FakeFiche("K1302"), FakeFiche("K1303")] if "domicile" in text else []

    def value_of(self, fiche):
        return fiche.code


def test_typed_words_search_every_fiche_the_rome_picker_proposes(
    demo_catalogue, member_client, monkeypatch
):
    monkeypatch.setattr(referentials, "get_picker", lambda name: FakeRomePicker())
    content = member_client.get(SEARCH_URL, {"metier": "aide a domicile"}).content.decode()
    assert "2 formations" in content
    assert "Assistant de vie aux familles" in content


def test_results_show_the_distance_of_each_session(demo_catalogue, communes, member_client):
    response = member_client.get(
        SEARCH_URL, {"commune_code": "59367", "commune": "", "rayon": "20"}
    )
    html = " ".join(response.content.decode().split())
    assert "à 0,0 km (session la plus proche)" in html
    assert "Lys-lez-Lannoy (" in html
    assert re.search(r"Tourcoing( \([^)]*\))?, à [1-9][0-9]*,[0-9] km", html)
