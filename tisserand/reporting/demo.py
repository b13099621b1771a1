"""Demo conventions and objectives: the State, the Region and the metropolis over the demo
accompaniments, some objectives met, some behind (targets set from the realised figures at the
time of seeding): among them the clause hours of the metropolis (on track) and the event
attendances of the State's convention (behind). Running it again changes nothing."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tisserand.accompaniment.models import Programme
from tisserand.reporting import facts, indicators, progress
from tisserand.reporting.models import Convention, FunderKind, Objective, Target
from tisserand.reporting.scopes import convention_scope
from tisserand.structures.models import Structure, StructureKind

# (name, funder kind, structure kinds, programme codes, [(indicator, factor)]): factor < 1 →
# the target is below the projection (met or on track), > 1 → behind.
CONVENTIONS = [
    (
        "Plan régional pour l'emploi — accompagnement renforcé (démo)",
        FunderKind.STATE,
        [StructureKind.MAISON_EMPLOI],
        ["reinforced"],
        [
            ("accompanied", 0.8),
            ("accompanied_qpv", 1.6),
            ("positive_exit_rate", 1.3),
            ("event_attendances", 1.6),
        ],
    ),
    (
        "Programme régional d'insertion — PLIE (démo)",
        FunderKind.REGION,
        [StructureKind.PLIE],
        ["plie"],
        [("accompanied", 0.9), ("positive_exits", 1.8)],
    ),
    (
        "Axe ressources humaines du plan métropolitain (démo)",
        FunderKind.METROPOLIS,
        [StructureKind.MAISON_EMPLOI, StructureKind.PLIE, StructureKind.MISSION_LOCALE],
        [],
        [
            ("accompanied", 0.7),
            ("accompanied_women", 0.9),
            ("employed_6_months", 2.0),
            ("training_entries", 1.5),
            ("clause_hours", 0.8),
        ],
    ),
]


def seed(stdout):
    # The demo writes its accompaniments in bulk, without the signals that keep the facts.
    count = facts.rebuild()
    stdout.write(f"  Faits du pilotage : {count} accompagnements et mises en relation.")
    if Convention.objects.filter(is_demo=True).exists():
        stdout.write("  Conventions de démonstration déjà présentes.")
        return
    structures = Structure.objects.filter(is_demo=True)
    if not structures.exists():
        stdout.write("  Territoire de démonstration absent.")
        return
    funder = structures.filter(kind=StructureKind.FUNDER).first()
    today = timezone.localdate()
    starts_on, ends_on = date(today.year, 1, 1), date(today.year, 12, 31)
    if today.month < 3:
        starts_on = date(today.year - 1, 1, 1)
    count = 0
    with transaction.atomic():
        for name, kind, kinds, programmes, objectives in CONVENTIONS:
            convention = Convention.objects.create(
                name=name,
                funder_kind=kind,
                starts_on=starts_on,
                ends_on=ends_on,
                funder_structure=funder if kind == FunderKind.METROPOLIS else None,
                reference=f"DEMO-{today.year}-{kind.upper()}",
                is_demo=True,
            )
            convention.structures.set(structures.filter(kind__in=kinds))
            convention.programmes.set(Programme.objects.filter(code__in=programmes))
            scope = convention_scope(convention)
            for code, factor in objectives:
                indicator = indicators.get(code)
                objective = Objective.objects.create(
                    convention=convention,
                    indicator_code=code,
                    indicator_version=indicator.version,
                    definition_fingerprint=indicators.fingerprint(indicator),
                )
                target = Target(
                    objective=objective, starts_on=starts_on, ends_on=ends_on, value=Decimal(1)
                )
                measured = progress.measure(objective, target, scope=scope, today=today)
                base = measured.projection or 10
                value = max(Decimal(1), round(Decimal(str(base)) * Decimal(str(factor))))
                if indicator.kind == "rate":
                    value = min(value, Decimal(95))
                target.value = value
                target.save()
                count += 1
    stdout.write(f"  {len(CONVENTIONS)} conventions et {count} objectifs de démonstration créés.")
