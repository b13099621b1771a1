"""Changes to the clauses, under the services contract (``data=``, ``actor=``).

The rules a database constraint cannot hold are here, each raising a ``ClauseError`` with its
French message (nothing written): a declaration's month inside its contract's period, no hours
for a participant without a criterion proven at the start of their contract, a validated
declaration changed only once reopened (with a trace on the timeline).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from tisserand.clauses.models import (
    Buyer,
    BuyerRepresentative,
    Contract,
    CriterionSource,
    Declaration,
    DeclarationSource,
    DeclarationStatus,
    EligibilityCriterion,
    HoursMode,
    Lot,
    ModalityCoefficient,
    Operation,
    Participant,
    ParticipantCriterion,
    compute_hours,
)
from tisserand.companies import hooks as company_hooks
from tisserand.companies import services as company_services
from tisserand.companies.models import NeedKind, NeedSubject
from tisserand.core import documents, timeline
from tisserand.core.errors import DomainError
from tisserand.people.models import QpvResidence


class ClauseError(DomainError):
    """A broken rule of the social clauses, with its French message."""


class MonthOutsideContract(ClauseError):
    pass


class NotEligible(ClauseError):
    pass


class ValidatedFigure(ClauseError):
    pass


def _trace(subject, summary, actor, about=None, verb="changed"):
    timeline.record(
        subject, verb, summary, actor=actor.user, structure=actor.structure, about=about
    )


def _create(model, data, actor, fields, *, about=None, **more):
    obj = model(**more)
    timeline.assign(obj, {key: data[key] for key in fields if key in data})
    obj.full_clean(exclude=["structure", *more])
    obj.save()
    timeline.record_creation(obj, actor=actor.user, structure=actor.structure, about=about)
    return obj


# --- Buyers, operations, contracts, lots ------------------------------------------------------

BUYER_FIELDS = ("kind", "name", "siret")
OPERATION_FIELDS = ("programme", "name", "starts_on", "ends_on", "qpv_codes", "qpv_share")
CONTRACT_FIELDS = (
    "buyer",
    "reference",
    "object",
    "cpv_code",
    "amount",
    "nature",
    "starts_on",
    "ends_on",
    "decp_id",
    "social_considerations",
)
LOT_FIELDS = (
    "number",
    "label",
    "holder",
    "amount",
    "legal_form",
    "hours_mode",
    "labour_share",
    "insertion_rate",
    "hourly_cost",
)


@transaction.atomic
def create_buyer(*, data, actor):
    if Buyer.objects.filter(structure=actor.structure, siret=data.get("siret")).exists():
        raise ClauseError("Un donneur d'ordre porte déjà ce SIRET.")
    return _create(Buyer, data, actor, BUYER_FIELDS, structure=actor.structure)


@transaction.atomic
def add_representative(buyer, *, data, actor):
    """Gives an existing account the reading of ``buyer``'s figures (no identity)."""
    from django.contrib.auth import get_user_model

    email = (data.get("email") or "").strip()
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        raise ClauseError(
            "Aucun compte ne porte cette adresse e-mail : invitez d'abord la personne."
        )
    row, created = BuyerRepresentative.objects.get_or_create(
        user=user, buyer=buyer, defaults={"is_active": True}
    )
    if not created and row.is_active:
        raise ClauseError("Ce compte représente déjà ce donneur d'ordre.")
    row.is_active = True
    row.save(update_fields=["is_active"])
    _trace(buyer, f"Représentant ajouté : {email}", actor)
    return row


@transaction.atomic
def create_operation(*, data, actor):
    if data["ends_on"] < data["starts_on"]:
        raise ClauseError("La fin de l'opération précède son début.")
    if data.get("qpv_share") is not None and not 0 <= data["qpv_share"] <= 1:
        raise ClauseError("La part QPV est comprise entre 0 et 1.")
    buyers = list(data.get("buyers") or [])
    if any(buyer.structure_id != actor.structure.pk for buyer in buyers):
        raise ClauseError("Ce donneur d'ordre n'est pas celui de votre structure.")
    operation = _create(Operation, data, actor, OPERATION_FIELDS, structure=actor.structure)
    operation.buyers.set(buyers)
    return operation


