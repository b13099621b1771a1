"""The demo seeder: about 80 services of the bassin across the thematics, referrals at every
state made through the services, once."""

import io

from tests.accompaniment.conftest import ensure_initial_data
from tests.referentials.geo.factories import make_roubaix_area
from tisserand.accompaniment import demo as accompaniment_demo
from tisserand.referrals import demo
from tisserand.referrals.models import Referral, ReferralState, Service, ServiceThematic
from tisserand.structures import demo as territory


def test_the_demo_directory_and_referrals_are_seeded_once():
    ensure_initial_data()
    make_roubaix_area()
    territory.seed()
    accompaniment_demo.seed(io.StringIO())
    output = io.StringIO()
    demo.seed(output)
    services = Service.objects.filter(is_demo=True)
    assert 75 <= services.count() <= 90
    families = set(
        ServiceThematic.objects.values_list("thematic__parent__code", flat=True).distinct()
    )
    assert {"famille", "mobilite", "apprendre-francais", "numerique", "sante"} <= families
    assert services.filter(structure__network_structure__isnull=True).exists()
    assert services.filter(structure__network_structure__isnull=False).exists()
    assert Service.objects.visible().count() < services.count()  # some are hidden (240 days)
    assert set(Referral.objects.values_list("state", flat=True)) == set(ReferralState.values)
    assert Referral.objects.filter(receiving_structure__isnull=True).exists()
    demo.seed(output)
    assert "déjà présents" in output.getvalue()
    assert Service.objects.filter(is_demo=True).count() == services.count()
