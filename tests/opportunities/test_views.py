"""The pages, through the views: matching respects visibility and consent (both sides), the
company never sees barriers, health or status data, imports preview then write, the portal is
the leader's."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.companies.factories import LeaderAccountFactory
from tests.factories import StructureFactory
from tests.opportunities.factories import ft_offer
from tests.opportunities.helpers import own_offer, publisher, territory
from tests.people.factories import ConsentFactory
from tisserand.core.actor import Actor
from tisserand.guidance.models import GuidanceProfile
from tisserand.opportunities import services
from tisserand.opportunities.models import Introduction, IntroductionStatus, JobOffer
from tisserand.people.models import PublicStatus, PublicStatusKind
from tisserand.referentials.rome.models import FicheSkill, Skill
from tisserand.structures.roles import Role


@pytest.fixture
def area():
    return territory()


@pytest.fixture
def skills(area):
    knead = Skill.objects.create(
        code_ogr=100001, label="Pétrir la pâte", kind="savoir_faire", first_version="4.60"
    )
    shape = Skill.objects.create(
        code_ogr=100002, label="Façonner les pâtons", kind="savoir_faire", first_version="4.60"
    )
    fiche = area["boulanger"].fiche
    FicheSkill.objects.create(fiche=fiche, skill=knead, rubrique=1, coeur_metier="principale")
    FicheSkill.objects.create(fiche=fiche, skill=shape, rubrique=1)
    return knead, shape


@pytest.fixture
def offer(area, make_member, structure, skills):
    offer = own_offer(
        publisher(make_member, structure),
        establishment=area["bakery"],
        appellation=area["boulanger"],
        commune=area["roubaix"],
    )
    offer.skills = [
        {"code": 100001, "label": "Pétrir la pâte", "required": True},
        {"code": 100002, "label": "Façonner les pâtons", "required": True},
    ]
    offer.save()
    return offer


@pytest.fixture
def profiled(person, area, skills):
    profile = GuidanceProfile.objects.create(
        person=person, commune=area["roubaix"], mobility_radius_km=10
    )
    profile.skills.add(skills[0])
    from tisserand.guidance.models import GuidanceTarget

    GuidanceTarget.objects.create(
        person=person,
        fiche=area["boulanger"].fiche,
        appellation=area["boulanger"],
        score_percent=90,
        structure=person.owner_structure,
    )
    return person


def test_the_referent_sees_the_person_ranked_with_explanations(
    client_for, referent, offer, profiled
):
    page = client_for(referent).get(reverse("opportunities:offer_matches", args=[offer.public_id]))
    html = page.content.decode()
    assert "Amina Benali" in html
    assert "Pétrir la pâte" in html  # confirmed
    assert "compétence à vérifier : Façonner les pâtons" in html  # never claimed


def test_the_offers_ranked_for_a_person(client_for, referent, offer, profiled):
    page = client_for(referent).get(
        reverse("opportunities:person_matches", args=[profiled.public_id])
    )
    html = page.content.decode()
    assert offer.title in html and "même métier que celui visé" in html


def test_a_partner_sees_a_person_only_with_a_consent_covering_introductions(
    client_for, make_member, offer, profiled
):
    partner_structure = StructureFactory(name="Mission locale")
    partner = make_member(Role.PARTNER, partner_structure)
    url = reverse("opportunities:offer_matches", args=[offer.public_id])
    ConsentFactory(person=profiled, structure=partner_structure, scopes=["identity", "situation"])
    assert "Amina" not in client_for(partner).get(url).content.decode()
    propose_url = reverse("opportunities:propose", args=[offer.public_id, profiled.public_id])
    assert client_for(partner).get(propose_url).status_code == 403
    profiled.consents.update(scopes=["identity", "job_matching"])
    assert "Amina" in client_for(partner).get(url).content.decode()
    assert client_for(partner).get(propose_url).status_code == 200


def test_a_withdrawn_consent_removes_the_person(client_for, make_member, offer, profiled):
    from django.utils import timezone

    partner_structure = StructureFactory(name="CCAS")
    partner = make_member(Role.PARTNER, partner_structure)
    ConsentFactory(
        person=profiled,
        structure=partner_structure,
        scopes=["identity", "job_matching"],
        given_at=timezone.now() - timedelta(days=3),
        withdrawn_at=timezone.now(),
    )
    url = reverse("opportunities:offer_matches", args=[offer.public_id])
    assert "Amina" not in client_for(partner).get(url).content.decode()


def test_another_structures_referent_never_sees_the_person(
    client_for, make_member, other_structure, offer, profiled
):
    other = make_member(Role.REFERENT, other_structure)
    html = (
        client_for(other)
        .get(reverse("opportunities:offer_matches", args=[offer.public_id]))
        .content.decode()
    )
    assert "Amina" not in html


def test_a_funder_sees_no_offer_and_no_person(client_for, make_member, structure, offer):
    funder = client_for(make_member(Role.FUNDER, structure))
    assert funder.get(reverse("opportunities:search")).status_code == 403
    assert (
        funder.get(reverse("opportunities:offer_matches", args=[offer.public_id])).status_code
        == 403
    )


def test_proposing_then_the_company_answers_without_seeing_barriers(
    client, client_for, referent, offer, profiled, area
):
    PublicStatus.objects.create(
        person=profiled, kind=PublicStatusKind.RQTH, valid_from="2025-01-01"
    )
    url = reverse("opportunities:propose", args=[offer.public_id, profiled.public_id])
    counsellor = client_for(referent)
    refused = counsellor.post(url, {"message": "Motivée"})
    assert (
        "Recueillez l&#x27;accord" in refused.content.decode() and not Introduction.objects.exists()
    )
    response = counsellor.post(url, {"consent": "on", "message": "Très motivée"})
    introduction = Introduction.objects.get()
    assert response.url == reverse("opportunities:introduction", args=[introduction.public_id])
    detail = counsellor.get(response.url).content.decode()
    link = detail.split('sans compte : <a href="')[1].split('"')[0]
    token = link.rstrip("/").split("/")[-1]
    client.logout()
    page = client.get(reverse("opportunities:company_answer", args=[token])).content.decode()
    assert "Amina B." in page and "Benali" not in page
    assert "Pétrir la pâte" in page and "Très motivée" in page
    for secret in ("RQTH", "handicap", "frein", "santé", "RSA"):
        assert secret not in page
    # Opening the link is not seeing the profile (a mail scanner opens it too).
    assert Introduction.objects.get().status == IntroductionStatus.PROPOSED
    client.post(
        reverse("opportunities:company_answer", args=[token]),
        {"status": "interview", "interview_on": "2026-12-10"},
    )
    assert Introduction.objects.get().status == IntroductionStatus.INTERVIEW
    assert client.get(reverse("opportunities:company_answer", args=["inconnu"])).status_code == 404


def test_the_officer_records_the_hire(
    client_for, make_member, structure, referent, offer, profiled
):
    introduction, _ = services.propose(
        offer, profiled, data={"consent": True}, actor=Actor.of(referent)
    )
    officer = client_for(make_member(Role.BUSINESS, structure))
    url = reverse("opportunities:introduction_advance", args=[introduction.public_id])
    officer.post(url, {"status": "interview", "interview_on": "2026-12-10"})
    officer.post(url, {"status": "hired"})
    assert Introduction.objects.get().status == IntroductionStatus.HIRED
    person_page = (
        client_for(referent)
        .get(reverse("people:detail", args=[profiled.public_id]))
        .content.decode()
    )
    assert "Embauche" in person_page


def test_an_officer_of_another_structure_cannot_follow_it(
    client_for, make_member, other_structure, referent, offer, profiled
):
    introduction, _ = services.propose(
        offer, profiled, data={"consent": True}, actor=Actor.of(referent)
    )
    stranger = client_for(make_member(Role.BUSINESS, other_structure))
    assert (
        stranger.get(
            reverse("opportunities:introduction", args=[introduction.public_id])
        ).status_code
        == 403
    )
    response = stranger.post(
        reverse("opportunities:introduction_advance", args=[introduction.public_id]),
        {"status": "hired"},
    )
    assert response.status_code == 403 and Introduction.objects.get().status == "proposed"


def _upload(offers):
    return SimpleUploadedFile(
        "offres.json", json.dumps(offers).encode(), content_type="application/json"
    )


def test_an_import_is_previewed_then_written(client_for, make_member, structure, area):
    officer = client_for(make_member(Role.BUSINESS, structure))
    url = reverse("opportunities:imports")
    preview = officer.post(
        url, {"kind": "france_travail", "file": _upload([ft_offer("A"), ft_offer("B")])}
    )
    assert "2 offre(s) créée(s)" in preview.content.decode()
    assert JobOffer.objects.count() == 0
    officer.post(url, {"confirm": "1"})
    assert JobOffer.objects.count() == 2


def test_a_rejected_import_writes_nothing_and_says_why(client_for, make_member, structure, area):
    officer = client_for(make_member(Role.BUSINESS, structure))
    bad = ft_offer("B", nombrePostes=0)
    page = officer.post(
        reverse("opportunities:imports"),
        {"kind": "france_travail", "file": _upload([ft_offer("A"), bad])},
    )
    html = page.content.decode()
    assert "Fichier refusé" in html and "Offre n° 2 (id B) : champ « nombrePostes »" in html
    assert JobOffer.objects.count() == 0
    officer.post(reverse("opportunities:imports"), {"confirm": "1"})
    assert JobOffer.objects.count() == 0


def test_a_partner_file_needs_its_partner(client_for, make_member, structure):
    officer = client_for(make_member(Role.BUSINESS, structure))
    page = officer.post(
        reverse("opportunities:imports"),
        {"kind": "partner", "file": SimpleUploadedFile("f.csv", b"x")},
    )
    assert "Indiquez le partenaire" in page.content.decode()


def test_the_templates_download(client_for, make_member, structure):
    officer = client_for(make_member(Role.BUSINESS, structure))
    csv = officer.get(reverse("opportunities:import_template", args=["csv"]))
    assert csv.content.decode("utf-8-sig").startswith("reference;intitule")
    xlsx = officer.get(reverse("opportunities:import_template", args=["xlsx"]))
    assert xlsx.content[:2] == b"PK"


def test_the_leader_publishes_in_the_portal(client, area):
    leader = LeaderAccountFactory(establishment=area["bakery"])
    client.force_login(leader.user)
    url = reverse("opportunities:portal_offers", args=[area["bakery"].public_id])
    assert client.get(url).status_code == 200
    client.post(url, {"title": "Vendeur H/F", "positions": "1", "working_time": "any"})
    offer = JobOffer.objects.get()
    assert offer.establishment == area["bakery"] and offer.source == "own"
    other = LeaderAccountFactory()
    client.force_login(other.user)
    assert client.get(url).status_code == 404


def test_own_offers_are_edited_by_their_structure_only(
    client_for, make_member, structure, other_structure, offer
):
    mine = client_for(make_member(Role.BUSINESS, structure))
    assert mine.get(reverse("opportunities:edit", args=[offer.public_id])).status_code == 200
    theirs = client_for(make_member(Role.BUSINESS, other_structure))
    assert theirs.get(reverse("opportunities:edit", args=[offer.public_id])).status_code == 403
    assert theirs.get(reverse("opportunities:detail", args=[offer.public_id])).status_code == 200


def test_saving_a_search_and_unsubscribing(client, client_for, referent):
    counsellor = client_for(referent)
    counsellor.post(
        reverse("opportunities:save_search") + "?texte=boulanger",
        {"label": "Boulangerie", "alerts": "on"},
    )
    from tisserand.opportunities.models import SavedSearch

    saved = SavedSearch.objects.get()
    assert saved.params["text"] == "boulanger" and saved.alerts
    page = counsellor.get(reverse("opportunities:search")).content.decode()
    assert "Boulangerie" in page


def test_the_likely_to_hire_page(client_for, referent, area):
    page = client_for(referent).get(
        reverse("opportunities:likely") + f"?metier={area['boulanger'].code_ogr}&commune=59512"
    )
    assert page.status_code == 200


def test_the_likely_page_lists_and_an_officer_records_an_opt_out(
    client_for, make_member, structure, area
):
    from tests.companies.factories import EstablishmentFactory
    from tisserand.opportunities.models import HiringOptOut
    from tisserand.referentials.rome.models import Hiring, NafSection, NafSubclass

    section = NafSection.objects.create(code="C", label="Industrie")
    naf = NafSubclass.objects.create(
        code="1071C", label="Boulangerie", section=section, search_text="boulangerie"
    )
    Hiring.objects.create(
        fiche=area["boulanger"].fiche, naf=naf, source_rome_code="D1102", count=10
    )
    shop = EstablishmentFactory(name="Fournil Roubaisien", naf=naf)
    url = reverse("opportunities:likely") + f"?metier={area['boulanger'].code_ogr}"
    officer = client_for(make_member(Role.BUSINESS, structure))
    assert "Fournil Roubaisien" in officer.get(url).content.decode()
    partner = client_for(make_member(Role.PARTNER, structure))
    assert partner.post(reverse("opportunities:opt_out", args=[shop.public_id])).status_code == 403
    officer = client_for(make_member(Role.BUSINESS, structure))
    officer.post(
        reverse("opportunities:opt_out", args=[shop.public_id]), {"reason": "Demande du gérant"}
    )
    assert HiringOptOut.objects.get().reason == "Demande du gérant"
    assert "Fournil Roubaisien — potentiel" not in officer.get(url).content.decode()


def test_a_colleague_sees_only_the_introductions_of_persons_they_see(
    client_for, make_member, structure, referent, offer, profiled
):
    services.propose(offer, profiled, data={"consent": True}, actor=Actor.of(referent))
    introduction = Introduction.objects.get()
    colleague = client_for(make_member(Role.REFERENT, structure))
    assert "Amina" not in colleague.get(reverse("opportunities:introductions")).content.decode()
    assert (
        colleague.get(
            reverse("opportunities:introduction", args=[introduction.public_id])
        ).status_code
        == 403
    )
    officer = client_for(make_member(Role.BUSINESS, structure))
    assert "Amina" in officer.get(reverse("opportunities:introductions")).content.decode()
    assert (
        "Amina" in client_for(referent).get(reverse("opportunities:introductions")).content.decode()
    )


@pytest.fixture
def proposed(offer, profiled, referent):
    """An introduction proposed by the référent, and the company's link."""
    introduction, token = services.propose(
        offer, profiled, data={"consent": True}, actor=Actor.of(referent)
    )
    return introduction, reverse("opportunities:company_answer", args=[token])