@transaction.atomic
def set_coefficient(operation, *, data, actor):
    """Sets how ``operation`` counts the hours of a modality (kept with each later figure)."""
    coefficient = Decimal(data["coefficient"])
    if not Decimal(0) <= coefficient <= Decimal(5):
        raise ClauseError("Le coefficient est compris entre 0 et 5.")
    row, _ = ModalityCoefficient.objects.update_or_create(
        operation=operation, modality=data["modality"], defaults={"coefficient": coefficient}
    )
    _trace(
        operation,
        f"Coefficient de comptage « {row.get_modality_display()} » : {coefficient}",
        actor,
    )
    return row


def coefficient_of(operation, modality):
    row = ModalityCoefficient.objects.filter(operation=operation, modality=modality).first()
    return row.coefficient if row else Decimal(1)


@transaction.atomic
def create_contract(operation, *, data, actor):
    buyer = data["buyer"]
    if not operation.buyers.filter(pk=buyer.pk).exists():
        raise ClauseError("Ce donneur d'ordre ne participe pas à l'opération.")
    if data["ends_on"] < data["starts_on"]:
        raise ClauseError("La fin d'exécution du marché précède son début.")
    if data["amount"] < 0:
        raise ClauseError("Le montant d'un marché n'est pas négatif.")
    if Contract.objects.filter(buyer=buyer, reference=data["reference"]).exists():
        raise ClauseError("Ce donneur d'ordre a déjà un marché de cette référence.")
    return _create(Contract, data, actor, CONTRACT_FIELDS, operation=operation)


def lot_hours(data, operation):
    """(hours owed, QPV hours owed) of a lot from its form's data."""
    if data.get("hours_mode") == HoursMode.ENTERED:
        hours = data.get("hours_owed")
        if hours is None or hours < 0:
            raise ClauseError("Saisissez les heures dues (un nombre positif).")
    else:
        for key, label in (
            ("labour_share", "la part de main-d'œuvre"),
            ("insertion_rate", "le taux d'insertion"),
            ("hourly_cost", "le coût horaire chargé"),
        ):
            if data.get(key) is None or data[key] <= 0:
                raise ClauseError(f"Pour calculer les heures, saisissez {label} (plus que 0).")
        if data["labour_share"] > 1 or data["insertion_rate"] > 1:
            raise ClauseError("La part de main-d'œuvre et le taux d'insertion vont de 0 à 1.")
        hours = compute_hours(
            data["amount"], data["labour_share"], data["insertion_rate"], data["hourly_cost"]
        )
    share = operation.qpv_share if operation.is_npnru and operation.qpv_share else Decimal(0)
    return Decimal(hours), (Decimal(hours) * share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def create_lot(contract, *, data, actor):
    if data.get("amount") is None or data["amount"] < 0:
        raise ClauseError("Le montant du lot n'est pas négatif.")
    if Lot.objects.filter(contract=contract, number=data["number"]).exists():
        raise ClauseError(f"Le marché a déjà un lot {data['number']}.")
    hours, qpv_hours = lot_hours(data, contract.operation)
    lot = Lot(contract=contract, hours_owed=hours, qpv_hours_owed=qpv_hours)
    timeline.assign(lot, {key: data[key] for key in LOT_FIELDS if key in data})
    if lot.hours_mode == HoursMode.ENTERED:
        lot.labour_share = lot.insertion_rate = lot.hourly_cost = None
    lot.save()
    lot.co_contractors.set(data.get("co_contractors") or [])
    lot.subcontractors.set(data.get("subcontractors") or [])
    timeline.record_creation(
        lot,
        actor=actor.user,
        structure=actor.structure,
        summary=f"Lot créé : {lot} ({lot.hours_owed} h dues)",
        about=lot.holder,
    )
    return lot


@transaction.atomic
def record_clause_need(lot, *, actor):
    """The seam with offers: the lot's clause jobs become a recruitment need of its holder;
    when the opportunities app provides it, candidates are proposed through its workflow."""
    if lot.need_id:
        return lot.need
    subject, _ = NeedSubject.objects.get_or_create(
        label="Recrutement au titre d'une clause sociale",
        defaults={"kind": NeedKind.RECRUITMENT},
    )
    need = company_services.record_need(
        lot.holder,
        data={"subject": subject, "description": f"Clause sociale — {lot.contract} — {lot}"},
        actor=actor,
    )
    lot.need = need
    lot.save(update_fields=["need"])
    return need


def propose_candidate(lot, person, *, actor, consent_text, message=""):
    """Puts ``person`` forward for the lot's clause job: the job becomes a recruitment need of
    the holder, and the person is proposed for it through the opportunities app's introductions
    (``companies.hooks.propose_candidate``: consent recorded, on the person's, the company's and
    the need's timelines). Without that app, it refuses with a clear French message."""
    need = record_clause_need(lot, actor=actor)
    return company_hooks.propose_candidate(
        need, person, actor=actor, consent_text=consent_text, message=message
    )


# --- Participants and eligibility -------------------------------------------------------------

PARTICIPANT_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "gender",
    "qpv_at_start",
    "level",
    "modality",
    "employer",
    "starts_on",
    "ends_on",
)


