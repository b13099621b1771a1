"""What the people app adds to the navigation, the home page, the record pages, merges, the
scopes of consent it honours and the supporting documents."""

from tisserand.core import home, navigation, records
from tisserand.core.documents import Attachable, attachables
from tisserand.people import consent_scopes, merging, openings, perms, retention
from tisserand.people.models import (
    Consent,
    ConsentScope,
    FollowUpMember,
    Note,
    PublicStatus,
    QpvAttestation,
    QpvStatusChange,
)


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
    records.register_section(
        records.Section(
            kind="person",
            key="openings",
            title="Qui a ouvert ce dossier",
            template_name="people/panels/openings.html",
            predicate=openings.visible,
            context=openings.context,
            order=200,
        )
    )
    records.register_section(
        records.Section(
            kind="person",
            key="retention",
            title="Conservation du dossier",
            template_name="people/panels/retention.html",
            predicate=perms.sees_retention,
            context=retention.section_context,
            order=210,
        )
    )
    retention.register_rule()
    _register_merge_hooks()
    _register_attachables()
    for scope in (ConsentScope.IDENTITY, ConsentScope.SITUATION):
        consent_scopes.register_honoured(scope)


def _register_merge_hooks():
    merging.register(
        merging.MergeHook(FollowUpMember, "person", settle=merging.close_clashing_follow_up_seats)
    )
    merging.register(
        merging.MergeHook(Consent, "person", settle=merging.withdraw_clashing_consents)
    )
    for model in (PublicStatus, Note, QpvStatusChange, QpvAttestation):
        merging.register(merging.MergeHook(model, "person"))


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
