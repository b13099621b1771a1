"""Factories of the directory and of the referrals."""

from datetime import timedelta

from django.utils import timezone

from tisserand.core.actor import Actor
from tisserand.referrals import services
from tisserand.referrals.models import (
    DirectoryStructure,
    Service,
    ServiceThematic,
    ServiceZone,
    Thematic,
    ZoneKind,
)

CHILDCARE = "famille--garde-denfants"
MEL = "200093201"

_serial = iter(range(1, 10**6))


def outside_structure(name="Crèche Arc-en-ciel", email="creche@exemple.test", **more):
    return DirectoryStructure.objects.create(
        source="test", source_id=f"s-{next(_serial)}", name=name, email=email, **more
    )


def network_entry(structure):
    return services.directory_entry_of(structure)


def make_service(
    structure=None,
    *,
    name="Garde d'enfants",
    thematic=CHILDCARE,
    commune=None,
    zone=(ZoneKind.EPCI, MEL),
    age_days=0,
    lat=None,
    lon=None,
    publics=(),
    on_site=True,
    remote=False,
    email="service@exemple.test",
    description="Accueil des enfants des parents en recherche d'emploi.",
):
    """A service, written directly (the bench and the search tests make many)."""
    structure = structure or outside_structure()
    service = Service.objects.create(
        structure=structure,
        source="test",
        source_id=f"svc-{next(_serial)}",
        name=name,
        description=description,
        commune=commune,
        latitude=lat if lat is not None else (commune.latitude if commune else None),
        longitude=lon if lon is not None else (commune.longitude if commune else None),
        publics=list(publics),
        publics_key=services.publics_key(list(publics)),
        on_site=on_site,
        remote=remote,
        email=email,
        updated_on=timezone.localdate() - timedelta(days=age_days),
    )
    themes = [Thematic.objects.get(code=code) for code in ([thematic] if thematic else [])]
    service.search_text = services.search_text(service, themes, structure.name)
    service.save(update_fields=["search_text"])
    ServiceThematic.objects.bulk_create(
        ServiceThematic(service=service, thematic=t) for t in themes
    )
    if zone:
        ServiceZone.objects.create(service=service, kind=zone[0], code=zone[1])
    return service


def refer(person, service, membership, scopes=("identity",), message="Merci de la recevoir."):
    return services.send_referral(
        person=person,
        service=service,
        data={"message": message, "scopes": list(scopes), "consent": True},
        actor=Actor.of(membership),
    )


def referral_row(person, **more):
    """A waiting referral of ``person``, written directly (the merge test builds one row of
    every relation to a person)."""
    from tests.factories import UserFactory
    from tisserand.referrals.models import Referral

    return Referral.objects.create(
        person=person,
        service=make_service(thematic=None),
        sender_structure=person.owner_structure,
        sender=UserFactory(),
        recipient_email="service@exemple.test",
        message="Merci de la recevoir.",
        shared_scopes=["identity"],
        consent_recorded_at=timezone.now(),
        **more,
    )