def from_record(person, starts_on):
    """What a person's record already knows, proposed on the participant's form."""
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date,
        "gender": person.gender,
        "qpv_at_start": person.qpv_status_on(starts_on),
    }


def proposed_criteria(person, starts_on):
    """The criteria the record proves on ``starts_on``: [(criterion, why)]."""
    if person is None:
        return []
    known = {}
    age = (
        starts_on.year
        - person.birth_date.year
        - ((starts_on.month, starts_on.day) < (person.birth_date.month, person.birth_date.day))
    )
    if age < 26:
        known["under_26"] = f"{age} ans au début du contrat (date de naissance du dossier)"
    if age > 50:
        known["over_50"] = f"{age} ans au début du contrat (date de naissance du dossier)"
    if person.qpv_status_on(starts_on) == QpvResidence.IN_QPV:
        known["qpv"] = "adresse du dossier située en quartier prioritaire"
    for status in person.public_statuses.all():
        if status.valid_from <= starts_on and (
            status.valid_until is None or status.valid_until >= starts_on
        ):
            proof = f" ({status.proof})" if status.proof else ""
            known[status.kind] = f"statut « {status.get_kind_display()} » du dossier{proof}"
    criteria = EligibilityCriterion.objects.filter(is_active=True, derived_from__in=list(known))
    return [(criterion, known[criterion.derived_from]) for criterion in criteria]


@transaction.atomic
def create_participant(*, data, actor, person=None):
    if data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        raise ClauseError("La fin du contrat précède son début.")
    values = dict(data)
    if person is not None:
        values.update(from_record(person, data["starts_on"]))
    participant = Participant(structure=actor.structure, person=person)
    timeline.assign(participant, {k: values[k] for k in PARTICIPANT_FIELDS if k in values})
    participant.save()
    timeline.record_creation(
        participant,
        actor=actor.user,
        structure=actor.structure,
        summary="Entrée dans une clause sociale",
        about=person,
    )
    return participant


@transaction.atomic
def define_criterion(*, data, actor):
    """Adds a criterion to the editable list."""
    if EligibilityCriterion.objects.filter(code=data["code"]).exists():
        raise ClauseError("Un critère porte déjà ce code.")
    criterion = EligibilityCriterion.objects.create(
        code=data["code"], label=data["label"], order=data.get("order") or 100
    )
    timeline.record_creation(criterion, actor=actor.user, structure=actor.structure)
    return criterion


@transaction.atomic
def toggle_criterion(criterion, *, actor):
    """Stops (or starts again) offering a criterion; the participants keep theirs."""
    criterion.is_active = not criterion.is_active
    criterion.save(update_fields=["is_active"])
    state = "proposé" if criterion.is_active else "retiré de la liste"
    _trace(criterion, f"Critère {state} : {criterion}", actor)
    return criterion


