"""The demo seeder of the HR clubs, the GPEC toolkit and the leader account: complete,
fictitious, idempotent."""

from io import StringIO

from django.contrib.auth import authenticate
from django.urls import reverse

from tests.accompaniment.factories import appellation
from tests.companies.portal_helpers import skills_for
from tisserand.companies import gpec_analysis, portal_demo
from tisserand.companies.models import GpecEmployee, GpecLevel, HrClub, HrClubSession, LeaderAccount
from tisserand.structures import demo as structures_demo


def _referential():
    for index, (_, code) in enumerate(portal_demo.POSITIONS):
        found = appellation(code_ogr=20000 + index, label=f"Métier {code}", rome_code=code)
        skills_for(
            found.fiche,
            [f"Savoir-faire {code} {n}" for n in range(5)],
            core={f"Savoir-faire {code} 0"},
        )


def test_the_demo_seeds_clubs_a_complete_toolkit_and_a_leader(client):
    structures_demo.seed()
    _referential()
    out = StringIO()
    portal_demo.seed(out)
    assert HrClub.objects.count() == 2
    assert HrClubSession.objects.count() == 5
    account = LeaderAccount.objects.select_related("establishment").get(
        user__email=portal_demo.LEADER_EMAIL
    )
    company = account.establishment
    assert company.gpec_positions.count() == 4
    assert 8 <= company.gpec_employees.count() <= 12
    assert GpecLevel.objects.filter(employee__establishment=company).count() > 20
    data = gpec_analysis.load(company)
    assert gpec_analysis.departures(data), "some departures ahead"
    assert any(row.candidates for row in gpec_analysis.anticipation(data))
    assert authenticate(email=portal_demo.LEADER_EMAIL, password=structures_demo.DEMO_PASSWORD)
    client.force_login(account.user)
    assert client.get(reverse("core:home")).status_code == 302
    # Running it again changes nothing.
    counts = (HrClub.objects.count(), GpecEmployee.objects.count(), GpecLevel.objects.count())
    portal_demo.seed(StringIO())
    assert counts == (
        HrClub.objects.count(),
        GpecEmployee.objects.count(),
        GpecLevel.objects.count(),
    )


def test_the_demo_runs_without_the_rome_referential():
    structures_demo.seed()
    out = StringIO()
    portal_demo.seed(out)
    assert "non créée" in out.getvalue()
    assert LeaderAccount.objects.filter(user__email=portal_demo.LEADER_EMAIL).exists()
