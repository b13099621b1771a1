"""What the people app adds to the navigation, the home page, the record pages and the
supporting documents."""

from tisserand.core import home, navigation, records
from tisserand.core.documents import Attachable, attachables
from tisserand.people import consent_rules, perms
from tisserand.people.models import ConsentScope


def register_all():
    records.kinds.register(records.RecordKind("person", access=perms.access_for))
    navigation.register(
        navigation.NavEntry(
            "Personnes", "people:list", perms.can_list_persons, order=25, prefix="/personnes/"
        )
    )
    home.register(
        home.HomeCard(
            "Personnes",
            "Retrouvez une personne suivie, ou créez sa fiche (les doublons sont signalés).",
            "Voir les personnes",
            "people:list",
            perms.can_list_persons,
            order=21,
        )
    )
    _register_attachables()
    for order, scope in enumerate((ConsentScope.IDENTITY, ConsentScope.SITUATION)):
        consent_rules.honoured.register(consent_rules.HonouredScope(scope, order=order))


def _logged(person, sensitive=False):
    label = f"{person} — données sensibles" if sensitive else str(person)
    return person, person.owner_structure, label


def _register_attachables():
    attachables.register(
        Attachable(
            "people.person",
            record=perms.record_of,
            may_open=perms.may_open_person_document,
            logged=lambda record, person: _logged(person),
        )
    )
    attachables.register(
        Attachable(
            "people.publicstatus",
            record=lambda request, status: (perms.record_of(request, status.person), status),
            may_open=perms.may_open_status_document,
            logged=lambda pair, status: _logged(status.person, status.is_special_category),
        )
    )
    attachables.register(
        Attachable(
            "people.qpvattestation",
            record=lambda request, attestation: perms.record_of(request, attestation.person),
            may_open=perms.may_view_whole,
            logged=lambda record, attestation: _logged(attestation.person),
        )
    )
    attachables.register(
        Attachable(
            "people.consent",
            record=lambda request, consent: perms.record_of(request, consent.person),
            may_open=perms.may_view_whole,
            logged=lambda record, consent: _logged(consent.person),
        )
    )
