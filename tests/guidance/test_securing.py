"""Sécurisation des parcours: an employee's reconversion map, a company's collective map."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.guidance.helpers import ROUBAIX, appellation_code, make_training
from tisserand.guidance.models import ContactRequest, GuidanceProfile
from tisserand.structures.roles import Role

FORKLIFT_DRIVER = "N1101"
SALES_ASSISTANT = "D1106"


def test_an_employee_gets_a_reconversion_map_without_an_account(client):
    make_training("N1103", "Préparateur de commandes — titre professionnel")
    response = client.get(
        reverse("guidance:reconversion"),
        {
            "metier_code": str(appellation_code(FORKLIFT_DRIVER)),
            "metier": "",
            "annees": "8",
            "commune_code": ROUBAIX,
            "commune": "",
            "rayon": "25",
            "voir": "1",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Carte des reconversions depuis" in content
    assert content.count("<tr>") == 11  # header + 10 paths
    assert "Mobilité officielle (ROME)" in content
    assert "Projet de transition professionnelle" in content
    assert "Validation des acquis de l&#x27;expérience" in content
    assert "Transitions collectives" in content
    assert "Contrat de sécurisation professionnelle" in content
    assert (ContactRequest.objects.count(), GuidanceProfile.objects.count()) == (0, 0)


def reconversion_codes(content):
    return re.findall(r'<span class="guidance-code">\(([A-N]\d{4})\)</span>', content)


def test_a_weaver_s_paths_leave_the_textile_trade(client):
    make_training("K2204", "Agent de propreté — titre professionnel", commune="59350")
    weaver = appellation_code("H2403", "Tisserand / Tisserande en industrie textile")
    content = client.get(
        reverse("guidance:reconversion"),
        {
            "metier_code": str(weaver),
            "metier": "",
            "commune_code": ROUBAIX,
            "commune": "",
            "rayon": "5",
            "voir": "1",
        },
    ).content.decode()
    codes = reconversion_codes(content)
    assert len(codes) == 10
    assert sum(1 for code in codes if code.startswith("H24")) <= 2
    assert len({code[:3] for code in codes}) >= 4


def test_short_experience_gets_a_hint_on_the_schemes(client):
    response = client.get(
        reverse("guidance:reconversion"),
        {
            "metier_code": str(appellation_code(FORKLIFT_DRIVER)),
            "metier": "",
            "annees": "1",
            "voir": "1",
        },
    )
    assert "L&#x27;expérience indiquée semble courte" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"metier": "", "voir": "1"}, "Ce champ est obligatoire."),
        ({"metier": "Zzqxw", "voir": "1"}, "« Zzqxw » ne correspond à aucune entrée"),
        ({"metier": "", "rayon": "0", "voir": "1"}, "compris entre 1 et 200 km"),
        ({"metier": "", "annees": "99", "voir": "1"}, "La durée va de 0 à 60 ans."),
    ],
)
def test_bad_input_on_the_reconversion_page(client, params, message):
    response = client.get(reverse("guidance:reconversion"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


def collective_rows(*rows, commune=ROUBAIX):
    data = {
        "postes-TOTAL_FORMS": "8",
        "postes-INITIAL_FORMS": "0",
        "postes-MIN_NUM_FORMS": "0",
        "postes-MAX_NUM_FORMS": "8",
        "site-commune_code": commune,
        "site-commune": "",
        "site-rayon": "30",
        "voir": "1",
    }
    for index, (fiche, count) in enumerate(rows):
        data[f"postes-{index}-metier_code"] = str(appellation_code(fiche)) if fiche else ""
        data[f"postes-{index}-metier"] = ""
        data[f"postes-{index}-effectif"] = "" if count is None else str(count)
    return data


@pytest.fixture
def business(make_member, structure):
    return make_member(Role.BUSINESS, structure)


def test_a_company_gets_its_collective_reconversion_map(client_for, business):
    response = client_for(business).post(
        reverse("guidance:collective"),
        collective_rows((FORKLIFT_DRIVER, 12), (SALES_ASSISTANT, 5), (FORKLIFT_DRIVER, 3)),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Carte des reconversions (20 salariés)" in content
    assert "Besoins de formation" in content
    assert "Contrat de sécurisation professionnelle" in content
    assert "Transitions collectives" in content
    assert (ContactRequest.objects.count(), GuidanceProfile.objects.count()) == (0, 0)


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_the_collective_map_exports(client_for, business, kind):
    data = collective_rows((FORKLIFT_DRIVER, 12), (SALES_ASSISTANT, 5))
    del data["voir"]
    response = client_for(business).post(reverse("guidance:collective"), {**data, "format": kind})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="carte-reconversions.{kind}"'
    if kind == "pdf":
        assert response.content.startswith(b"%PDF")
        return
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == [
        "Métiers de destination",
        "Besoins de formation",
        "Formations",
        "Postes de l'entreprise",
    ]
    targets = list(workbook["Métiers de destination"].values)
    assert targets[0][:3] == ("Métier", "Code ROME", "Salariés concernés")
    assert len(targets) > 5 and all(isinstance(row[2], int) for row in targets[1:])
    jobs = list(workbook["Postes de l'entreprise"].values)[1:]
    assert sorted((code, count) for _, code, count in jobs) == [("D1106", 5), ("N1101", 12)]


def test_collective_map_aggregates_employees(referentials):
    from tisserand.guidance import securing
    from tisserand.referentials.rome.models import Appellation

    forklift = Appellation.objects.get(code_ogr=appellation_code(FORKLIFT_DRIVER))
    seller = Appellation.objects.get(code_ogr=appellation_code(SALES_ASSISTANT))
    result = securing.collective_map([(forklift, 12), (seller, 5)], ROUBAIX, 30)
    assert result.employees == 17
    assert sum(t.employees for t in result.targets) == 17 * securing.TARGETS_PER_JOB
    assert result.targets[0].employees >= result.targets[-1].employees
    assert result.needs and result.needs[0].employees >= result.needs[-1].employees
    assert len(result.trainings) == securing.TARGETS_WITH_TRAININGS


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(None, None)], "Indiquez au moins un métier et son nombre de salariés."),
        ([(FORKLIFT_DRIVER, None)], "Indiquez combien de salariés occupent ce métier."),
        ([(FORKLIFT_DRIVER, 0)], "Au moins 1 salarié."),
        ([(None, 4)], "Indiquez le métier de ces salariés."),
    ],
)
def test_bad_input_on_the_collective_map(client_for, business, rows, message):
    response = client_for(business).post(reverse("guidance:collective"), collective_rows(*rows))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Carte des reconversions (" not in response.content.decode()


def test_the_collective_map_is_for_members(client, client_for, make_member, structure):
    url = reverse("guidance:collective")
    assert client.get(url).status_code == 302
    assert client_for(make_member(Role.FUNDER, structure)).get(url).status_code == 403
