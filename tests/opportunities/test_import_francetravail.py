"""France Travail « Offres d'emploi v2 » files: idempotent diff-sync (created, updated,
unchanged, closed, reopened), ties to the ROME and to the company records, and many malformed
variants refused whole with French messages naming the offer and the field."""

import copy

import pytest

from tests.accompaniment.factories import appellation
from tests.companies.factories import EstablishmentFactory
from tests.opportunities.factories import ft_file, ft_offer, ft_offers
from tests.referentials.geo.factories import make_roubaix_area
from tisserand.opportunities.importing import francetravail, sync
from tisserand.opportunities.importing.errors import OfferFileRejected
from tisserand.opportunities.models import JobOffer, OfferImport, OfferSource, OfferStatus

FT = OfferSource.FRANCE_TRAVAIL


@pytest.fixture
def area():
    return make_roubaix_area()


def run(offers):
    return sync.sync(francetravail.parse(offers), source=FT, file_name="test.json")


def test_a_file_creates_its_offers_with_every_field(area, tmp_path):
    boulanger = appellation()
    created = sync.sync(francetravail.load_file(ft_file(tmp_path, [ft_offer()])), source=FT)
    assert (created.created, created.updated, created.closed) == (1, 0, 0)
    offer = JobOffer.objects.get()
    assert offer.external_id == "200ABCD"
    assert offer.appellation == boulanger and offer.fiche == boulanger.fiche
    assert offer.occupation_match == "label"
    assert offer.commune == area["roubaix"]
    assert offer.contract_type == "CDI" and offer.experience == "D"
    assert offer.working_time == "full_time"
    assert offer.accessible_th is True
    assert offer.skills[0] == {"code": 100001, "label": "Pétrir la pâte", "required": True}
    assert offer.licences == ["B - Véhicule léger"]
    assert offer.origin_url.endswith("200ABCD")
    assert offer.apply_url == "https://exemple.fr/postuler"
    assert offer.status == OfferStatus.OPEN


def test_reimporting_the_same_file_changes_nothing(area):
    offers = ft_offers(5)
    run(offers)
    before = list(JobOffer.objects.values_list("pk", "updated_at", "content_hash"))
    again = run(copy.deepcopy(offers))
    assert (again.created, again.updated, again.unchanged, again.closed) == (0, 0, 5, 0)
    assert list(JobOffer.objects.values_list("pk", "updated_at", "content_hash")) == before


def test_a_changed_offer_is_updated_a_missing_one_closed_and_a_returning_one_reopened(area):
    offers = ft_offers(3)
    run(offers)
    changed = copy.deepcopy(offers[:2])
    changed[0]["intitule"] = "Boulanger confirmé H/F"
    result = run(changed)
    assert (result.created, result.updated, result.unchanged, result.closed) == (0, 1, 1, 1)
    closed = JobOffer.objects.get(external_id="FT00002")
    assert closed.status == OfferStatus.CLOSED and closed.closed_at is not None
    assert JobOffer.objects.searchable().count() == 2
    assert JobOffer.objects.get(external_id="FT00000").title == "Boulanger confirmé H/F"
    back = run(offers)
    assert back.updated == 2  # the reopened one and the title back
    assert JobOffer.objects.get(external_id="FT00002").status == OfferStatus.OPEN
    assert OfferImport.objects.count() == 3


def test_occupation_by_code_label_fuzzy_then_rome(area):
    boulanger = appellation()
    offers = [
        ft_offer("A", appellationCode=str(boulanger.code_ogr), appellationlibelle="n'importe quoi"),
        ft_offer("B"),
        ft_offer("C", appellationlibelle="Boulangr / Boulangère"),
        ft_offer("D", appellationlibelle="Maître de chai"),
        ft_offer("E", appellationlibelle="", romeCode="Z9999"),
    ]
    run(offers)
    matches = dict(JobOffer.objects.values_list("external_id", "occupation_match"))
    assert matches == {"A": "code", "B": "label", "C": "fuzzy", "D": "rome", "E": ""}
    assert JobOffer.objects.get(external_id="D").fiche == boulanger.fiche
    assert JobOffer.objects.get(external_id="E").fiche is None


def test_tied_to_the_company_record_by_siret_then_by_name_and_commune(area):
    by_siret = EstablishmentFactory(commune=area["lys"])
    by_name = EstablishmentFactory(name="Boulangerie du Nord", commune=area["roubaix"])
    EstablishmentFactory(name="Homonyme", commune=area["roubaix"])
    EstablishmentFactory(name="Homonyme", commune=area["roubaix"])
    run(
        [
            ft_offer("S", entreprise={"nom": "Autre nom", "siret": by_siret.siret}),
            ft_offer("N"),
            ft_offer("H", entreprise={"nom": "HOMONYME"}),
            ft_offer(
                "X",
                entreprise={"nom": "Boulangerie du Nord"},
                lieuTravail={"libelle": "Lille", "commune": "59350"},
            ),
        ]
    )
    ties = dict(JobOffer.objects.values_list("external_id", "establishment_id"))
    assert ties == {"S": by_siret.pk, "N": by_name.pk, "H": None, "X": None}


