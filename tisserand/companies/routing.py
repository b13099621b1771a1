"""The routing suggestion: which structures cover a need's subject for that company.

Each structure sets its own ``RoutingRule``s (``routing_views``): the subjects it covers and,
optionally, a territory (communes, EPCI or bassins d'emploi: any one matches), headcount
bands, NAF sections and a company age. An empty criterion accepts every company; a criterion
the company leaves unknown (no commune, no NAF, no creation date) does not match a rule that
sets it. The active rules of one subject are read in a bounded number of queries (prefetch)
and matched in Python: there are a few dozen rules, not thousands.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from tisserand.companies.models import NeedAssignment, RoutingRule
from tisserand.companies.services import CompanyError
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent
from tisserand.structures.models import StructureKind

RULE_FIELDS = (
    "label",
    "headcount_bands",
    "min_age_years",
    "max_age_years",
    "is_active",
)
RULE_RELATIONS = ("subjects", "communes", "epcis", "bassins", "naf_sections")


def company_age_years(establishment, today=None):
    """Whole years since the establishment's creation, or None when unknown."""
    created = establishment.created_on
    if created is None:
        return None
    today = today or date.today()
    years = today.year - created.year
    if (today.month, today.day) < (created.month, created.day):
        years -= 1
    return years


def matches(rule, establishment, today=None):
    """Whether ``rule`` (its relations prefetched) accepts ``establishment``; the reasons."""
    reasons = []
    commune = establishment.commune
    communes = {c.pk for c in rule.communes.all()}
    epcis = {e.pk for e in rule.epcis.all()}
    bassins = {b.pk for b in rule.bassins.all()}
    if communes or epcis or bassins:
        if commune is None:
            return False, []
        if commune.pk in communes:
            reasons.append(f"commune {commune.name}")
        elif commune.epci_id is not None and commune.epci_id in epcis:
            reasons.append("EPCI couvert")
        elif commune.bassin_id is not None and commune.bassin_id in bassins:
            reasons.append("bassin d'emploi couvert")
        else:
            return False, []
    if rule.headcount_bands:
        if establishment.headcount_band not in rule.headcount_bands:
            return False, []
        reasons.append(f"effectif {establishment.get_headcount_band_display()}")
    sections = {s.pk for s in rule.naf_sections.all()}
    if sections:
        naf = establishment.naf
        if naf is None or naf.section_id not in sections:
            return False, []
        reasons.append(f"secteur NAF {naf.section.code}")
    if rule.min_age_years is not None or rule.max_age_years is not None:
        age = company_age_years(establishment, today)
        if age is None:
            return False, []
        if rule.min_age_years is not None and age < rule.min_age_years:
            return False, []
        if rule.max_age_years is not None and age > rule.max_age_years:
            return False, []
        reasons.append(f"entreprise de {age} an{'s' if age > 1 else ''}")
    return True, reasons


@dataclass
class Suggestion:
    structure: object
    rules: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    already_assigned: bool = False


def suggest(need, today=None):
    """The structures whose active rules cover ``need``'s subject for its company, each with
    the rules and reasons that matched; the structures already assigned are flagged."""
    establishment = need.establishment
    rules = (
        RoutingRule.objects.filter(is_active=True, subjects=need.subject, structure__is_active=True)
        .exclude(structure__kind=StructureKind.FUNDER)
        .select_related("structure")
        .prefetch_related(
            "communes",
            "epcis",
            "bassins",
            "naf_sections",
        )
        .order_by("structure__name", "pk")
        .distinct()
    )
    assigned = set(NeedAssignment.objects.filter(need=need).values_list("structure_id", flat=True))
    found = {}
    for rule in rules:
        ok, reasons = matches(rule, establishment, today)
        if not ok:
            continue
        suggestion = found.setdefault(
            rule.structure_id,
            Suggestion(rule.structure, already_assigned=rule.structure_id in assigned),
        )
        suggestion.rules.append(rule)
        suggestion.reasons.extend(r for r in reasons if r not in suggestion.reasons)
    return list(found.values())


# --- A structure's rules (services contract) ---------------------------------------------------


def _check(data):
    if not data.get("subjects"):
        raise CompanyError("Choisissez au moins un sujet couvert par la règle.")
    low, high = data.get("min_age_years"), data.get("max_age_years")
    if low is not None and high is not None and low > high:
        raise CompanyError("L'âge minimal de l'entreprise dépasse son âge maximal.")


@transaction.atomic
def save_rule(rule, *, data, actor):
    """Creates (``rule`` None) or updates one of the actor's structure's routing rules."""
    _check(data)
    if rule is None:
        rule = RoutingRule(structure=actor.structure)
        created = True
    else:
        if rule.structure_id != actor.structure.pk:
            raise CompanyError("Cette règle appartient à une autre structure.")
        created = False
    timeline.assign(rule, {name: data[name] for name in RULE_FIELDS if name in data})
    rule.save()
    for name in RULE_RELATIONS:
        if name in data:
            getattr(rule, name).set(data[name])
    summary = f"Règle d'orientation {'ajoutée' if created else 'modifiée'} : {rule.label}"
    timeline.record(
        rule,
        TimelineEvent.Verb.CREATED if created else TimelineEvent.Verb.CHANGED,
        summary,
        actor=actor.user,
        structure=actor.structure,
        about=actor.structure,
    )
    return rule


@transaction.atomic
def delete_rule(rule, *, actor):
    if rule.structure_id != actor.structure.pk:
        raise CompanyError("Cette règle appartient à une autre structure.")
    timeline.record(
        actor.structure,
        TimelineEvent.Verb.ACTION,
        f"Règle d'orientation supprimée : {rule.label}",
        actor=actor.user,
        structure=actor.structure,
    )
    rule.delete()