def _steps(introduction):
    introduction.refresh_from_db()
    return introduction.status, introduction.steps.count()


def test_opening_the_company_link_marks_nothing_seen(client, client_for, referent, proposed):
    introduction, url = proposed
    before = _steps(introduction)
    assert client.get(url).status_code == 200  # anonymous: a mail scanner
    assert client.head(url).status_code == 200
    assert client_for(referent).get(url).status_code == 200  # the counsellor checks the link
    assert _steps(introduction) == before == (IntroductionStatus.PROPOSED, 1)
    assert "J'ai pris connaissance de ce profil" in client.get(url).content.decode()


def test_the_companys_leader_opening_its_link_marks_it_seen(client, area, proposed):
    introduction, url = proposed
    client.force_login(LeaderAccountFactory().user)  # the leader of another company
    client.get(url)
    assert _steps(introduction) == (IntroductionStatus.PROPOSED, 1)
    client.force_login(LeaderAccountFactory(establishment=area["bakery"]).user)
    page = client.get(url).content.decode()
    assert _steps(introduction) == (IntroductionStatus.SEEN, 2)
    assert "État actuel : Vue par l&#x27;entreprise" in page
    assert "pris connaissance de ce profil" not in page


def test_the_company_says_it_has_seen_the_profile_once(client, proposed):
    introduction, url = proposed
    response = client.post(url, {"vu": "1"}, follow=True)
    assert "vous avez vu ce profil" in response.content.decode()
    assert _steps(introduction) == (IntroductionStatus.SEEN, 2)
    assert "pris connaissance de ce profil" not in response.content.decode()
    client.post(url, {"vu": "1"})
    assert _steps(introduction) == (IntroductionStatus.SEEN, 2)
    step = introduction.steps.order_by("at", "id").last()
    assert step.by_company and step.to_status == IntroductionStatus.SEEN


def test_an_unknown_link_marks_nothing(client, proposed):
    introduction, _url = proposed
    response = client.post(reverse("opportunities:company_answer", args=["inconnu"]), {"vu": "1"})
    assert response.status_code == 404
    assert _steps(introduction) == (IntroductionStatus.PROPOSED, 1)