def refresh_eligibility(participant):
    """``is_eligible``: a criterion proven (by the record or a document) dated at the latest
    at the start of the contract."""
    eligible = False
    for row in participant.criteria.prefetch_related("documents"):
        proven = row.source == CriterionSource.RECORD or bool(list(row.documents.all()))
        if proven and row.assessed_on <= participant.starts_on:
            eligible = True
    if participant.is_eligible != eligible:
        participant.is_eligible = eligible
        participant.save(update_fields=["is_eligible"])
    return eligible


@transaction.atomic
def add_criterion(participant, *, data, actor, uploaded=None):
    """Records a criterion with its proof: a document, or what the record knows (only for a
    criterion the record proves)."""
    criterion = data["criterion"]
    if participant.criteria.filter(criterion=criterion).exists():
        raise ClauseError("Ce critère est déjà enregistré pour ce participant.")
    source = data.get("source") or CriterionSource.DOCUMENT
    note = data.get("note", "")
    if source == CriterionSource.RECORD:
        proposed = dict(proposed_criteria(participant.person, participant.starts_on))
        if criterion not in proposed:
            raise ClauseError(
                "Le dossier de la personne ne prouve pas ce critère : joignez une pièce."
            )
        note = note or proposed[criterion]
    elif uploaded is None:
        raise NotEligible("Joignez la pièce qui justifie ce critère (PDF, JPEG ou PNG).")
    if data["assessed_on"] > participant.starts_on:
        raise ClauseError(
            "L'éligibilité s'apprécie au début du contrat : la preuve doit dater du "
            f"{participant.starts_on:%d/%m/%Y} au plus tard."
        )
    row = ParticipantCriterion.objects.create(
        participant=participant,
        criterion=criterion,
        assessed_on=data["assessed_on"],
        source=source,
        note=note[:250],
    )
    if uploaded is not None:
        documents.attach(
            row,
            uploaded,
            actor=actor,
            label=f"Justificatif : {criterion}",
            issued_on=row.assessed_on,
        )
    refresh_eligibility(participant)
    _trace(participant, f"Critère d'éligibilité justifié : {criterion}", actor, participant.person)
    return row


@transaction.atomic
def remove_criterion(row, *, actor):
    participant = row.participant
    label = str(row.criterion)
    row.delete()
    refresh_eligibility(participant)
    _trace(participant, f"Critère d'éligibilité retiré : {label}", actor, participant.person)


def ineligibility_reason(participant):
    """Why a participant's hours do not count (French), or "" when they do."""
    if participant.is_eligible:
        return ""
    return (
        "Ses heures ne comptent pas : aucun critère d'éligibilité n'est justifié (pièce ou "
        f"dossier) à la date du début de son contrat, le {participant.starts_on:%d/%m/%Y}."
    )


OUTCOME_FIELDS = ("ends_on", "outcome_at_end", "outcome_6_months")


@transaction.atomic
def record_outcome(participant, *, data, actor):
    before = timeline.stored_snapshot(participant, OUTCOME_FIELDS)
    timeline.assign(participant, {k: data[k] for k in OUTCOME_FIELDS if k in data})
    if participant.ends_on and participant.ends_on < participant.starts_on:
        raise ClauseError("La fin du contrat précède son début.")
    if participant.outcome_6_months and not participant.ends_on:
        raise ClauseError("La situation à six mois suit la fin du contrat : saisissez-la d'abord.")
    if (
        participant.outcome_6_months
        and participant.ends_on
        and timezone.localdate() < _add_months(participant.ends_on, 6)
    ):
        raise ClauseError(
            "La situation à six mois se saisit à partir du "
            f"{_add_months(participant.ends_on, 6):%d/%m/%Y}."
        )
    participant.save()
    timeline.record_changes(
        participant,
        before,
        actor=actor.user,
        structure=actor.structure,
        summary=lambda labels: f"Clause sociale, situation : {labels}",
        about=participant.person,
    )
    return participant


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


# --- Declarations ----------------------------------------------------------------------------


def first_of_month(day):
    return day.replace(day=1)


