"""What the modules add to the equal-opportunity view, the non-relocatable share and the
observatory: the same masking, the rows that must not count."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.accompaniment.factories import appellation
from tests.clauses.factories import DeclarationFactory, LotFactory
from tests.clauses.factories import ParticipantFactory as ClauseParticipantFactory
from tests.companies.factories import EstablishmentFactory
from tests.factories import StructureFactory
from tests.opportunities.factories import IntroductionFactory, JobOfferFactory
from tests.referentials.geo.factories import make_commune
from tests.reporting import factories as f
from tisserand.referentials.geo.models import BassinEmploi
from tisserand.referentials.rome.models import NafSection, NafSubclass
from tisserand.reporting import equality, observatory, relocation, services
from tisserand.reporting.indicators import Scope
from tisserand.reporting.masking import recover_by_difference
from tisserand.structures.roles import Role

D = datetime.date


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def house():
    return StructureFactory(kind="maison_emploi")


def _introduce(house, status, qpv, gender="female"):
    return IntroductionFactory(
        person=f.person(house, qpv=qpv, gender=gender),
        structure=house,
        status=status,
        created_at=at(D(2025, 4, 1)),
        reason="profile" if status == "not_retained" else "",
    )


def test_the_hire_rate_of_introductions_qpv_and_not(house):
    for _ in range(5):
        _introduce(house, "hired", "in_qpv")
    for _ in range(5):
        _introduce(house, "not_retained", "in_qpv")
    for _ in range(6):
        _introduce(house, "hired", "not_in_qpv")
    table, gaps = equality.rate_table("introductions_hire_rate", "sex", Scope(), f.YEAR)
    women = table.rows[0]
    assert women[1] == "50.0 % (5 / 10)"
    assert women[2] == "100.0 % (6 / 6)"
    assert women[3] == "—"  # nobody of unknown status: no rate, not « 0 % »
    assert women[-1] == "-50.0 pts"


def test_clause_jobs_by_sex_are_masked_like_every_count(house):
    for _ in range(6):
        ClauseParticipantFactory(structure=house, is_eligible=True, qpv_at_start="in_qpv")
    for _ in range(7):
        ClauseParticipantFactory(structure=house, is_eligible=True, qpv_at_start="not_in_qpv")
    for _ in range(2):
        ClauseParticipantFactory(structure=house, is_eligible=True, qpv_at_start="unknown")
    ClauseParticipantFactory(structure=house, is_eligible=False, qpv_at_start="in_qpv")
    table, masked = equality.count_table("clause_jobs", "sex", Scope(), f.YEAR)
    unspecified = [row for row in table.rows if row[0] == "Non précisé"][0]
    assert unspecified[3] == "masqué"
    assert recover_by_difference(masked) == {}
    assert all(not (isinstance(v, int) and 0 < v < 5) for row in table.rows for v in row)


def test_the_page_shows_the_new_rows(client_for, make_member, house):
    client = client_for(make_member(Role.DIRECTOR, house))
    page = client.get("/pilotage/egalite-des-chances/?debut=2025-01-01&fin=2025-12-31")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Emplois en clause sociale par genre" in text
    assert "Mises en relation suivies d&#x27;une embauche par genre" in text or (
        "Mises en relation suivies d'une embauche par genre" in text
    )
    assert "Taux d&#x27;embauche des mises en relation" in text or (
        "Taux d'embauche des mises en relation" in text
    )


def _naf(code, section="G", label="Commerce"):
    section_row, _ = NafSection.objects.get_or_create(code=section, defaults={"label": label})
    return NafSubclass.objects.create(
        code=code, label=label, section=section_row, search_text=label.lower()
    )


def test_offers_and_clause_jobs_in_presentielle_activities(house):
    services.load_naf_spheres()
    shop = EstablishmentFactory(naf=_naf("4711D"))  # retail: présentielle
    factory_ = EstablishmentFactory(naf=_naf("1320Z", "C", "Tissage"))  # productive
    JobOfferFactory(establishment=shop, sector_code="13")  # the establishment's NAF wins
    JobOfferFactory(sector_code="47")  # no establishment: the offer's sector
    JobOfferFactory(establishment=factory_)
    JobOfferFactory()  # no known activity: not counted
    assert relocation.offers_share() == (2, 3)
    local, other = LotFactory(holder=shop), LotFactory(holder=factory_)
    worker = ClauseParticipantFactory(structure=house, is_eligible=True)
    builder = ClauseParticipantFactory(structure=house, is_eligible=True)
    ineligible = ClauseParticipantFactory(structure=house, is_eligible=False)
    DeclarationFactory(participant=worker, lot=local)
    DeclarationFactory(participant=worker, lot=local, month=D(2025, 4, 1))  # counted once
    DeclarationFactory(participant=builder, lot=other)
    DeclarationFactory(participant=ineligible, lot=local, hours=Decimal(10))
    assert relocation.clause_jobs_share() == (1, 2)
    table = relocation.sources_table((30, 40))
    assert table.rows[1] == ["Offres d'emploi", 3, 2, "66.7 %"]
    assert table.rows[2] == ["Emplois des clauses sociales", 2, 1, "50.0 %"]


def test_the_relocation_page_shows_the_sources(client_for, make_member, house):
    services.load_naf_spheres()
    client = client_for(make_member(Role.DIRECTOR, house))
    page = client.get("/pilotage/emplois-non-delocalisables/")
    assert page.status_code == 200
    assert "Emplois des clauses sociales" in page.content.decode()


def test_the_observatory_shows_open_offers_by_occupation_and_contract(
    client_for, make_member, house
):
    bassin = BassinEmploi.objects.create(code="3217", name="Roubaix-Tourcoing")
    roubaix = make_commune("59512", "Roubaix", bassin=bassin)
    elsewhere = make_commune("59350", "Lille")
    fiche = appellation().fiche
    for _ in range(6):
        JobOfferFactory(commune=roubaix, fiche=fiche, contract_type="CDI", positions=2)
    for _ in range(2):
        JobOfferFactory(commune=roubaix, fiche=fiche, contract_type="CDD")
    JobOfferFactory(
        commune=roubaix,
        fiche=fiche,
        contract_type="CDI",
        status="closed",
        closed_at=at(D(2025, 1, 1)),
    )
    JobOfferFactory(commune=roubaix, fiche=fiche, contract_type="CDI", expires_on=D(2020, 1, 1))
    JobOfferFactory(commune=elsewhere, fiche=fiche, contract_type="CDI")
    table = observatory.offers_table("bassin", "3217")
    label = f"{fiche.code} — {fiche.label}"
    assert table.rows == [[label, "CDI", 6, 12], [label, "CDD", "< 5", "< 5"]]
    client = client_for(make_member(Role.REFERENT, house))
    page = client.get("/observatoire/?territoire=bassin:3217")
    assert page.status_code == 200
    assert page.context["tables"][-1].key == "offres"
