"""The public self-service pages: explore alone, nothing stored, rate-limited, French errors."""

from urllib.parse import unquote

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.guidance.helpers import (
    ROUBAIX,
    appellation_code,
    explore_params,
    make_training,
    profile,
)
from tisserand.core.models import TimelineEvent
from tisserand.guidance import loading, ratelimit
from tisserand.guidance.models import ContactRequest, GuidanceProfile, GuidanceTarget
from tisserand.guidance.profiles import ProfileData
from tisserand.referentials.rome.models import FicheSkill
from tisserand.structures.models import StructureKind


def stored_rows():
    return (
        ContactRequest.objects.count(),
        GuidanceProfile.objects.count(),
        GuidanceTarget.objects.count(),
        TimelineEvent.objects.count(),
        Session.objects.count(),
    )


NOTHING = (0, 0, 0, 0, 0)


def test_the_page_is_open_without_an_account(client):
    response = client.get(reverse("guidance:explore"))
    assert response.status_code == 200
    assert "Rien n'est enregistré" in response.content.decode()


def test_the_skills_of_the_jobs_held_are_proposed_unticked_core_first(client):
    response = client.get(
        reverse("guidance:explore"), explore_params(fiche="K2204", action="competences")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Cochez celles que vous maîtrisez" in content
    assert content.count('name="competences"') > 20
    assert " checked>" not in content
    know_how = content.split("<legend>Savoir-faire</legend>")[1].split("</fieldset>")[0]
    assert know_how.split("</li>")[0].count("Cœur de métier") == 1
    certifications = content.split("Diplômes, certificats et habilitations")[1]
    assert "CAP agent de propreté et d&#x27;hygiène" in certifications.split("</fieldset>")[0]


def test_ticked_skills_stay_ticked_and_only_they(client):
    kept = profile().skills[:3]
    params = explore_params(action="competences")
    params["competences"] = [str(code) for code in kept]
    content = client.get(reverse("guidance:explore"), params).content.decode()
    for code in kept:
        assert f'value="{code}" id="competence-{code}" checked' in content
    assert content.count(" checked>") == 3


def test_a_profile_leads_to_twenty_ranked_suggestions(client):
    response = client.get(
        reverse("guidance:explore"),
        explore_params(commune_code=ROUBAIX, commune="", rayon="20"),
    )
    assert response.status_code == 302
    token = unquote(response["Location"].split("p=")[1])
    data = ProfileData.from_token(token)
    assert data.commune == ROUBAIX and data.radius_km == 20 and data.skills == []
    response = client.get(response["Location"])
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('class="card guidance-suggestion"') == 20
    assert "Mobilité professionnelle officielle (ROME) depuis votre métier" in content
    assert "Vous savez déjà" not in content
    assert "de ses compétences avec votre métier" in content
    assert "En commun avec vos métiers (à confirmer)" in content
    assert "bassin d'emploi Roubaix-Tourcoing" in content
    assert stored_rows() == NOTHING


def test_a_target_shows_the_gap_and_the_sectors(client):
    data = profile()
    response = client.get(reverse("guidance:target", args=["J1301"]), {"p": data.to_token()})
    content = response.content.decode()
    assert response.status_code == 200
    assert "À acquérir" in content and "Vous savez déjà" in content
    assert "Embauches annuelles par secteur" in content
    assert "Formations à moins de 20 km de Roubaix" in content
    core = FicheSkill.objects.filter(fiche__code="J1301", coeur_metier="principale")
    assert core.exists()
    assert content.count('badge--info">Cœur de métier') == core.count()


def test_a_diploma_the_person_did_not_state_is_a_requirement_not_a_skill(client):
    data = profile("K2204", skills=[], qualification_level="level_3")
    response = client.get(reverse("guidance:target", args=["K2205"]), {"p": data.to_token()})
    content = response.content.decode()
    have = content.split("<h3>Vous savez déjà</h3>")[1].split("<h3>À acquérir</h3>")[0]
    assert "CAP agent de propreté" not in have
    access = content.split('id="acces"')[1].split("</section>")[0]
    assert "CAP agent de propreté et d&#x27;hygiène — " in access
    assert "Non indiqué dans votre profil" in access


def test_a_diploma_the_person_ticked_is_stated(client):
    cap = next(
        code
        for code in profile("K2204").skills
        if loading.current_catalogue().skills[code].label.startswith("CAP agent de propreté")
    )
    data = profile("K2204", skills=[cap])
    content = client.get(
        reverse("guidance:target", args=["K2205"]), {"p": data.to_token()}
    ).content.decode()
    access = content.split('id="acces"')[1].split("</section>")[0]
    assert "Vous l'avez indiqué" in access


def test_trainings_near_the_person_cover_the_target(client):
    make_training("J1301", "Agent de service hospitalier — titre professionnel")
    make_training("J1301", "Formation lointaine", commune="59350", point=(48.85, 2.35))
    response = client.get(reverse("guidance:target", args=["J1301"]), {"p": profile().to_token()})
    content = response.content.decode()
    assert "Agent de service hospitalier — titre professionnel" in content
    assert "Organisme fictif de test" in content
    assert "Formation lointaine" not in content
    assert "du 01/09/2030 au 01/03/2031" in content


def test_the_synthesis_and_its_pdf(client):
    token = profile().to_token()
    response = client.get(reverse("guidance:synthesis"), {"p": token, "cible": ["J1301", "K2204"]})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Mes prochaines étapes" in content
    assert content.count('class="synthesis-target"') == 2
    response = client.get(
        reverse("guidance:synthesis_pdf"), {"p": token, "cible": ["J1301", "K2204"]}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert stored_rows() == NOTHING


# --- bad input: French message, nothing stored ------------------------------------------------


def test_an_empty_profile_is_refused(client):
    response = client.get(reverse("guidance:explore"), {"action": "resultats", "temps": "any"})
    assert response.status_code == 200
    assert "Le profil est vide" in response.content.decode()
    assert stored_rows() == NOTHING


def test_an_unknown_job_title_is_refused_next_to_its_field(client):
    response = client.get(
        reverse("guidance:explore"),
        {"metier_1_code": "999999999", "metier_1": "Zzqxw wqzz", "action": "resultats"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "« Zzqxw wqzz » ne correspond à aucune entrée" in content
    assert 'id="id_metier_1-errors"' in content
    assert stored_rows() == NOTHING


@pytest.mark.parametrize("radius", ["0", "201", "-5"])
def test_a_radius_out_of_range_is_refused(client, radius):
    response = client.get(reverse("guidance:explore"), explore_params(rayon=radius))
    assert response.status_code == 200
    assert "Le rayon de mobilité doit être compris entre 1 et 200 km." in response.content.decode()
    assert stored_rows() == NOTHING


def test_unknown_skill_codes_are_refused(client):
    params = explore_params()
    params["competences"] = ["123", "abc"]
    content = client.get(reverse("guidance:explore"), params).content.decode()
    assert "Code invalide : « abc »." in content


def test_an_altered_token_is_refused(client):
    token = profile().to_token()
    response = client.get(reverse("guidance:results"), {"p": token[:-3] + "abc"})
    assert response.status_code == 400
    assert "a été modifié" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"radius_km": 500}, "Le rayon de mobilité doit être compris entre 1 et 200 km."),
        ({"commune": "99999"}, "Code(s) inconnu(s) (commune) : 99999."),
        ({"skills": [1]}, "Code(s) inconnu(s) (compétence) : 1."),
        ({"qualification_level": "level_42"}, "Niveau de qualification inconnu"),
        ({"physical_limits": ["voler"]}, "Code(s) inconnu(s) (contrainte) : voler."),
    ],
)
def test_a_signed_but_impossible_profile_is_refused_in_french(client, changes, message):
    token = profile(**changes).to_token()
    response = client.get(reverse("guidance:results"), {"p": token})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_unknown_target_is_not_found(client):
    token = profile().to_token()
    assert client.get(reverse("guidance:target", args=["A0000"]), {"p": token}).status_code == 404
    response = client.get(reverse("guidance:synthesis"), {"p": token, "cible": "Z9999"})
    assert response.status_code == 400


