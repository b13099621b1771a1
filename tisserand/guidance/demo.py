"""Demo data of the guidance service: profiles and targets for some demo persons, two contact
requests. Fictitious like the persons they belong to; idempotent.

Seeded after the demo accompaniments: the persons are the first demo persons with an open
follow-up period (people's ``follow_up_periods`` hook, which the accompaniment app provides),
each with their référent; a retained target joins the accompaniment's project through the
``occupation_target_retained`` hook."""

from django.db import transaction
from django.utils import timezone

from tisserand.core.actor import Actor
from tisserand.guidance import loading, services
from tisserand.guidance.engine import GuidanceError
from tisserand.guidance.loading import ReferentialMissing
from tisserand.guidance.models import ContactRequest, GuidanceProfile
from tisserand.guidance.profiles import JobEntry, ProfileData
from tisserand.people.hooks import follow_up_periods
from tisserand.people.models import Person
from tisserand.structures.models import Membership

PROFILES = 12
# Jobs of the territory (textile, logistics, retail, care, cleaning, catering): ROME codes.
JOBS = ("N1101", "D1106", "K2204", "K1302", "G1603", "N1103", "K2503", "J1501", "H2402", "H2102")
DEMO_EMAIL_DOMAIN = "exemple.demo.test"
REQUESTS = (
    (
        "Yasmine",
        "Benhadi (démo)",
        "yasmine.benhadi@",
        "Je travaille dans la vente et je voudrais me former au métier d'aide-soignante.",
        "Métiers exercés : Vendeur / Vendeuse en "
        "alimentation générale\nCommune : Roubaix\nMétiers qui l'intéressent : Aide-soignant",
    ),
    (
        "Kevin",
        "Lemaire (démo)",
        "kevin.lemaire@",
        "Cariste depuis 10 ans, j'aimerais changer de métier.",
        "",
    ),
)


def seed(stdout):
    already = GuidanceProfile.objects.filter(person__is_demo=True).exists()
    if already or ContactRequest.objects.filter(email__endswith=DEMO_EMAIL_DOMAIN).exists():
        stdout.write("  Orientation de démonstration déjà présente.")
        return
    try:
        catalogue = loading.current_catalogue()
        appellations = loading.appellation_index()
    except ReferentialMissing:
        stdout.write("  ROME absent : lancez d'abord load_reference_data.")
        return
    first_title = {}
    for code, (_, fiche) in sorted(appellations.items(), key=lambda item: item[1][0]):
        first_title.setdefault(fiche, code)
    followed = _followed_demo_persons()
    profiles = targets = 0
    with transaction.atomic():
        for index, (person, membership) in enumerate(followed):
            job = JOBS[index % len(JOBS)]
            if job not in catalogue.position or job not in first_title:
                continue
            occupation = catalogue.occupation(job)
            data = ProfileData(
                jobs=[JobEntry(first_title[job], float(2 + index % 6), index % 3 == 0)],
                skills=list(occupation.skills),
                riasec_code=occupation.riasec,
                commune=person.commune.insee_code if person.commune_id else "",
                radius_km=15,
            )
            try:
                services.save_profile(person, data=data, actor=Actor.of(membership))
                profiles += 1
                if index % 2 == 0:
                    exploration = services.explore(data, count=1)
                    code = exploration.suggestions[0].code
                    services.retain_target(
                        person, exploration=exploration, code=code, actor=Actor.of(membership)
                    )
                    targets += 1
            except GuidanceError as error:
                stdout.write(f"  {person} : {error}")
        structure = services.receiving_structure()
        for first, last, email, message, summary in REQUESTS:
            ContactRequest.objects.create(
                structure=structure,
                first_name=first,
                last_name=last,
                email=email + DEMO_EMAIL_DOMAIN,
                preferred_means="email",
                message=message,
                profile_summary=summary,
                consent_text=services.CONSENT_TEXT,
                consented_at=timezone.now(),
            )
    stdout.write(
        f"  {profiles} profils d'orientation, {targets} cibles retenues et "
        f"{len(REQUESTS)} demandes de contact fictifs créés."
    )


def _followed_demo_persons():
    """(person, référent's membership) of the first demo persons with an open follow-up, in
    the order of the persons, at most ``PROFILES``."""
    periods = follow_up_periods(Person.objects.filter(is_demo=True).values("pk"))
    chosen = {}
    for period in periods:
        if period.is_open and period.person_id not in chosen:
            chosen[period.person_id] = period
    chosen = dict(list(chosen.items())[:PROFILES])
    persons = Person.objects.select_related("commune").in_bulk(chosen)
    followed = []
    for person_id, period in chosen.items():
        membership = (
            Membership.objects.filter(user_id=period.user_id, structure_id=period.structure_id)
            .select_related("user", "structure")
            .first()
        )
        if membership is not None:
            followed.append((persons[person_id], membership))
    return followed
