"""Demo social clauses: a fictitious NPNRU operation in Roubaix's priority neighbourhoods with
three buyers (a social landlord, the city, the metropolis), 30 contracts and 60 lots held by
companies of the territory, 80 participants (40 demo persons of the Maison de l'Emploi, 40
created for the clause), about two years of monthly declarations — some lots ahead, some behind,
some with last month missing — validated up to two months ago.

Buyers' SIRETs are in the demo range (SIREN 9999xxxx); the holders are the demo companies when
the companies seeder ran, else a few fictitious ones created here. Dates are relative to the day
of the seeding. Running it again changes nothing. Rows are written with ``bulk_create``.
"""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tisserand.clauses import progress, services
from tisserand.clauses.models import (
    Buyer,
    BuyerKind,
    Contract,
    CriterionSource,
    Declaration,
    DeclarationSource,
    DeclarationStatus,
    EligibilityCriterion,
    LegalForm,
    Level,
    Lot,
    Modality,
    ModalityCoefficient,
    Nature,
    Operation,
    Participant,
    ParticipantCriterion,
    Programme,
    compute_hours,
)
from tisserand.companies.models import Establishment, LegalUnit
from tisserand.core import documents, timeline
from tisserand.core.actor import Actor
from tisserand.core.models import TimelineEvent
from tisserand.people.models import Gender, Person, QpvResidence
from tisserand.structures import demo as territory
from tisserand.structures.models import Structure

SEED = 2026
DAYS_90 = datetime.timedelta(days=90)
DEMO_PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
OPERATION_NAME = "NPNRU Roubaix — quartiers anciens (démonstration)"
BUYERS = [
    (BuyerKind.SOCIAL_LANDLORD, "Roubaix Habitat Nord (démo)", 901),
    (BuyerKind.CITY, "Ville de Roubaix (démo)", 902),
    (BuyerKind.METROPOLIS, "Métropole Européenne de Lille (démo)", 903),
]
WORKS = [
    ("Réhabilitation thermique de 96 logements, îlot Alma", "45453000"),
    ("Démolition de la barre Édouard-Anseele", "45111100"),
    ("Construction de 42 logements, rue de l'Épeule", "45211000"),
    ("Requalification de la place du Trichon", "45233260"),
    ("Voirie et réseaux, secteur Pile", "45233140"),
    ("Construction d'un groupe scolaire, quartier du Cul-de-Four", "45214200"),
    ("Aménagement du parc de la Teinturerie", "45112710"),
    ("Rénovation de la médiathèque de quartier", "45454000"),
    ("Résidentialisation des cours du Nouveau Roubaix", "45262700"),
    ("Nettoyage et gardiennage des chantiers", "90910000"),
]
LOTS = [
    ("Gros œuvre", Decimal("0.40")),
    ("Second œuvre, menuiseries", Decimal("0.50")),
    ("Plomberie, chauffage", Decimal("0.45")),
    ("Électricité", Decimal("0.45")),
    ("Espaces verts", Decimal("0.60")),
    ("Peinture, revêtements", Decimal("0.60")),
]
HOLDERS = [
    "Bâtiments Roubaisiens",
    "Constructions de l'Espierre",
    "Nord Rénovation",
    "Menuiseries du Trichon",
    "Électricité Lys Énergie",
    "Peintures de la Vallée",
    "Espaces Verts de la Lys",
    "Travaux Publics Métropole",
    "Ensemble Insertion Bâtiment (ETTI)",
    "Atelier Vert Solidaire (chantier d'insertion)",
    "Plomberie Tourquennoise",
    "Démolition Flandres",
]
FIRST_NAMES = [
    ("Yanis", Gender.MALE), ("Inès", Gender.FEMALE), ("Mehdi", Gender.MALE),
    ("Sabrina", Gender.FEMALE), ("Kevin", Gender.MALE), ("Fatou", Gender.FEMALE),
    ("Rachid", Gender.MALE), ("Laetitia", Gender.FEMALE), ("Bilal", Gender.MALE),
    ("Nadia", Gender.FEMALE), ("Jordan", Gender.MALE), ("Samira", Gender.FEMALE),
]  # fmt: skip
LAST_NAMES = [
    "Benaissa", "Dupont", "Lefebvre", "Diallo", "Vandamme", "Haddad", "Martin", "Kaci",
    "Deschamps", "Traoré", "Wambre", "Bouzid", "Leclercq", "Mahieu", "Sissoko", "Delannoy",
]  # fmt: skip
MODALITIES = [
    Modality.CDD, Modality.CDD, Modality.CDI, Modality.ETTI, Modality.ETTI, Modality.AGENCY,
    Modality.APPRENTICESHIP, Modality.PROFESSIONALISATION, Modality.GEIQ, Modality.AI,
    Modality.SUBCONTRACTING, Modality.TRAINING,
]  # fmt: skip