def test_the_point_falls_back_on_the_commune(area):
    run([ft_offer("P", lieuTravail={"libelle": "Lys", "commune": "59367"})])
    offer = JobOffer.objects.get()
    assert (offer.latitude, offer.longitude) == (area["lys"].latitude, area["lys"].longitude)


def _broken(**changes):
    offer = ft_offer("BAD")
    for key, value in changes.items():
        if value is DELETE:
            del offer[key]
        else:
            offer[key] = value
    return offer


DELETE = object()

MALFORMED = [
    ({"id": DELETE}, "champ « id » : obligatoire"),
    ({"intitule": ""}, "champ « intitule » : obligatoire"),
    ({"dateCreation": "20/11/2026"}, "champ « dateCreation »"),
    ({"dateCreation": None}, "champ « dateCreation »"),
    ({"nombrePostes": 0}, "champ « nombrePostes » : entre 1 et 999"),
    ({"nombrePostes": "deux"}, "champ « nombrePostes » : nombre entier attendu"),
    ({"nombrePostes": True}, "champ « nombrePostes » : nombre entier attendu"),
    ({"experienceExige": "X"}, "champ « experienceExige » : D, S ou E attendu"),
    ({"typeContrat": "XYZ"}, "champ « typeContrat » : type de contrat inconnu"),
    ({"alternance": "oui"}, "champ « alternance » : vrai ou faux attendu"),
    ({"accessibleTH": "oui"}, "champ « accessibleTH » : vrai ou faux attendu"),
    ({"lieuTravail": "Roubaix"}, "champ « lieuTravail » : objet attendu"),
    ({"lieuTravail": {"latitude": "abc", "longitude": 3}}, "nombres attendus"),
    ({"lieuTravail": {"latitude": 95, "longitude": 3}}, "coordonnées hors limites"),
    ({"competences": "pétrir"}, "champ « competences » : liste attendue"),
    ({"competences": [{"code": "abc"}]}, "champ « competences.code »"),
    ({"competences": [{"code": "1", "exigence": "X"}]}, "champ « competences.exigence »"),
    ({"entreprise": {"nom": "A", "siret": "123"}}, "champ « entreprise.siret » : 14 chiffres"),
    ({"intitule": "x" * 251}, "champ « title » : texte trop long (251 caractères, 250 au plus)"),
    ({"contact": {"urlPostulation": "javascript:alert(1)"}}, "champ « apply_url » : lien http(s)"),
    ({"permis": [42]}, "champ « permis » : élément illisible"),
]


@pytest.mark.parametrize(("changes", "message"), MALFORMED)
def test_a_malformed_offer_rejects_the_whole_file_with_a_french_message(area, changes, message):
    good = ft_offer("GOOD")
    with pytest.raises(OfferFileRejected) as error:
        francetravail.parse([good, _broken(**changes)])
    assert any(message in line and line.startswith("Offre n° 2") for line in error.value.errors), (
        error.value.errors
    )
    assert JobOffer.objects.count() == 0


def test_a_rejected_file_changes_nothing_already_imported(area, tmp_path):
    run(ft_offers(2))
    before = list(JobOffer.objects.values_list("pk", "status", "content_hash"))
    with pytest.raises(OfferFileRejected):
        francetravail.load_file(ft_file(tmp_path, [ft_offer("NEW"), _broken(nombrePostes=-1)]))
    assert list(JobOffer.objects.values_list("pk", "status", "content_hash")) == before


def test_a_duplicate_id_is_refused(area):
    with pytest.raises(OfferFileRejected) as error:
        francetravail.parse([ft_offer("SAME"), ft_offer("SAME")])
    assert "déjà présent à l'offre n° 1" in error.value.errors[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{pas du json", "JSON illisible, ligne 1"),
        ("[]".encode("utf-16"), "aucune offre"),
        (b'{"autre": 1}', "une liste d'offres"),
        (b'"texte"', "une liste d'offres"),
        (b"[1]", "objet attendu"),
    ],
)
def test_unreadable_files(tmp_path, content, message):
    path = tmp_path / "offres.json"
    path.write_bytes(content)
    with pytest.raises(OfferFileRejected) as error:
        francetravail.load_file(path)
    assert message in " ".join(error.value.errors)


def test_external_ids_are_unique_per_source_not_across(area):
    run([ft_offer("ONE")])
    from tisserand.opportunities.importing import partners

    csv_text = ";".join(partners.NAMES) + "\nONE;Agent;;;;;;;;;;;;;;;;;\n"
    drafts = partners.parse("f.csv", csv_text.encode(), partner_name="PLIE")
    sync.sync(drafts, source=OfferSource.PARTNER_FILE, partner_name="PLIE")
    assert JobOffer.objects.filter(external_id="ONE").count() == 2
