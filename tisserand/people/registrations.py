"""What the people app adds to the navigation, the home page, the record pages, merges and
the scopes of consent."""

from tisserand.core import home, navigation, records
from tisserand.people import consent_scopes, merging, perms
from tisserand.people.models import Consent, ConsentScope, FollowUpMember, Note, PublicStatus


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
    _register_merge_hooks()
    for order, (key, label) in enumerate(ConsentScope.choices, 1):
        consent_scopes.register(consent_scopes.Scope(key, label, order=order * 10))


def _register_merge_hooks():
    merging.register(
        merging.MergeHook(FollowUpMember, "person", settle=merging.close_clashing_follow_up_seats)
    )
    merging.register(
        merging.MergeHook(Consent, "person", settle=merging.withdraw_clashing_consents)
    )
    merging.register(merging.MergeHook(PublicStatus, "person"))
    merging.register(merging.MergeHook(Note, "person"))
