"""What the guidance app adds: navigation, home card, person panel, public pickers, merges."""

from django.urls import reverse

from tisserand.core import demo, home, navigation, pickers, records
from tisserand.guidance import perms
from tisserand.guidance.job_skills import confirmed_skills
from tisserand.guidance.models import GuidanceProfile, GuidanceTarget
from tisserand.guidance.pickers import PUBLIC_PICKERS
from tisserand.people import hooks as people_hooks
from tisserand.people import merging


def _panel_visible(record):
    return perms.can_view_person_guidance(record.membership, record.record, record.access)


def _panel_context(record):
    """One query for the profile, one for the active targets (with their labels)."""
    from tisserand.guidance.models import GuidanceProfile, GuidanceTarget

    person = record.record
    profile = (
        GuidanceProfile.objects.filter(person=person)
        .prefetch_related("held_jobs__appellation")
        .only("pk", "riasec_code", "updated_at", "person_id")
        .first()
    )
    targets = list(
        GuidanceTarget.objects.filter(person=person, withdrawn_at__isnull=True)
        .select_related("fiche", "appellation")
        .order_by("retained_at", "pk")
    )
    return {
        "guidance_profile": profile,
        "guidance_targets": targets,
        "guidance_url": reverse("guidance:person", args=[person.public_id]),
        "guidance_profile_url": reverse("guidance:person_profile", args=[person.public_id]),
        "guidance_pdf_url": reverse("guidance:person_synthesis_pdf", args=[person.public_id]),
        "guidance_can_edit": perms.can_edit_person_guidance(
            record.membership, person, record.access
        ),
    }


def register_all():
    # The opportunities app's matching reads the confirmed skills through this hook.
    people_hooks.hooks.provide(people_hooks.CONFIRMED_SKILLS, confirmed_skills)
    navigation.register(
        navigation.NavEntry(
            "Orientation", "guidance:hub", perms.can_use_guidance, order=30, prefix="/orientation/"
        )
    )
    home.register(
        home.HomeCard(
            "Orientation professionnelle",
            "Métiers proches des compétences et des envies d'une personne, qui recrutent ici ; "
            "formations ; reconversion des salariés.",
            "Ouvrir l'orientation",
            "guidance:hub",
            perms.can_use_guidance,
            order=35,
        )
    )
    records.register_section(
        records.Section(
            kind="person",
            key="guidance",
            title="Orientation professionnelle",
            template_name="guidance/panel.html",
            predicate=_panel_visible,
            context=_panel_context,
            order=45,
        )
    )
    for picker in PUBLIC_PICKERS:
        pickers.register(picker)
    demo.register(demo.Seeder("Orientation professionnelle (démonstration)", _seed, order=60))
    # A person has one guidance profile: two profiles cannot be merged, the merge is refused.
    merging.register(merging.MergeHook(GuidanceProfile, "person"))
    merging.register(merging.MergeHook(GuidanceTarget, "person"))


def _seed(stdout):
    from tisserand.guidance.demo import seed

    seed(stdout)