# --- rate limit --------------------------------------------------------------------------------


def test_the_public_pages_are_rate_limited_per_address(client, monkeypatch):
    # One instant for the whole test: a slow machine must not cross into the next window.
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_800_000_030.0)
    limit = ratelimit.PAGES[0]
    for _ in range(limit):
        assert client.get(reverse("guidance:explore")).status_code == 200
    response = client.get(reverse("guidance:explore"))
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    other = client.get(reverse("guidance:explore"), REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200


def test_pdfs_have_their_own_tighter_limit(client, monkeypatch):
    monkeypatch.setattr(ratelimit, "PDF", (1, 600))
    from tisserand.guidance.views import public

    token = profile().to_token()
    hit = ratelimit.hit
    calls = []

    def counting(scope, request, limit, window):
        calls.append(scope)
        return hit(scope, request, 1 if scope == "pdf" else limit, window)

    monkeypatch.setattr(ratelimit, "hit", counting)
    assert public  # the decorator reads ratelimit.hit at call time
    url = reverse("guidance:synthesis_pdf")
    assert client.get(url, {"p": token, "cible": "J1301"}).status_code == 200
    assert client.get(url, {"p": token, "cible": "J1301"}).status_code == 429
    assert calls.count("pdf") == 2


# --- contact request: the only thing stored, with consent ---------------------------------------


@pytest.fixture
def mde(structure):
    structure.kind = StructureKind.MAISON_EMPLOI
    structure.save()
    return structure


def contact_data(**changes):
    data = {
        "first_name": "Inès",
        "last_name": "Martin",
        "email": "ines.martin@example.org",
        "phone": "",
        "preferred_means": "email",
        "message": "Je voudrais devenir infirmière.",
        "share_profile": "on",
        "consent": "on",
        "p": profile().to_token(),
        "cible": ["J1506"],
    }
    data.update(changes)
    return data


def test_no_request_is_kept_without_consent(client, mde):
    data = contact_data()
    del data["consent"]
    response = client.post(reverse("guidance:contact"), data)
    assert response.status_code == 200
    assert "Votre accord est nécessaire" in response.content.decode()
    assert stored_rows() == NOTHING


def test_a_contact_means_is_required(client, mde):
    response = client.post(reverse("guidance:contact"), contact_data(email=""))
    assert "Indiquez votre adresse e-mail" in response.content.decode()
    assert ContactRequest.objects.count() == 0


def test_a_consented_request_reaches_the_maison_de_l_emploi(client, mde):
    response = client.post(reverse("guidance:contact"), contact_data())
    assert response.status_code == 200
    assert "Votre demande est envoyée" in response.content.decode()
    request = ContactRequest.objects.get()
    assert request.structure == mde
    assert request.consent_text.startswith("J'accepte que la Maison de l'Emploi conserve")
    assert request.consented_at is not None
    assert "Métiers exercés : Aide-soignant" in request.profile_summary
    assert "Infirmier" in request.profile_summary
    assert (GuidanceProfile.objects.count(), TimelineEvent.objects.count()) == (0, 0)


def test_the_profile_is_joined_only_when_asked(client, mde):
    data = contact_data()
    del data["share_profile"]
    client.post(reverse("guidance:contact"), data)
    assert ContactRequest.objects.get().profile_summary == ""


def test_accepted_contact_requests_are_counted_per_address(client, mde):
    limit = ratelimit.CONTACT_PER_ADDRESS[0]
    for _ in range(limit):
        client.post(reverse("guidance:contact"), contact_data())
    response = client.post(reverse("guidance:contact"), contact_data())
    assert response.status_code == 429
    message = "Vous avez déjà envoyé 3 demandes de contact avec cette adresse e-mail"
    assert message in response.content.decode()
    assert ContactRequest.objects.count() == limit
    # Another resident at the same reception PC is not locked out.
    other = client.post(reverse("guidance:contact"), contact_data(email="lea@example.org"))
    assert "Votre demande est envoyée" in other.content.decode()
    assert ContactRequest.objects.count() == limit + 1


def test_failed_submissions_are_not_counted(client, mde):
    for _ in range(10):
        failed = client.post(reverse("guidance:contact"), contact_data(email="pas-un-email"))
        assert failed.status_code == 200
    response = client.post(reverse("guidance:contact"), contact_data())
    assert "Votre demande est envoyée" in response.content.decode()
    assert ContactRequest.objects.count() == 1


def test_a_phone_number_is_counted_whatever_its_spacing(client, mde):
    for index in range(ratelimit.CONTACT_PER_ADDRESS[0]):
        spaced = "06 12 34 56 78" if index % 2 else "0612345678"
        client.post(
            reverse("guidance:contact"),
            contact_data(email="", phone=spaced, preferred_means="phone"),
        )
    response = client.post(
        reverse("guidance:contact"),
        contact_data(email="", phone="06.12.34.56.78", preferred_means="phone"),
    )
    assert response.status_code == 429
    assert ContactRequest.objects.count() == ratelimit.CONTACT_PER_ADDRESS[0]


def test_one_client_sending_many_accepted_requests_is_capped(client, mde, settings):
    limit = ratelimit.CONTACT_PER_CLIENT[0]
    for index in range(limit):
        client.post(reverse("guidance:contact"), contact_data(email=f"p{index}@example.org"))
    response = client.post(reverse("guidance:contact"), contact_data(email="last@example.org"))
    assert response.status_code == 429
    assert "depuis cet ordinateur" in response.content.decode()
    assert ContactRequest.objects.count() == limit


# --- public pickers ---------------------------------------------------------------------------


def test_visitors_get_job_title_proposals(client):
    url = reverse("guidance:public_picker", args=["metier-public"])
    response = client.get(url, {"champ": "q", "q": "aide-soignant", "id": "id_metier_1"})
    assert response.status_code == 200
    assert "Aide-soignant" in response.content.decode()
    assert str(appellation_code("J1501")) in response.content.decode() or "J1501" in (
        response.content.decode()
    )


def test_only_public_pickers_are_served_to_visitors(client):
    assert client.get(reverse("guidance:public_picker", args=["appellation"])).status_code == 404
    response = client.get(reverse("core:picker", args=["appellation"]), {"q": "aide"})
    assert response.status_code == 302  # the members' endpoint wants a login
