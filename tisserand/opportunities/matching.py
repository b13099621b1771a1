"""The matching engine fed from the database: a person's profile (through the people hooks
``job_wishes`` and ``confirmed_skills``: the project, the barriers, the skills ticked) and the
offers' features (their skills and their fiche's, core skills flagged), then ranked by
``engine.ranking``. A bounded number of queries whatever the data."""

from django.db.models import Q

from tisserand.core.text import fold
from tisserand.opportunities.engine.scoring import OfferFeatures, PersonProfile
from tisserand.opportunities.engine.vector import OfferMatrix, PersonMatrix
from tisserand.opportunities.models import JobOffer
from tisserand.opportunities.perms import JOB_MATCHING_SCOPE
from tisserand.people import hooks as people_hooks
from tisserand.people.models import CARING_ROLES, Consent, FollowUpMember
from tisserand.people.selectors import visible_persons
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.rome.models import FicheSkill, Mobility, Skill

CANDIDATE_OFFERS = 3000
CANDIDATE_PERSONS = 2000
UNSOCIAL_WORDS = ("nuit", "week end", "weekend", "dimanche", "samedi", "3x8", "2x8")


def _unsocial(offer):
    text = fold(f"{offer.working_time_label} {offer.title} {offer.description[:2000]}")
    return any(word in text for word in UNSOCIAL_WORDS)


def _requires_licence(offer):
    return any("b" in fold(label).split() or "permis" in fold(label) for label in offer.licences)


def fiche_skills(fiche_ids):
    """fiche_id → (skill codes, core skill codes)."""
    skills = {}
    for fiche_id, code, core in FicheSkill.objects.filter(fiche_id__in=fiche_ids).values_list(
        "fiche_id", "skill__code_ogr", "coeur_metier"
    ):
        all_codes, core_codes = skills.setdefault(fiche_id, (set(), set()))
        all_codes.add(code)
        if core == FicheSkill.CoeurMetier.PRINCIPALE:
            core_codes.add(code)
    return skills


def features(offers):
    offers = list(offers)
    by_fiche = fiche_skills({offer.fiche_id for offer in offers if offer.fiche_id})
    result = []
    for offer in offers:
        all_codes, core = by_fiche.get(offer.fiche_id, (set(), set()))
        result.append(
            OfferFeatures(
                key=offer.pk,
                title=offer.title,
                appellation=offer.appellation_id,
                fiche=offer.fiche.code if offer.fiche_id else "",
                skills={s["code"]: bool(s.get("required")) for s in offer.skills if s.get("code")},
                fiche_skills=frozenset(all_codes),
                core_skills=frozenset(core),
                point=(offer.latitude, offer.longitude) if offer.latitude is not None else None,
                contract_type=offer.contract_type,
                working_time=offer.working_time,
                requires_licence=_requires_licence(offer),
                unsocial_hours=_unsocial(offer),
            )
        )
    return result


def profiles(persons):
    persons = list(persons)
    ids = [person.pk for person in persons]
    wishes = people_hooks.job_wishes(ids)
    skills = people_hooks.confirmed_skills(ids)
    targets = set()
    for item in list(wishes.values()) + list(skills.values()):
        targets |= set(item.fiche_codes)
    neighbours = {}
    for source, target in Mobility.objects.filter(source__code__in=targets).values_list(
        "source__code", "target__code"
    ):
        neighbours.setdefault(source, set()).add(target)
    communes = {
        pk: (lat, lon)
        for pk, lat, lon in Commune.objects.filter(
            pk__in={s.commune_id for s in skills.values() if s.commune_id}
            | {p.commune_id for p in persons if p.commune_id}
        ).values_list("pk", "latitude", "longitude")
        if lat is not None
    }
    result = []
    for person in persons:
        wish = wishes.get(person.pk, people_hooks.JobWishes())
        held = skills.get(person.pk, people_hooks.ConfirmedSkills())
        fiches = frozenset(wish.fiche_codes | held.fiche_codes)
        near = set()
        for code in fiches:
            near |= neighbours.get(code, set())
        if person.latitude is not None:
            point = (person.latitude, person.longitude)
        else:
            point = communes.get(person.commune_id) or communes.get(held.commune_id)
        result.append(
            PersonProfile(
                key=person.pk,
                label=f"{person.first_name} {person.last_name}",
                target_appellations=frozenset(wish.appellation_ids | held.appellation_ids),
                target_fiches=fiches,
                neighbour_fiches=frozenset(near - fiches),
                confirmed_skills=frozenset(held.skill_codes),
                point=point,
                radius_km=wish.radius_km or held.radius_km,
                contract_types=frozenset(wish.contract_types),
                working_time=wish.working_time,
                driving_licence=person.driving_licence,
                has_vehicle=person.has_vehicle,
                barriers=frozenset(wish.barrier_themes),
            )
        )
    return result


