"""The referrals' part of the permission matrix: the directory, the import, the referrals and
the personal link. A's demo referral is sent by A's référent for A's person to a service A
publishes (so A is both the sending and the receiving structure); B's objects are B's."""

from tests.core.matrix import (
    A_ROLES,
    ADMIN,
    EVERYONE,
    SEE_PERSON,
    SEE_PERSONAL_DATA,
    Expect,
    post_only,
)
from tests.referrals.factories import make_service, network_entry, outside_structure, refer
from tisserand.referrals.models import DirectoryImport
from tisserand.referrals.thematics import load_thematics
from tisserand.structures.roles import Role

EDIT_SERVICES = frozenset({Role.ADMIN, Role.DIRECTOR, Role.PARTNER})
ANSWER = frozenset({Role.ADMIN, Role.REFERENT, Role.DIRECTOR, Role.PARTNER})
REFER = frozenset({Role.REFERENT, Role.PARTNER})
REFER_THIS_PERSON = frozenset({Role.REFERENT})
READ_INDICATORS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.FUNDER})
SERVICE = lambda demo: {"public_id": demo.referrals_service.public_id}  # noqa: E731
REFERRAL = lambda demo: {"public_id": demo.referral.public_id}  # noqa: E731
PERSON_SERVICE = lambda demo: {  # noqa: E731
    "person_id": demo.person.public_id,
    "service_id": demo.referrals_service.public_id,
}

EXPECTED = {
    "referrals:search": Expect(A_ROLES),
    "referrals:service_create": Expect(EDIT_SERVICES),
    # The directory is shared by the network: B's services are read by A's members.
    "referrals:service": Expect(A_ROLES, other=A_ROLES, kwargs=SERVICE),
    "referrals:service_edit": Expect(EDIT_SERVICES, kwargs=SERVICE),
    "referrals:service_confirm": post_only(EDIT_SERVICES, kwargs=SERVICE),
    "referrals:my_services": Expect(EDIT_SERVICES),
    "referrals:import": Expect(ADMIN),
    "referrals:import_preview": Expect(
        ADMIN, kwargs=lambda demo: {"token": demo.directory_import.token}
    ),
    "referrals:person_search": Expect(
        REFER_THIS_PERSON, kwargs=lambda demo: {"person_id": demo.person.public_id}
    ),
    "referrals:refer": Expect(REFER_THIS_PERSON, kwargs=PERSON_SERVICE),
    "referrals:received": Expect(ANSWER),
    "referrals:sent": Expect(REFER),
    "referrals:follow_up": Expect(ANSWER),
    "referrals:territory": Expect(READ_INDICATORS),
    "referrals:notices": Expect(SEE_PERSONAL_DATA),
    # The personal link is the right to open that one referral, whoever follows it.
    "referrals:link": Expect(
        EVERYONE, other=EVERYONE, kwargs=lambda demo: {"token": demo.referral_token}
    ),
    # The receiving side (A's members who answer) and the sending side (who sees A's person).
    "referrals:detail": Expect(ANSWER | SEE_PERSON, kwargs=REFERRAL),
    "referrals:answer": post_only(ANSWER, kwargs=REFERRAL),
    "referrals:information": post_only(SEE_PERSON, kwargs=REFERRAL),
}

STRUCTURES_JSON = (
    '[{"source": "matrice", "id": "s1", "nom": "Structure importée", "date_maj": "2026-01-01"}]'
)


def build(demo):
    load_thematics()
    referent = demo.members[Role.REFERENT]
    service = make_service(network_entry(demo.structure), name=f"Crèche de {demo.structure}")
    referral, _ = refer(demo.person, service, referent)
    outside = make_service(outside_structure(name=f"Partenaire hors réseau de {demo.structure}"))
    _, token = refer(demo.person, outside, referent)
    return {
        "referrals_service": service,
        "referral": referral,
        "referral_token": token,
        "directory_import": DirectoryImport.objects.create(
            file_name="structures.json",
            content=STRUCTURES_JSON,
            imported_by=demo.members[Role.ADMIN].user,
        ),
    }
