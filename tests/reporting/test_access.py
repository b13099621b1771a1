"""Who reads what, from both sides: a funder never reaches a person; a director sees only
their structure unless they are the house's."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.factories import StructureFactory
from tests.reporting import factories as f
from tisserand.reporting.models import Objective
from tisserand.structures.roles import Role

D = datetime.date
PERIOD = "debut=2025-01-01&fin=2025-12-31"


@pytest.fixture
def house():
    return StructureFactory(kind="maison_emploi", name="Maison de l'Emploi")


@pytest.fixture
def plie():
    return StructureFactory(kind="plie", name="PLIE")


@pytest.fixture
def funder_structure():
    return StructureFactory(kind="funder", name="Métropole")


@pytest.fixture
def world(house, plie, funder_structure):
    f.many(house, 7, qpv="in_qpv", last_name="Zyxwadrien")
    f.many(house, 3, exit_date=D(2025, 6, 2), exit_type="cdi")
    f.many(plie, 6)
    convention = f.convention([house], funder=funder_structure, name="Convention métropole")
    f.objective(convention, "accompanied", target=20)
    other = f.convention([plie], name="Convention de l'État au PLIE")
    return {"convention": convention, "other": other}


def _sheet_values(response):
    book = load_workbook(BytesIO(response.content))
    return [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]


def test_the_house_director_reads_the_network(client_for, make_member, house, plie, world):
    client = client_for(make_member(Role.DIRECTOR, house))
    response = client.get(f"/pilotage/?perimetre=reseau&{PERIOD}")
    assert response.status_code == 200
    assert response.context["figures"].rows[0][1] == 16
    plie_key = f"structure:{plie.public_id}"
    assert client.get(f"/pilotage/?perimetre={plie_key}&{PERIOD}").status_code == 200
    assert client.get(f"/pilotage/conventions/{world['other'].public_id}/").status_code == 200


def test_a_director_reads_only_their_structure(client_for, make_member, house, plie, world):
    client = client_for(make_member(Role.DIRECTOR, plie))
    response = client.get(f"/pilotage/?{PERIOD}")
    assert [p.key for p in response.context["perimeters"]][0] == f"structure:{plie.public_id}"
    assert "reseau" not in [p.key for p in response.context["perimeters"]]
    assert response.context["figures"].rows[0][1] == 6
    assert client.get("/pilotage/?perimetre=reseau").status_code == 404
    assert client.get(f"/pilotage/?perimetre=structure:{house.public_id}").status_code == 404
    assert client.get(f"/pilotage/conventions/{world['convention'].public_id}/").status_code == 404
    assert client.get(f"/pilotage/conventions/{world['other'].public_id}/").status_code == 200


def test_the_funder_reads_aggregates_of_its_conventions_only(
    client_for, make_member, funder_structure, world
):
    client = client_for(make_member(Role.FUNDER, funder_structure))
    response = client.get(f"/pilotage/?{PERIOD}")
    assert response.status_code == 200
    assert [p.label for p in response.context["perimeters"]] == [
        "Convention « Convention métropole »"
    ]
    rows = {row[0]: row[1] for row in response.context["figures"].rows}
    assert rows["Personnes accompagnées"] == 10
    assert rows["Sorties"] == "< 5"  # 3 exits: masked for a funder
    assert client.get(f"/pilotage/conventions/{world['other'].public_id}/").status_code == 403
    assert client.get("/pilotage/?perimetre=reseau").status_code == 404


def test_the_funder_never_reaches_a_person(client_for, make_member, funder_structure, world):
    client = client_for(make_member(Role.FUNDER, funder_structure))
    for url in (
        "/pilotage/",
        "/pilotage/egalite-des-chances/",
        "/pilotage/fse/",
        f"/pilotage/conventions/{world['convention'].public_id}/",
    ):
        response = client.get(f"{url}?{PERIOD}")
        assert response.status_code == 200, url
        assert "Zyxwadrien" not in response.content.decode(), url
    assert client.get(f"/pilotage/fse/participants.xlsx?{PERIOD}").status_code == 403
    assert client.get("/personnes/").status_code == 403
    exported = _sheet_values(client.get(f"/pilotage/egalite-des-chances/export.xlsx?{PERIOD}"))
    assert not any(isinstance(v, str) and "Zyxwadrien" in v for v in exported)
    # No count under 5 in the tables either: every number shown is 0 … never 1 to 4.
    small = [v for v in exported if isinstance(v, int) and 0 < v < 5]
    assert small == []


def test_the_participants_export_is_the_directors_structure_only(
    client_for, make_member, house, plie, world
):
    client = client_for(make_member(Role.DIRECTOR, house))
    response = client.get(f"/pilotage/fse/participants.xlsx?{PERIOD}")
    assert response.status_code == 200
    values = _sheet_values(response)
    assert "ZYXWADRIEN" in values
    assert values.count("PLIE") == 0
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[-1] == "Colonnes"


def test_a_one_day_action_does_not_make_a_participant(client_for, make_member, house, world):
    f.accompaniment(
        house,
        entry=D(2025, 3, 3),
        exit_date=D(2025, 3, 3),
        exit_type="other_reason",
        last_name="Unjour",
    )
    client = client_for(make_member(Role.DIRECTOR, house))
    values = _sheet_values(client.get(f"/pilotage/fse/participants.xlsx?{PERIOD}"))
    assert "UNJOUR" not in values
    response = client.get(f"/pilotage/fse/?perimetre=structure:{house.public_id}&{PERIOD}")
    participants = response.context["tables"][0].rows[0]
    assert participants[-1] == 10


def test_objectives_are_set_by_the_house_and_by_the_funder_for_its_own(
    client_for, make_member, house, plie, funder_structure, world
):
    other = world["other"]
    funder = client_for(make_member(Role.FUNDER, funder_structure))
    url = f"/pilotage/conventions/{other.public_id}/objectifs/nouveau/"
    assert funder.post(url, {"indicator": "exits", "target": "5"}).status_code in (403, 404)
    assert not Objective.objects.filter(convention=other).exists()
    own = f"/pilotage/conventions/{world['convention'].public_id}/objectifs/nouveau/"
    assert funder.post(own, {"indicator": "exits", "target": "5"}).status_code == 302
    director = client_for(make_member(Role.DIRECTOR, plie))
    refused = director.get(f"/pilotage/conventions/{other.public_id}/objectifs/nouveau/")
    assert refused.status_code == 403
    admin = client_for(make_member(Role.ADMIN, house))
    assert admin.post(url, {"indicator": "exits", "target": "5"}).status_code == 302
    assert Objective.objects.filter(convention=other, indicator_code="exits").exists()


def test_a_referent_reads_no_indicator(client_for, make_member, house, world):
    client = client_for(make_member(Role.REFERENT, house))
    assert client.get("/pilotage/").status_code == 403
    assert client.get("/observatoire/").status_code == 200


def test_the_dashboard_export_has_the_figures_of_the_page(client_for, make_member, house, world):
    client = client_for(make_member(Role.DIRECTOR, house))
    page = client.get(f"/pilotage/?perimetre=structure:{house.public_id}&{PERIOD}")
    export = client.get(f"/pilotage/export.xlsx?perimetre=structure:{house.public_id}&{PERIOD}")
    values = _sheet_values(export)
    for row in page.context["figures"].rows:
        assert row[1] in values


def test_the_home_page_shows_real_figures(client_for, make_member, house, world):
    response = client_for(make_member(Role.DIRECTOR, house)).get("/")
    cards = {card["title"]: card for card in response.context["cards"]}
    assert "Tableau de bord" in cards and "Objectifs des conventions" in cards
    assert cards["Tableau de bord"]["figure"][0] >= 0


def test_reporting_a_figure_through_the_page(client_for, make_member, house, world):
    convention = world["convention"]
    objective = convention.objectives.get()
    admin = client_for(make_member(Role.ADMIN, house))
    url = f"/pilotage/objectifs/{objective.public_id}/declarer/"
    response = admin.post(url, {"cible": objective.targets.get().pk})
    assert response.status_code == 302
    figure = objective.figures.get()
    assert figure.indicator_version == 1
    page = admin.get(f"/pilotage/conventions/{convention.public_id}/")
    assert page.context["figures"][0]["reported"] == page.context["figures"][0]["now"]
    # Nothing reported without a target, and the referent may not report at all.
    assert admin.post(url, {"cible": "x"}).status_code == 302
    referent = client_for(make_member(Role.REFERENT, house))
    assert referent.post(url, {"cible": objective.targets.get().pk}).status_code == 403
    assert objective.figures.count() == 1


def test_the_objectives_export_is_masked_for_the_funder(
    client_for, make_member, funder_structure, world
):
    convention = world["convention"]
    f.objective(convention, "exits", target=10)
    funder = client_for(make_member(Role.FUNDER, funder_structure))
    values = _sheet_values(funder.get(f"/pilotage/conventions/{convention.public_id}/export.xlsx"))
    assert "Sorties" in values and "< 5" in values
    assert 3 not in values


def test_only_the_house_records_conventions(client_for, make_member, house, plie, funder_structure):
    data = {
        "name": "Plan",
        "funder_kind": "state",
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "structures": [plie.pk],
    }
    for member in (make_member(Role.FUNDER, funder_structure), make_member(Role.DIRECTOR, plie)):
        assert client_for(member).post("/pilotage/conventions/nouvelle/", data).status_code == 403
    assert (
        client_for(make_member(Role.DIRECTOR, house))
        .post("/pilotage/conventions/nouvelle/", data)
        .status_code
        == 302
    )


def test_the_dashboard_filters_by_programme_and_territory(client_for, make_member, house, world):
    f.many(house, 5, code="plie")
    client = client_for(make_member(Role.DIRECTOR, house))
    key = f"perimetre=structure:{house.public_id}&{PERIOD}"
    plie = client.get(f"/pilotage/?{key}&programme=plie")
    assert plie.context["figures"].rows[0][1] == 5
    qpv = client.get(f"/pilotage/?{key}&territoire=qpv&code=QN05999A")
    assert qpv.context["figures"].rows[0][1] == 7


def test_the_funder_cannot_recompute_a_small_count_by_difference(
    client_for, make_member, funder_structure, house, world
):
    """10 accompanied, 7 in a QPV: the 3 others would follow from the two figures."""
    client = client_for(make_member(Role.FUNDER, funder_structure))
    rows = {row[0]: row[1] for row in client.get(f"/pilotage/?{PERIOD}").context["figures"].rows}
    assert rows["Personnes accompagnées"] == 10
    assert rows["dont résidents QPV"] == "< 5"
    assert rows["dont femmes"] == 10  # all women: the difference is 0, nobody
    director = client_for(make_member(Role.DIRECTOR, house))
    key = f"perimetre=structure:{house.public_id}&{PERIOD}"
    rows = {row[0]: row[1] for row in director.get(f"/pilotage/?{key}").context["figures"].rows}
    assert rows["dont résidents QPV"] == 7