def check_declaration(participant, lot, month, hours):
    """The rules of one declaration (raised before anything is written)."""
    if hours is None or hours < 0:
        raise ClauseError("Les heures déclarées ne sont pas négatives.")
    if hours > 744:
        raise ClauseError("Un mois compte au plus 744 heures.")
    if month.day != 1:
        raise ClauseError("Une déclaration porte sur un mois entier (le 1er du mois).")
    contract = lot.contract
    if not first_of_month(contract.starts_on) <= month <= first_of_month(contract.ends_on):
        raise MonthOutsideContract(
            f"{month:%m/%Y} est hors de la période du marché "
            f"(du {contract.starts_on:%d/%m/%Y} au {contract.ends_on:%d/%m/%Y})."
        )
    if participant.structure_id != contract.operation.structure_id:
        raise ClauseError("Ce participant n'est pas suivi par la structure de l'opération.")
    if not participant.is_eligible:
        raise NotEligible(
            f"{participant.first_name} n'a aucun critère d'éligibilité justifié au début de son "
            "contrat : ses heures ne peuvent pas être déclarées."
        )


@transaction.atomic
def declare(*, data, actor, source=DeclarationSource.FACILITATOR):
    """Records (or, while not validated, replaces) the hours of a participant on a lot for a
    month. The modality is the participant's; the coefficient the operation's, kept."""
    participant, lot, month, hours = data["participant"], data["lot"], data["month"], data["hours"]
    check_declaration(participant, lot, month, hours)
    existing = (
        Declaration.objects.select_for_update()
        .filter(participant=participant, lot=lot, month=month)
        .first()
    )
    if existing is not None:
        if existing.status == DeclarationStatus.VALIDATED:
            raise ValidatedFigure(
                f"Les heures de {month:%m/%Y} sont validées : rouvrez la déclaration pour la "
                "modifier."
            )
        before = existing.hours
        existing.hours = hours
        existing.source = source
        existing.declared_by = actor.user
        existing.save(update_fields=["hours", "source", "declared_by"])
        _trace(
            existing,
            f"Heures de {month:%m/%Y} modifiées : {before} h → {hours} h",
            actor,
            [participant, lot],
        )
        return existing
    declaration = Declaration.objects.create(
        participant=participant,
        lot=lot,
        month=month,
        hours=hours,
        modality=participant.modality,
        coefficient=coefficient_of(lot.contract.operation, participant.modality),
        source=source,
        declared_by=actor.user,
    )
    _trace(
        declaration,
        f"{hours} h déclarées pour {month:%m/%Y} ({lot})",
        actor,
        [participant, lot],
        verb="created",
    )
    return declaration


@transaction.atomic
def validate(declaration, *, actor):
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.status == DeclarationStatus.VALIDATED:
        raise ValidatedFigure("Cette déclaration est déjà validée.")
    if not declaration.participant.is_eligible:
        raise NotEligible("Le participant n'a plus de critère justifié : rien n'est validé.")
    declaration.status = DeclarationStatus.VALIDATED
    declaration.validated_by = actor.user
    declaration.validated_at = timezone.now()
    declaration.save(update_fields=["status", "validated_by", "validated_at"])
    _trace(
        declaration,
        f"Heures de {declaration.month:%m/%Y} validées : {declaration.hours} h",
        actor,
        [declaration.participant, declaration.lot],
    )
    return declaration


@transaction.atomic
def reopen(declaration, *, data, actor):
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise ClauseError("Dites pourquoi la déclaration validée est rouverte.")
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.status != DeclarationStatus.VALIDATED:
        raise ClauseError("Seule une déclaration validée se rouvre.")
    declaration.status = DeclarationStatus.DECLARED
    declaration.validated_by = None
    declaration.validated_at = None
    declaration.reopened_count += 1
    declaration.save(update_fields=["status", "validated_by", "validated_at", "reopened_count"])
    _trace(
        declaration,
        f"Déclaration de {declaration.month:%m/%Y} rouverte ({declaration.hours} h) : {reason}",
        actor,
        [declaration.participant, declaration.lot],
    )
    return declaration


# --- Edits -----------------------------------------------------------------------------------
# Each edit takes the stored snapshot, checks every rule before writing (nothing changes on a
# refusal) and records the diff on the timeline (``record_changes``).


