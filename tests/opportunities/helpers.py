from tests.accompaniment.factories import appellation
from tests.companies.factories import EstablishmentFactory
from tests.referentials.geo.factories import make_roubaix_area
from tisserand.core.actor import Actor
from tisserand.opportunities import services
from tisserand.structures.roles import Role


def publisher(make_member, structure):
    return Actor.of(make_member(Role.BUSINESS, structure))


def own_offer(actor, **data):
    values = {"title": "Boulanger / Boulangère", "positions": 1, **data}
    return services.create_offer(data=values, actor=actor)


def territory():
    area = make_roubaix_area()
    area["boulanger"] = appellation()
    area["bakery"] = EstablishmentFactory(name="Boulangerie Lebrun", commune=area["roubaix"])
    return area