def _siret(serial):
    return territory.demo_siret(serial)


def _months(start, end):
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def _shift_months(day, months):
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def seed(stdout):
    if Operation.objects.filter(name=OPERATION_NAME).exists():
        stdout.write("  Clauses sociales de démonstration déjà présentes.")
        return
    structure = Structure.objects.filter(siret=_siret(1)).first()
    if structure is None:
        stdout.write("  Structure de démonstration absente : lancez d'abord le territoire.")
        return
    started = timezone.now()
    with transaction.atomic():
        counts = Builder(random.Random(SEED), timezone.localdate(), structure).build()
    seconds = (timezone.now() - started).total_seconds()
    stdout.write(
        f"  {counts['contracts']} marchés, {counts['lots']} lots, {counts['participants']} "
        f"participants et {counts['declarations']} déclarations créés en {seconds:.1f} s."
    )


class Builder:
    def __init__(self, rng, today, structure):
        self.rng, self.today, self.structure = rng, today, structure

    def build(self):
        buyers = self._buyers()
        operation = self._operation(buyers)
        holders = self._holders()
        lots = self._contracts_and_lots(operation, buyers, holders)
        participants = self._participants(holders)
        declarations = self._declarations(lots, participants, operation)
        return {
            "contracts": Contract.objects.filter(operation=operation).count(),
            "lots": len(lots),
            "participants": len(participants),
            "declarations": declarations,
        }

    def _buyers(self):
        buyers = []
        for kind, name, serial in BUYERS:
            buyer, _ = Buyer.objects.get_or_create(
                structure=self.structure,
                siret=_siret(serial),
                defaults={"kind": kind, "name": name},
            )
            buyers.append(buyer)
        return buyers

    def _operation(self, buyers):
        try:
            from tisserand.referentials.geo.models import Qpv

            codes = list(
                Qpv.objects.filter(communes__insee_code="59512")
                .order_by("code")
                .values_list("code", flat=True)[:6]
            )
        except Exception:  # noqa: BLE001 - the geo referential may not be loaded
            codes = []
        operation = Operation.objects.create(
            structure=self.structure,
            programme=Programme.NPNRU,
            name=OPERATION_NAME,
            starts_on=_shift_months(self.today, -30),
            ends_on=_shift_months(self.today, 42),
            qpv_codes=", ".join(codes or ["QN05999A"]),
            qpv_share=Decimal("0.5"),
        )
        operation.buyers.set(buyers)
        ModalityCoefficient.objects.bulk_create(
            [
                ModalityCoefficient(
                    operation=operation, modality=Modality.TRAINING, coefficient=Decimal("0.5")
                ),
                ModalityCoefficient(
                    operation=operation, modality=Modality.SUBCONTRACTING, coefficient=Decimal(1)
                ),
            ]
        )
        return operation

    def _holders(self):
        existing = list(Establishment.objects.order_by("pk")[:12])
        if len(existing) >= 8:
            return existing
        holders = []
        for index, name in enumerate(HOLDERS, start=1):
            siret = _siret(950 + index)
            legal_unit, _ = LegalUnit.objects.get_or_create(
                siren=siret[:9], defaults={"name": f"{name} (démo)"}
            )
            holder, _ = Establishment.objects.get_or_create(
                siret=siret,
                defaults={
                    "legal_unit": legal_unit,
                    "name": f"{name} (démo)",
                    "search_name": name.lower(),
                    "is_head_office": True,
                    "postal_code": "59100",
                    "insertion_kind": "etti" if "ETTI" in name else "",
                },
            )
            holders.append(holder)
        return holders

    def _contracts_and_lots(self, operation, buyers, holders):
        contracts = []
        for index in range(30):
            title, cpv = WORKS[index % len(WORKS)]
            starts = _shift_months(self.today, -self.rng.randint(8, 28))
            ends = _shift_months(starts, self.rng.choice([18, 24, 30, 36])) - datetime.timedelta(
                days=1
            )
            if index in (3, 11):  # two contracts ending soon
                ends = self.today + datetime.timedelta(days=45)
            amount = Decimal(self.rng.randrange(300_000, 3_000_000, 10_000))
            contracts.append(
                Contract(
                    operation=operation,
                    buyer=buyers[index % 3],
                    reference=f"DEMO-{starts.year}-{index + 1:03d}",
                    object=title if index < len(WORKS) else f"{title} (tranche {index // 10 + 1})",
                    cpv_code=cpv,
                    amount=amount,
                    nature=Nature.SERVICES if cpv.startswith("90") else Nature.WORKS,
                    starts_on=starts,
                    ends_on=max(ends, starts + datetime.timedelta(days=60)),
                )
            )
        Contract.objects.bulk_create(contracts)
        lots = []
        for index, contract in enumerate(contracts):
            for number in (1, 2):
                label, share = LOTS[(index + number) % len(LOTS)]
                amount = (contract.amount * Decimal("0.5")).quantize(Decimal(1))
                rate, cost = Decimal("0.05"), Decimal("30")
                hours = compute_hours(amount, share, rate, cost)
                lots.append(
                    Lot(
                        contract=contract,
                        number=number,
                        label=label,
                        holder=holders[(index * 2 + number) % len(holders)],
                        amount=amount,
                        legal_form=LegalForm.EXECUTION,
                        labour_share=share,
                        insertion_rate=rate,
                        hourly_cost=cost,
                        hours_owed=hours,
                        qpv_hours_owed=(hours * Decimal("0.5")).quantize(
                            Decimal("0.1"), rounding=ROUND_HALF_UP
                        ),
                    )
                )
        Lot.objects.bulk_create(lots)
        return lots

    def _participants(self, holders):
        persons = list(
            Person.objects.filter(owner_structure=self.structure, is_demo=True).order_by("pk")[:40]
        )
        criteria = {c.code: c for c in EligibilityCriterion.objects.all()}
        rows, proofs = [], []
        for index in range(80):
            person = persons[index] if index < len(persons) else None
            first, gender = FIRST_NAMES[index % len(FIRST_NAMES)]
            starts = _shift_months(self.today, -self.rng.randint(3, 26))
            participant = Participant(
                structure=self.structure,
                person=person,
                first_name=person.first_name if person else first,
                last_name=person.last_name if person else LAST_NAMES[index % len(LAST_NAMES)],
                birth_date=person.birth_date
                if person
                else datetime.date(self.rng.randint(1968, 2005), self.rng.randint(1, 12), 15),
                gender=person.gender if person else gender,
                qpv_at_start=(
                    person.qpv_status_on(starts)
                    if person
                    else self.rng.choice([QpvResidence.IN_QPV] * 3 + [QpvResidence.NOT_IN_QPV])
                ),
                level=self.rng.choice(list(Level.values)),
                modality=MODALITIES[index % len(MODALITIES)],
                employer=holders[index % len(holders)],
                starts_on=starts,
                # Four participants without proof: their hours do not count.
                is_eligible=index % 20 != 7,
            )
            ends = _shift_months(starts, self.rng.choice([12, 18, 24]))
            if ends < self.today:
                participant.ends_on = ends - datetime.timedelta(days=1)
                participant.outcome_at_end = self.rng.choice(
                    ["lasting_job", "transitional_job", "qualifying_training", "no_solution"]
                )
                if _shift_months(ends, 6) < self.today:
                    participant.outcome_6_months = self.rng.choice(
                        ["lasting_job", "lasting_job", "transitional_job", "no_solution"]
                    )
            rows.append(participant)
        Participant.objects.bulk_create(rows)
        documented = []
        for participant in rows:
            if not participant.is_eligible:
                continue
            known = [
                criterion
                for criterion, _why in services.proposed_criteria(
                    participant.person, participant.starts_on
                )
            ]
            if known:
                # What the record proves: no document needed.
                criterion, source = known[0], CriterionSource.RECORD
            else:
                criterion = criteria[self.rng.choice(["deld", "rsa", "plie", "detld"])]
                source = CriterionSource.DOCUMENT
            row = ParticipantCriterion(
                participant=participant,
                criterion=criterion,
                assessed_on=participant.starts_on - datetime.timedelta(days=10),
                source=source,
                note="Démonstration",
            )
            proofs.append(row)
            if source == CriterionSource.DOCUMENT:
                documented.append(row)
        ParticipantCriterion.objects.bulk_create(proofs)
        # The other criteria are proven by a (fictitious) attestation, a real stored document.
        actor = Actor(None)
        for row in documented:
            documents.attach(
                row,
                SimpleUploadedFile("attestation.pdf", DEMO_PDF, content_type="application/pdf"),
                actor=actor,
                label=f"Attestation {row.criterion} (démonstration)",
                issued_on=row.assessed_on,
                issuer="Document fictif de démonstration",
            )
        timeline.bulk_record(
            [
                (
                    TimelineEvent(
                        subject_type=ContentType.objects.get_for_model(Participant),
                        subject_id=str(participant.pk),
                        verb=TimelineEvent.Verb.CREATED,
                        summary="Entrée dans une clause sociale",
                        actor_structure=self.structure,
                    ),
                    participant.person,
                )
                for participant in rows
            ]
        )
        return rows

    def _declarations(self, lots, participants, operation):
        coefficients = {row.modality: row.coefficient for row in operation.coefficients.all()}
        last_month = _shift_months(self.today, -1)
        validated_until = _shift_months(self.today, -2)
        # A third of the participants' hours are not yet declared for the month now due.
        due = progress.late_month(self.today)
        # Lots 0, 5, 10… get no participant (behind); every third lot skips last month (late).
        # The two contracts ending soon keep a single participant on their first lot, so that
        # hours are missing.
        ending = {lot.contract_id for lot in lots if lot.contract.ends_on < self.today + DAYS_90}
        staffed = [
            lot
            for index, lot in enumerate(lots)
            if index % 5 != 0 and (lot.contract_id not in ending or lot.number == 1)
        ]
        rows = []
        for index, participant in enumerate(participants):
            lot = staffed[index % len(staffed)]
            start = max(participant.starts_on, lot.contract.starts_on)
            end = min(participant.ends_on or last_month, lot.contract.ends_on, last_month)
            monthly = Decimal(self.rng.choice([70, 90, 110, 130, 151]))
            for month in _months(start, end):
                if month >= due and index % 3 == 0:
                    continue
                rows.append(
                    Declaration(
                        participant=participant,
                        lot=lot,
                        month=month,
                        hours=monthly,
                        modality=participant.modality,
                        coefficient=coefficients.get(participant.modality, Decimal(1)),
                        status=DeclarationStatus.VALIDATED
                        if month <= validated_until
                        else DeclarationStatus.DECLARED,
                        validated_at=timezone.now() if month <= validated_until else None,
                        source=DeclarationSource.PORTAL
                        if index % 2
                        else DeclarationSource.FACILITATOR,
                    )
                )
        Declaration.objects.bulk_create(rows, batch_size=2000)
        return len(rows)
