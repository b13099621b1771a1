"""What the accompaniment app adds to the navigation, the home page and the person page, the
people hooks it provides (occupation target retained, follow-up periods) and the supporting
documents of the exits."""

from tisserand.accompaniment import perms, selectors, services
from tisserand.accompaniment import retention as accompaniment_retention
from tisserand.accompaniment.job_wishes import job_wishes
from tisserand.accompaniment.models import Accompaniment, Programme
from tisserand.accompaniment.panels import register_panels
from tisserand.core import demo, home, navigation
from tisserand.core.documents import Attachable, attachables
from tisserand.people import consent_scopes, merging
from tisserand.people import hooks as people_hooks
from tisserand.people.models import ConsentScope


def _my_open_accompaniments(membership):
    rows = Accompaniment.objects.open().filter(structure_id=membership.structure_id)
    if not perms.sees_structure_caseload(membership):
        rows = rows.filter(referent_id=membership.user_id)
    count = rows.count()
    return count, f"accompagnement{'s' if count > 1 else ''} en cours"


CASELOAD_CARD_TEXT = (
    "{whom} : alertes, derniers contacts, sorties et suivis à 6 mois ; export XLSX."
)


def _caseload_card_text(membership):
    """Says whom the card's figure counts: the structure's persons, or the reader's own."""
    if perms.sees_structure_caseload(membership):
        return CASELOAD_CARD_TEXT.format(whom="Les personnes suivies par la structure")
    return CASELOAD_CARD_TEXT.format(whom="Les personnes que vous accompagnez")


def _offered_programmes(membership):
    count = Programme.objects.filter(is_active=True).count()
    return count, f"programme{'s' if count > 1 else ''} proposé{'s' if count > 1 else ''}"


def _seed(stdout):
    from tisserand.accompaniment import demo as accompaniment_demo

    accompaniment_demo.seed(stdout)


def register_all():
    accompaniment_retention.register_all()
    # The opportunities app's matching reads the project and the barriers through this hook.
    people_hooks.hooks.provide(people_hooks.JOB_WISHES, job_wishes)
    # The path and the exits are shown to a partner under these consent scopes.
    consent_scopes.register_honoured(ConsentScope.ACCOMPANIMENT)
    consent_scopes.register_honoured(ConsentScope.EXITS)
    people_hooks.hooks.provide(
        people_hooks.OCCUPATION_TARGET_RETAINED, services.add_retained_target
    )
    people_hooks.hooks.provide(people_hooks.FOLLOW_UP_PERIODS, services.follow_up_periods)
    people_hooks.hooks.provide(people_hooks.HIRE_RECORDED, services.report_hire)
    people_hooks.hooks.provide(people_hooks.CURRENT_BARRIERS, selectors.current_barriers)
    navigation.register(
        navigation.NavEntry(
            "Accompagnement",
            "accompaniment:caseload",
            perms.can_use_caseload,
            order=20,
            prefix="/accompagnement/",
        )
    )
    home.register(
        home.HomeCard(
            "File active",
            CASELOAD_CARD_TEXT.format(whom="Les personnes que vous accompagnez"),
            "Ouvrir la file active",
            "accompaniment:caseload",
            perms.can_use_caseload,
            order=20,
            figure=_my_open_accompaniments,
            describe=_caseload_card_text,
        )
    )
    _register_settings()
    register_panels()
    demo.register(demo.Seeder("Accompagnements (démonstration)", _seed, order=50))
    # Two open accompaniments in the same programme cannot be merged: the merge is refused.
    merging.register(merging.MergeHook(Accompaniment, "person"))
    _register_attachables()


def _logged_exit(accompaniment, what):
    person = accompaniment.person
    return person, person.owner_structure, f"{person} — {what} « {accompaniment.programme} »"


def _register_attachables():
    """The proofs of an exit and of its 6-month follow-up, opened by whoever sees the exits."""
    attachables.register(
        Attachable(
            "accompaniment.accompaniment",
            record=perms.exit_document_record,
            may_open=perms.may_open_exit_document,
            logged=lambda record, accompaniment: _logged_exit(accompaniment, "sortie de"),
        )
    )
    attachables.register(
        Attachable(
            "accompaniment.sixmonthfollowup",
            record=lambda request, follow_up: perms.exit_document_record(
                request, follow_up.accompaniment
            ),
            may_open=perms.may_open_exit_document,
            logged=lambda record, follow_up: _logged_exit(
                follow_up.accompaniment, "suivi à 6 mois de"
            ),
        )
    )


def _register_settings():
    navigation.register(
        navigation.NavEntry(
            "Paramétrage",
            "accompaniment:settings_programmes",
            perms.can_configure_lists,
            order=95,
            prefix="/parametrage/",
        )
    )
    home.register(
        home.HomeCard(
            "Paramétrage de l'accompagnement",
            "Les programmes proposés dans le réseau et les actions suggérées par frein dans "
            "les plans d'action.",
            "Paramétrer les programmes et les actions",
            "accompaniment:settings_programmes",
            perms.can_configure_lists,
            order=80,
            figure=_offered_programmes,
        )
    )
