"""The Métiers pages on the real referential: permissions, content, bounded queries."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import UserFactory
from tisserand.referentials.rome import services
from tisserand.referentials.rome.models import FicheSkill
from tisserand.structures.roles import Role

SEARCH_URL = reverse("rome:search")


def fiche_url(code):
    return reverse("rome:fiche", args=[code])


@pytest.fixture
def member_client(client_for, make_member):
    return client_for(make_member(Role.PARTNER))


@pytest.mark.parametrize("url", [SEARCH_URL, fiche_url("M1805")])
def test_anonymous_users_are_sent_to_login_and_users_without_structure_refused(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_every_member_reads_the_occupations(client_for, make_member, role):
    client = client_for(make_member(role))
    assert client.get(SEARCH_URL).status_code == 200
    assert client.get(fiche_url("J1501")).status_code == 200


def test_search_page_lists_appellations(member_client):
    response = member_client.get(SEARCH_URL, {"q": "aide soingant"})
    html = response.content.decode()
    assert "Aide-soignant / Aide-soignante" in html
    assert f'href="{fiche_url("J1501")}?q=aide%20soingant"' in html
    assert 'role="status"' in html and "trouvé" in html


def test_search_fragment_for_htmx(member_client):
    response = member_client.get(
        SEARCH_URL, {"q": "electricien"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="resultats"
    )
    html = response.content.decode()
    assert "<html" not in html and 'id="resultats"' in html
    assert 'hx-swap-oob="innerHTML:#resultats-statut"' in html
    assert "Electricien / Electricienne du bâtiment" in html


def test_search_without_result_or_too_short(member_client):
    assert "Aucun métier trouvé" in member_client.get(SEARCH_URL, {"q": "zzqxw"}).content.decode()
    assert "au moins deux" in member_client.get(SEARCH_URL, {"q": "a"}).content.decode()


def test_unknown_fiche_is_404(member_client):
    assert member_client.get("/metiers/Z9999/").status_code == 404
    assert member_client.get(fiche_url("N9999")).status_code == 404


def test_fiche_page_shows_everything(member_client, monkeypatch):
    monkeypatch.setattr(services, "bassin_code_for_commune", lambda insee: "3217")
    html = member_client.get(fiche_url("J1501")).content.decode()
    for expected in (
        "Aide-soignant / Aide-soignante",  # title and appellations
        "Définition",
        "Accès au métier",
        "Savoir-faire",
        "Savoir-être professionnels",
        "Savoirs",
        "Contextes de travail",
        "Mobilités professionnelles",
        "Profil RIASEC",
        "Secteurs qui recrutent",
        "86.10Z",  # hospitals hire nursing assistants
        "Roubaix-Tourcoing (versant nord-est)",
        "votre bassin",
        "Hauts-de-France",
        "recrutements jugés difficiles",
    ):
        assert expected in html, expected
    assert f'href="{fiche_url("J1506")}"' in html  # a mobility, linked


def test_fiche_without_bassin_shows_the_region(member_client, monkeypatch):
    monkeypatch.setattr(services, "bassin_code_for_commune", lambda insee: None)
    html = member_client.get(fiche_url("M1805")).content.decode()
    assert "n'est pas connu" in html and "Hauts-de-France" in html
    assert "votre bassin</span>" not in html


def test_a_new_fiche_shows_the_labour_data_of_its_parent(member_client):
    html = member_client.get(fiche_url("A1102")).content.decode()
    assert "fiche d'origine A1101" in html
    assert "Fiche d'origine" in html


def test_fiche_page_queries_do_not_grow_with_the_data(
    member_client, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(services, "bassin_code_for_commune", lambda insee: "3217")
    # A small fiche and the ones with the most skills, titles and mobilities.
    for code in ("A1102", "J1501", "M1805", "K2111", "H1206"):
        with django_assert_max_num_queries(20):
            assert member_client.get(fiche_url(code)).status_code == 200
    # The first search of a process builds the title index (a fixed handful of queries, whatever
    # the data); the later ones read it.
    with django_assert_max_num_queries(16):
        assert member_client.get(SEARCH_URL, {"q": "agent"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert member_client.get(SEARCH_URL, {"q": "vendeur"}).status_code == 200


def test_fiche_page_marks_the_core_skills(member_client):
    html = member_client.get(fiche_url("M1805")).content.decode()
    links = FicheSkill.objects.filter(fiche__code="M1805").select_related("skill")
    core = links.filter(coeur_metier="principale")
    assert core.count() == 10
    for link in core:
        assert f'{escape(link.skill.label)} <span class="badge badge--info">Cœur de métier' in html
    emerging = links.get(coeur_metier="emergente").skill.label
    assert f'{escape(emerging)} <span class="badge badge--neutral">Compétence émergente' in html
    assert html.count('badge--info">Cœur de métier') == 10