def skill_labels(codes):
    return dict(Skill.objects.filter(code_ogr__in=codes).values_list("code_ogr", "label"))


def _offer_labels(offers, profile_list):
    labels = {}
    for offer in offers:
        for skill in offer.skills:
            if skill.get("code"):
                labels[skill["code"]] = skill.get("label") or str(skill["code"])
    wanted = set()
    for profile in profile_list:
        wanted |= profile.confirmed_skills
    missing = wanted - set(labels)
    labels.update(skill_labels(missing))
    return labels


def offers_for_person(person, *, limit=30):
    """``[(offer, match)]``: the open offers ranked for ``person``, best first."""
    [profile] = profiles([person])
    fiches = profile.target_fiches | profile.neighbour_fiches
    candidates = JobOffer.objects.searchable().select_related(
        "fiche", "establishment__legal_unit", "commune"
    )
    if fiches:
        candidates = candidates.filter(fiche__code__in=fiches)
    elif profile.point is not None:
        lat, lon = profile.point
        d = (profile.radius_km or 15) / 111.2
        candidates = candidates.filter(
            latitude__gte=lat - d,
            latitude__lte=lat + d,
            longitude__gte=lon - 2 * d,
            longitude__lte=lon + 2 * d,
        )
    else:
        return []
    offers = list(candidates.order_by("-published_at", "-id")[:CANDIDATE_OFFERS])
    by_key = {offer.pk: offer for offer in offers}
    labels = _offer_labels(offers, [profile])
    matrix = OfferMatrix.build(features(offers))
    matches = matrix.rank(profile, skill_labels=labels, limit=limit)
    return [(by_key[match.key], match) for match in matches]


def matchable_persons(membership):
    """The persons ``membership`` may see in matching results: those they follow (référent
    or team) and those whose consent to their structure covers the introductions."""
    caseload = FollowUpMember.objects.filter(
        user_id=membership.user_id,
        structure_id=membership.structure_id,
        is_active=True,
        role__in=CARING_ROLES,
    ).values("person_id")
    consented = [
        person_id
        for person_id, scopes in Consent.objects.filter(
            structure_id=membership.structure_id, withdrawn_at__isnull=True
        ).values_list("person_id", "scopes")
        if JOB_MATCHING_SCOPE in (scopes or [])
    ]
    return visible_persons(membership).filter(Q(pk__in=caseload) | Q(pk__in=consented))


def persons_for_offer(offer, membership, *, limit=30):
    """``[(person, match)]``: the persons ``membership`` may propose, ranked for ``offer``."""
    persons = list(matchable_persons(membership).order_by("last_name", "pk")[:CANDIDATE_PERSONS])
    by_key = {person.pk: person for person in persons}
    profile_list = profiles(persons)
    [offer_features] = features([offer])
    labels = _offer_labels([offer], profile_list)
    matches = PersonMatrix.build(profile_list).rank(
        offer_features, skill_labels=labels, limit=limit
    )
    return [(by_key[match.key], match) for match in matches]
