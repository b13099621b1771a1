"""Demo data of the guidance service: profiles and targets for some demo persons, two contact
requests. Fictitious like the persons they belong to; idempotent."""

from django.db import transaction
from django.utils import timezone

from tisserand.guidance import loading, services
from tisserand.guidance.engine import GuidanceError
from tisserand.guidance.loading import ReferentialMissing
from tisserand.guidance.models import ContactRequest, GuidanceProfile
from tisserand.guidance.profiles import JobEntry, ProfileData
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
    from tisserand.accompaniment.models import Accompaniment, Status

    first_title = {}
    for code, (_, fiche) in sorted(appellations.items(), key=lambda item: item[1][0]):
        first_title.setdefault(fiche, code)
    accompaniments = (
        Accompaniment.objects.filter(person__is_demo=True, status=Status.OPEN)
        .select_related("person__commune", "referent", "structure")
        .order_by("pk")[:PROFILES]
    )
    profiles = targets = 0
    with transaction.atomic():
        for index, accompaniment in enumerate(accompaniments):
            job = JOBS[index % len(JOBS)]
            if job not in catalogue.position or job not in first_title:
                continue
            membership = Membership.objects.filter(
                user=accompaniment.referent, structure=accompaniment.structure
            ).first()
            if membership is None:
                continue
            person = accompaniment.person
            occupation = catalogue.occupation(job)
            data = ProfileData(
                jobs=[JobEntry(first_title[job], float(2 + index % 6), index % 3 == 0)],
                skills=list(occupation.skills),
                riasec_code=occupation.riasec,
                commune=person.commune.insee_code if person.commune_id else "",
                radius_km=15,
            )
            try:
                services.save_profile(person, data, membership)
                profiles += 1
                if index % 2 == 0:
                    exploration = services.explore(data, count=1)
                    code = exploration.suggestions[0].code
                    services.retain_target(person, exploration, code, membership)
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
