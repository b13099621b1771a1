"""What the referrals app adds: the navigation and home entries, the « Orientations » section of
the person's page, its reference data (the data·inclusion thematics), its merge hook and its
demo seeder."""

from tisserand.core import demo, home, navigation, records, reference_data
from tisserand.people import merging
from tisserand.referrals import panel, perms, thematics
from tisserand.referrals import retention as referrals_retention
from tisserand.referrals.models import Notice, Referral, ReferralState


def _waiting(membership):
    count = Referral.objects.filter(
        receiving_structure_id=membership.structure_id, state=ReferralState.SENT
    ).count()
    return count, f"orientation{'s' if count > 1 else ''} en attente de réponse"


def _unread(membership):
    count = Notice.objects.filter(
        recipient_id=membership.user_id,
        structure_id=membership.structure_id,
        read_at__isnull=True,
    ).count()
    return count, f"avis non lu{'s' if count > 1 else ''}"


def _seed(stdout):
    from tisserand.referrals import demo as referrals_demo

    referrals_demo.seed(stdout)


def register_all():
    referrals_retention.register_all()
    reference_data.register(
        reference_data.Loader("Thématiques data·inclusion", thematics.load, order=8)
    )
    navigation.register(
        navigation.NavEntry(
            # Not « Orientations »: next to the career guidance's « Orientation », the two
            # meanings of the word would read as one.
            "Services partenaires",
            "referrals:search",
            perms.sees_referrals,
            order=45,
            prefix="/orientations/",
        )
    )
    navigation.register(
        navigation.NavEntry(
            "Services partenaires (territoire)",
            "referrals:territory",
            lambda m: perms.reads_territory(m) and not perms.sees_referrals(m),
            order=46,
            prefix="/orientations/territoire/",
        )
    )
    home.register(
        home.HomeCard(
            "Annuaire et orientations",
            "Les services des partenaires du territoire ; orientez une personne et suivez la "
            "réponse.",
            "Chercher un service",
            "referrals:search",
            perms.refers_persons,
            order=40,
            figure=_unread,
        )
    )
    home.register(
        home.HomeCard(
            "Orientations reçues",
            "Les personnes que les partenaires orientent vers vos services : acceptez, refusez "
            "ou demandez des précisions.",
            "Répondre aux orientations",
            "referrals:received",
            perms.answers_referrals,
            order=41,
            figure=_waiting,
        )
    )
    records.register_section(
        records.Section(
            kind="person",
            key="referrals",
            title="Orientations vers les partenaires",
            template_name="referrals/panel.html",
            predicate=panel.visible,
            context=panel.context,
            order=75,
        )
    )
    merging.register(merging.MergeHook(Referral, "person"))
    # After the accompaniments (50), appointments (55) and guidance (60) it builds on.
    demo.register(demo.Seeder("Annuaire et orientations (démonstration)", _seed, order=80))