def _changes(obj, before, actor, summary, about=None):
    return timeline.record_changes(
        obj, before, actor=actor.user, structure=actor.structure, summary=summary, about=about
    )


def _qpv_hours(hours, operation):
    share = operation.qpv_share if operation.is_npnru and operation.qpv_share else Decimal(0)
    return (Decimal(hours) * share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def update_buyer(buyer, *, data, actor):
    before = timeline.stored_snapshot(buyer, BUYER_FIELDS)
    siret = data.get("siret", buyer.siret)
    if (
        Buyer.objects.filter(structure=buyer.structure_id, siret=siret)
        .exclude(pk=buyer.pk)
        .exists()
    ):
        raise ClauseError("Un donneur d'ordre porte déjà ce SIRET.")
    timeline.assign(buyer, {k: data[k] for k in BUYER_FIELDS if k in data})
    buyer.full_clean(exclude=["structure"])
    buyer.save()
    _changes(buyer, before, actor, lambda labels: f"Donneur d'ordre modifié : {labels}")
    return buyer


@transaction.atomic
def update_operation(operation, *, data, actor):
    """Changes an operation. A buyer with contracts in it stays; a changed programme or QPV
    share recomputes the QPV hours owed of every lot (explained on the timeline)."""
    operation = Operation.objects.select_for_update().get(pk=operation.pk)
    before = timeline.stored_snapshot(operation, OPERATION_FIELDS)
    values = {k: data[k] for k in OPERATION_FIELDS if k in data}
    starts_on = values.get("starts_on", operation.starts_on)
    ends_on = values.get("ends_on", operation.ends_on)
    if ends_on < starts_on:
        raise ClauseError("La fin de l'opération précède son début.")
    share = values.get("qpv_share", operation.qpv_share)
    if share is not None and not 0 <= share <= 1:
        raise ClauseError("La part QPV est comprise entre 0 et 1.")
    buyers = None
    if "buyers" in data:
        buyers = list(data.get("buyers") or [])
        if any(buyer.structure_id != operation.structure_id for buyer in buyers):
            raise ClauseError("Ce donneur d'ordre n'est pas celui de votre structure.")
        kept = {buyer.pk for buyer in buyers}
        holding = (
            Buyer.objects.filter(contracts__operation=operation).exclude(pk__in=kept).distinct()
        )
        if holding.exists():
            names = ", ".join(str(buyer) for buyer in holding)
            raise ClauseError(
                f"{names} a des marchés dans l'opération : il en reste donneur d'ordre."
            )
    timeline.assign(operation, values)
    operation.full_clean(exclude=["structure", "buyers"])
    operation.save()
    if buyers is not None:
        before_buyers = set(operation.buyers.values_list("pk", flat=True))
        operation.buyers.set(buyers)
        if before_buyers != {buyer.pk for buyer in buyers}:
            _trace(
                operation,
                "Donneurs d'ordre : " + (", ".join(str(b) for b in buyers) or "aucun"),
                actor,
            )
    if (before["programme"], before["qpv_share"]) != (operation.programme, operation.qpv_share):
        lots = list(Lot.objects.filter(contract__operation=operation))
        for lot in lots:
            lot.qpv_hours_owed = _qpv_hours(lot.hours_owed, operation)
        Lot.objects.bulk_update(lots, ["qpv_hours_owed"])
        if lots:
            _trace(
                operation,
                f"Heures dues aux habitants des QPV recalculées pour {len(lots)} lot(s)",
                actor,
            )
    _changes(operation, before, actor, lambda labels: f"Opération modifiée : {labels}")
    return operation


EDITABLE_CONTRACT_FIELDS = (
    "buyer",
    "reference",
    "object",
    "cpv_code",
    "amount",
    "nature",
    "starts_on",
    "ends_on",
)


def months_outside(contract, starts_on, ends_on):
    """The declared months of ``contract``'s lots outside [starts_on, ends_on] (first days)."""
    from django.db.models import Q

    return list(
        Declaration.objects.filter(lot__contract=contract)
        .filter(Q(month__lt=first_of_month(starts_on)) | Q(month__gt=first_of_month(ends_on)))
        .values_list("month", flat=True)
        .distinct()
        .order_by("month")
    )


@transaction.atomic
def update_contract(contract, *, data, actor):
    """Changes a contract; its period must keep every declared month of its lots inside."""
    contract = Contract.objects.select_for_update().select_related("operation").get(pk=contract.pk)
    before = timeline.stored_snapshot(contract, EDITABLE_CONTRACT_FIELDS)
    values = {k: data[k] for k in EDITABLE_CONTRACT_FIELDS if k in data}
    buyer = values.get("buyer", contract.buyer)
    starts_on = values.get("starts_on", contract.starts_on)
    ends_on = values.get("ends_on", contract.ends_on)
    if not contract.operation.buyers.filter(pk=buyer.pk).exists():
        raise ClauseError("Ce donneur d'ordre ne participe pas à l'opération.")
    if ends_on < starts_on:
        raise ClauseError("La fin d'exécution du marché précède son début.")
    if values.get("amount", contract.amount) < 0:
        raise ClauseError("Le montant d'un marché n'est pas négatif.")
    reference = values.get("reference", contract.reference)
    if Contract.objects.filter(buyer=buyer, reference=reference).exclude(pk=contract.pk).exists():
        raise ClauseError("Ce donneur d'ordre a déjà un marché de cette référence.")
    outside = months_outside(contract, starts_on, ends_on)
    if outside:
        months = ", ".join(f"{month:%m/%Y}" for month in outside[:6])
        more = f" et {len(outside) - 6} autre(s)" if len(outside) > 6 else ""
        raise MonthOutsideContract(
            f"Des heures sont déclarées en {months}{more}, hors de la période du "
            f"{starts_on:%d/%m/%Y} au {ends_on:%d/%m/%Y} : la période doit les contenir."
        )
    timeline.assign(contract, values)
    contract.full_clean(exclude=["operation"])
    contract.save()
    _changes(contract, before, actor, lambda labels: f"Marché modifié : {labels}")
    return contract


LOT_HISTORY_FIELDS = (*LOT_FIELDS, "hours_owed", "qpv_hours_owed")


def validated_hours(lot):
    """The hours of ``lot`` already validated (counted hours of eligible participants)."""
    from tisserand.clauses import progress

    figures = progress.sums_by_lot([lot.pk]).get(lot.pk)
    return figures.validated if figures else Decimal(0)


@transaction.atomic
def update_lot(lot, *, data, actor):
    """Changes a lot and its clause: the hours owed are computed again from the parameters
    (or entered) and never fall below the hours already validated."""
    lot = Lot.objects.select_for_update().select_related("contract__operation").get(pk=lot.pk)
    before = timeline.stored_snapshot(lot, LOT_HISTORY_FIELDS)
    values = {k: data[k] for k in LOT_FIELDS if k in data}
    amount = values.get("amount", lot.amount)
    if amount is None or amount < 0:
        raise ClauseError("Le montant du lot n'est pas négatif.")
    number = values.get("number", lot.number)
    if Lot.objects.filter(contract=lot.contract_id, number=number).exclude(pk=lot.pk).exists():
        raise ClauseError(f"Le marché a déjà un lot {number}.")
    holder = values.get("holder", lot.holder)
    if lot.need_id and holder.pk != lot.holder_id:
        raise ClauseError(
            "Le besoin de recrutement de ce lot est enregistré chez son titulaire actuel : "
            "le titulaire ne se change plus."
        )
    current = {
        key: getattr(lot, key)
        for key in ("hours_mode", "labour_share", "insertion_rate", "hourly_cost", "hours_owed")
    }
    merged = {**current, **values, "amount": amount, **_entered(data)}
    hours, qpv_hours = lot_hours(merged, lot.contract.operation)
    validated = validated_hours(lot)
    if hours < validated:
        raise ClauseError(
            f"Les heures dues ({french_hours(hours)} h) seraient inférieures aux heures déjà "
            f"validées ({french_hours(validated)} h) : rouvrez d'abord les déclarations en cause."
        )
    timeline.assign(lot, values)
    lot.hours_owed, lot.qpv_hours_owed = hours, qpv_hours
    if lot.hours_mode == HoursMode.ENTERED:
        lot.labour_share = lot.insertion_rate = lot.hourly_cost = None
    lot.save()
    for name, label in (("co_contractors", "Cotraitants"), ("subcontractors", "Sous-traitants")):
        if name in data:
            related = getattr(lot, name)
            wanted = list(data.get(name) or [])
            if set(related.values_list("pk", flat=True)) != {company.pk for company in wanted}:
                related.set(wanted)
                names = ", ".join(company.display_name for company in wanted) or "aucun"
                _trace(lot, f"{label} du {lot} : {names}", actor, lot.holder)
    _changes(
        lot,
        before,
        actor,
        lambda labels: (
            f"Lot modifié : {labels}. Heures dues : {lot.hours_owed} h ({lot.explanation})"
        ),
        about=lot.holder,
    )
    return lot


def _entered(data):
    return {"hours_owed": data["hours_owed"]} if data.get("hours_owed") is not None else {}


def french_hours(value):
    from tisserand.clauses.models import french_number

    return french_number(value, 1)


def eligible_on(participant, starts_on):
    """Whether ``participant``'s criteria prove eligibility for a contract starting on
    ``starts_on``: a proof dated at the latest that day — a document, or the record (which must
    still prove it on that day)."""
    proposed = None
    for row in participant.criteria.select_related("criterion").prefetch_related("documents"):
        if row.assessed_on > starts_on:
            continue
        if row.source == CriterionSource.RECORD:
            if participant.person is not None:
                if proposed is None:
                    proposed = dict(proposed_criteria(participant.person, starts_on))
                if row.criterion not in proposed:
                    continue
            return True
        if list(row.documents.all()):
            return True
    return False


IDENTITY_FIELDS = ("first_name", "last_name", "birth_date", "gender", "qpv_at_start")
EDITABLE_PARTICIPANT_FIELDS = (*PARTICIPANT_FIELDS,)


@transaction.atomic
def update_participant(participant, *, data, actor):
    """Changes a participant: the identity only for one created for the clause (a linked
    person's comes from their record), the modality (later declarations take it; recorded ones
    keep theirs), the employer and the contract's dates. A new start date checks the criteria's
    dates again: a participant with declared hours never loses their eligibility this way, and
    no hours stay declared for a month before the start."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    before = timeline.stored_snapshot(participant, EDITABLE_PARTICIPANT_FIELDS)
    fields = PARTICIPANT_FIELDS
    if participant.person_id:
        fields = tuple(k for k in PARTICIPANT_FIELDS if k not in IDENTITY_FIELDS)
    values = {k: data[k] for k in fields if k in data}
    starts_on = values.get("starts_on", participant.starts_on)
    ends_on = values.get("ends_on", participant.ends_on)
    if ends_on and ends_on < starts_on:
        raise ClauseError("La fin du contrat précède son début.")
    declarations = Declaration.objects.filter(participant=participant)
    if starts_on != participant.starts_on:
        early = declarations.filter(month__lt=first_of_month(starts_on)).order_by("month").first()
        if early is not None:
            raise ClauseError(
                f"Des heures sont déclarées en {early.month:%m/%Y}, avant le "
                f"{starts_on:%d/%m/%Y} : le contrat ne peut pas commencer après."
            )
        if participant.person_id:
            values["qpv_at_start"] = participant.person.qpv_status_on(starts_on)
        eligible = eligible_on(participant, starts_on)
        if participant.is_eligible and not eligible and declarations.exists():
            raise NotEligible(
                "Au "
                f"{starts_on:%d/%m/%Y}, aucun critère n'est justifié par une preuve datée de ce "
                "jour au plus tard : ses heures déclarées ne compteraient plus. Ajoutez d'abord "
                "un justificatif daté du début du contrat."
            )
    else:
        eligible = participant.is_eligible
    timeline.assign(participant, values)
    participant.is_eligible = eligible
    participant.full_clean(exclude=["structure", "person"])
    participant.save()
    _changes(
        participant,
        before,
        actor,
        lambda labels: f"Clause sociale, participant modifié : {labels}",
        about=participant.person,
    )
    return participant
