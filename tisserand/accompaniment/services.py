"""Operations on accompaniments. Each runs in a transaction, checks its rules, and records
what it did on the person's timeline (``about=person``).

Rules broken by the caller raise ``AccompanimentError`` with a French message (forms check the
same rules first, next to the fields). A closed accompaniment accepts only its follow-up.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tisserand.accompaniment import exit_typology, perms
from tisserand.accompaniment.models import (
    PARTNER_MESSAGE,
    Accompaniment,
    AgeBand,
    BarrierAssessment,
    BarrierLevel,
    EmploymentStatus,
    EsfRecord,
    EsfStage,
    Objective,
    ProfessionalProject,
    SixMonthFollowUp,
    Status,
    Transfer,
)
from tisserand.accompaniment.selectors import open_accompaniments
from tisserand.core import documents, timeline
from tisserand.core.actor import Actor
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent
from tisserand.people import hooks as people_hooks
from tisserand.people import services as people_services
from tisserand.people.hooks import FollowUpPeriod
from tisserand.people.models import FollowUpMember, FollowUpRole, Situation
from tisserand.referentials.vocabularies import api as vocabularies

Verb = TimelineEvent.Verb
EMPLOYMENT_EXIT_FAMILIES = frozenset({"durable_employment", "transition_employment"})
EMPLOYED_WITHOUT_CONTRACT = frozenset({"business_creation"})
LONG_TERM_UNEMPLOYMENT = timedelta(days=365)


class AccompanimentError(DomainError, ValueError):
    """A rule of accompaniments is broken; the message is for the user."""


def follow_up_periods(persons):
    """The accompaniments of ``persons`` as people's ``FollowUpPeriod`` (hook
    ``follow_up_periods``): référent, structure, entry, exit and planned end."""
    rows = Accompaniment.objects.filter(person__in=persons).order_by(
        "person_id", "entry_date", "pk"
    )
    return [
        FollowUpPeriod(
            person_id=row.person_id,
            user_id=row.referent_id,
            structure_id=row.structure_id,
            starts_on=row.entry_date,
            ends_on=row.exit_date,
            planned_end_on=row.planned_end_date,
        )
        for row in rows
    ]


def _record(subject, verb, summary, actor, person, changes=None):
    return timeline.record(
        subject,
        verb,
        summary,
        actor=actor.user,
        structure=actor.structure,
        changes=changes,
        about=person,
    )


def _require_open(accompaniment):
    if not accompaniment.is_open:
        raise AccompanimentError(
            "Cet accompagnement est clos : seul son suivi à 6 mois peut encore être saisi."
        )


def _require_past(day, label):
    if day > timezone.localdate():
        raise AccompanimentError(f"La {label} ne peut pas être dans le futur.")


# --- Opening, team, transfer -----------------------------------------------------------------


@transaction.atomic
def open_accompaniment(
    person, *, programme, referent, entry_date, actor, planned_end_date=None, esf=None
):
    """Opens an accompaniment in the actor's structure; the référent joins the follow-up."""
    _require_past(entry_date, "date d'entrée")
    if open_accompaniments(person).filter(programme=programme).exists():
        raise AccompanimentError(
            f"{person} a déjà un accompagnement en cours dans le programme « {programme} »."
        )
    try:
        with transaction.atomic():
            accompaniment = Accompaniment.objects.create(
                person=person,
                programme=programme,
                structure=actor.structure,
                referent=referent,
                entry_date=entry_date,
                planned_end_date=planned_end_date,
                created_by=actor.user,
            )
    except IntegrityError as error:
        raise AccompanimentError(
            f"{person} a déjà un accompagnement en cours dans le programme « {programme} »."
        ) from error
    people_services.set_follow_up(
        person,
        user=referent,
        structure=actor.structure,
        role=FollowUpRole.REFERENT,
        actor=actor,
        since=entry_date,
    )
    capture_esf(accompaniment, EsfStage.ENTRY, entry_date, esf or {}, actor)
    _record(
        accompaniment,
        Verb.CREATED,
        f"Entrée en accompagnement « {programme} » le {entry_date:%d/%m/%Y}, "
        f"référent : {referent} ({actor.structure})",
        actor,
        person,
    )
    return accompaniment


@transaction.atomic
def add_team_member(accompaniment, *, user, structure, role, actor):
    """Adds a counsellor (équipe) or a partner with read access to the person's follow-up."""
    _require_open(accompaniment)
    if role not in (FollowUpRole.TEAM, FollowUpRole.PARTNER_READER):
        raise AccompanimentError("Rôle de suivi inconnu.")
    seat = FollowUpMember.objects.filter(
        person_id=accompaniment.person_id, user=user, structure=structure, is_active=True
    ).first()
    if seat is not None and seat.role == FollowUpRole.REFERENT:
        raise AccompanimentError(f"{user} est déjà référent de cette personne.")
    return people_services.set_follow_up(
        accompaniment.person, user=user, structure=structure, role=role, actor=actor
    )


@transaction.atomic
def remove_team_member(accompaniment, member, *, actor):
    _require_open(accompaniment)
    if member.role == FollowUpRole.REFERENT:
        raise AccompanimentError("Le référent change par un transfert, pas par l'équipe.")
    return people_services.end_follow_up(
        accompaniment.person, user=member.user, structure=member.structure, actor=actor
    )


def _still_referent_elsewhere(accompaniment, user, structure):
    return (
        Accompaniment.objects.open()
        .filter(person_id=accompaniment.person_id, referent=user, structure=structure)
        .exclude(pk=accompaniment.pk)
        .exists()
    )


def _structure_still_follows(accompaniment, structure):
    return (
        Accompaniment.objects.open()
        .filter(person_id=accompaniment.person_id, structure=structure)
        .exclude(pk=accompaniment.pk)
        .exists()
    )


@transaction.atomic
def transfer(accompaniment, *, to_referent, to_structure, transferred_on, reason, actor):
    """Hands the accompaniment to another référent, possibly of another structure.

    The former référent leaves the follow-up (unless they follow the person in another
    programme); when the structure changes, its team leaves too. The history is kept: the
    ``Transfer`` row, the dated follow-up seats and the timeline.
    """
    _require_open(accompaniment)
    _require_past(transferred_on, "date du transfert")
    if transferred_on < accompaniment.entry_date:
        raise AccompanimentError("Le transfert ne peut pas précéder l'entrée.")
    from_referent, from_structure = accompaniment.referent, accompaniment.structure
    if from_referent.pk == to_referent.pk and from_structure.pk == to_structure.pk:
        raise AccompanimentError("Choisissez un autre référent ou une autre structure.")
    person = accompaniment.person
    moved = Transfer.objects.create(
        accompaniment=accompaniment,
        transferred_on=transferred_on,
        from_structure=from_structure,
        to_structure=to_structure,
        from_referent=from_referent,
        to_referent=to_referent,
        reason=reason,
        actor=actor.user,
    )
    accompaniment.referent, accompaniment.structure = to_referent, to_structure
    accompaniment.save(update_fields=["referent", "structure"])
    people_services.set_follow_up(
        person,
        user=to_referent,
        structure=to_structure,
        role=FollowUpRole.REFERENT,
        actor=actor,
        since=transferred_on,
    )
    if not _still_referent_elsewhere(accompaniment, from_referent, from_structure):
        people_services.end_follow_up(
            person, user=from_referent, structure=from_structure, actor=actor, until=transferred_on
        )
    if from_structure.pk != to_structure.pk and not _structure_still_follows(
        accompaniment, from_structure
    ):
        for seat in FollowUpMember.objects.filter(
            person=person, structure=from_structure, is_active=True, role=FollowUpRole.TEAM
        ).select_related("user"):
            people_services.end_follow_up(
                person, user=seat.user, structure=from_structure, actor=actor, until=transferred_on
            )
    _record(
        accompaniment,
        Verb.ACTION,
        f"Transfert de l'accompagnement « {accompaniment.programme} » : "
        f"{from_referent} ({from_structure}) → "
        f"{to_referent} ({to_structure})" + (f". Motif : {reason}" if reason else ""),
        actor,
        person,
    )
    return moved


# --- Diagnosis --------------------------------------------------------------------------------


def current_diagnosis(assessments):
    """{theme: the latest assessment} from assessments of one accompaniment."""
    current = {}
    for assessment in assessments:
        known = current.get(assessment.theme)
        key = (assessment.assessed_on, assessment.recorded_at, assessment.pk or 0)
        if known is None or key > (known.assessed_on, known.recorded_at, known.pk or 0):
            current[assessment.theme] = assessment
    return current


@transaction.atomic
def revise_diagnosis(accompaniment, entries, *, assessed_on, actor):
    """Records the themes whose level or comment changed; returns the new assessments.

    ``entries`` maps a barrier theme code to ``(level or None, comment)``; None leaves the
    theme as it is (not assessed, or unchanged).
    """
    _require_open(accompaniment)
    _require_past(assessed_on, "date du diagnostic")
    if assessed_on < accompaniment.entry_date:
        raise AccompanimentError("Le diagnostic ne peut pas précéder l'entrée.")
    known_themes = vocabularies.labels(vocabularies.BARRIER_THEME)
    current = current_diagnosis(accompaniment.barrier_assessments.all())
    created, changes = [], []
    for theme, (level, comment) in entries.items():
        if theme not in known_themes:
            raise AccompanimentError(f"Thématique inconnue : {theme}.")
        previous = current.get(theme)
        if level is None or (
            previous is not None and (previous.level, previous.comment) == (level, comment)
        ):
            continue
        created.append(
            BarrierAssessment(
                accompaniment=accompaniment,
                theme=theme,
                level=level,
                comment=comment,
                assessed_on=assessed_on,
                recorded_by=actor.user,
            )
        )
        changes.append(
            {
                "field": known_themes[theme],
                "before": previous.get_level_display() if previous else "non évalué",
                "after": BarrierLevel(level).label,
            }
        )
    if created:
        BarrierAssessment.objects.bulk_create(created)
        _record(
            accompaniment,
            Verb.CHANGED,
            f"Diagnostic du {assessed_on:%d/%m/%Y} : "
            + ", ".join(change["field"] for change in changes),
            actor,
            accompaniment.person,
            changes=changes,
        )
    return created


# --- Professional project ---------------------------------------------------------------------


def project_of(accompaniment):
    project = ProfessionalProject.objects.filter(accompaniment=accompaniment).first()
    return project or ProfessionalProject(accompaniment=accompaniment)


@transaction.atomic
def update_project(project, *, data, add_appellation=None, remove_appellations=(), actor):
    """Changes the project (new or stored) to ``data``, adds and removes target occupations;
    records what changed from the stored project."""
    accompaniment = project.accompaniment
    _require_open(accompaniment)
    is_new = project.pk is None
    before = {} if is_new else timeline.stored_snapshot(project, project.TRACKED_FIELDS)
    timeline.assign(project, data)
    project.updated_by, project.updated_at = actor.user, timezone.now()
    project.save()
    changes = [] if is_new else timeline.diff(project, before, timeline.snapshot(project, before))
    targets = list(project.target_appellations.all())
    removed = [a for a in targets if a.pk in remove_appellations]
    if removed:
        project.target_appellations.remove(*removed)
    added = add_appellation is not None and all(a.pk != add_appellation.pk for a in targets)
    if added:
        project.target_appellations.add(add_appellation)
    labels = {"field": "métiers visés", "before": _labels(targets)}
    after = [a for a in targets if a not in removed] + ([add_appellation] if added else [])
    if removed or added:
        changes.append({**labels, "after": _labels(after)})
    if is_new or changes:
        _record(
            project,
            Verb.CREATED if is_new else Verb.CHANGED,
            "Projet professionnel "
            + ("défini" if is_new else "mis à jour")
            + (f" : {_labels(after)}" if after else ""),
            actor,
            accompaniment.person,
            changes=changes,
        )
    return project


def add_retained_target(person, appellation, membership):
    """An occupation retained as a target elsewhere (guidance) joins the professional project
    of the person's open accompaniment with the member's structure, when the member may change
    it (hook ``occupation_target_retained``). Returns the project, or ``None``."""
    if appellation is None:
        return None
    for accompaniment in open_accompaniments(person).filter(structure=membership.structure):
        if not perms.can_edit(membership, accompaniment):
            continue
        return update_project(
            project_of(accompaniment),
            data={},
            add_appellation=appellation,
            actor=Actor.of(membership),
        )
    return None


def _labels(appellations):
    return ", ".join(a.label for a in appellations) or timeline.EMPTY


# --- Plan -------------------------------------------------------------------------------------


@transaction.atomic
def add_objective(accompaniment, *, theme, label, actor):
    _require_open(accompaniment)
    if not vocabularies.is_known(vocabularies.BARRIER_THEME, theme):
        raise AccompanimentError(f"Thématique inconnue : {theme}.")
    objective = Objective.objects.create(
        accompaniment=accompaniment, theme=theme, label=label, created_by=actor.user
    )
    theme_label = vocabularies.labels(vocabularies.BARRIER_THEME)[theme]
    _record(
        objective,
        Verb.CREATED,
        f"Objectif ajouté au plan ({theme_label}) : {label}",
        actor,
        accompaniment.person,
    )
    return objective


@transaction.atomic
def set_objective_status(objective, status, *, actor):
    _require_open(objective.accompaniment)
    before = timeline.snapshot(objective, ["status"])
    objective.status = status
    objective.save(update_fields=["status"])
    timeline.record_changes(
        objective,
        before,
        actor=actor.user,
        structure=actor.structure,
        about=objective.accompaniment.person,
    )
    return objective


def _check_action(action, accompaniment):
    if not vocabularies.is_known(vocabularies.ACTION_TYPE, action.action_type):
        raise AccompanimentError(f"Type d'action inconnu : {action.action_type}.")
    for day in (action.start_date, action.end_date):
        if day is not None and day < accompaniment.entry_date:
            raise AccompanimentError("Une action ne peut pas précéder l'entrée.")
    if action.start_date and action.end_date and action.end_date < action.start_date:
        raise AccompanimentError("La fin de l'action précède son début.")
    if not action.has_one_partner():
        raise AccompanimentError(PARTNER_MESSAGE)


@transaction.atomic
def add_action(objective, action, *, actor):
    """Adds an unsaved ``PlanAction`` (from its form) to the objective."""
    accompaniment = objective.accompaniment
    _require_open(accompaniment)
    action.objective, action.created_by = objective, actor.user
    _check_action(action, accompaniment)
    action.save()
    _record(
        action,
        Verb.CREATED,
        f"Action planifiée : {action.label} ({action.get_status_display().lower()})",
        actor,
        accompaniment.person,
    )
    return action


@transaction.atomic
def update_action(action, *, data, actor):
    """Changes the action to ``data``; records what changed from the stored action."""
    accompaniment = action.objective.accompaniment
    _require_open(accompaniment)
    before = timeline.stored_snapshot(action, action.TRACKED_FIELDS)
    timeline.assign(action, data)
    _check_action(action, accompaniment)
    action.save()
    timeline.record_changes(
        action, before, actor=actor.user, structure=actor.structure, about=accompaniment.person
    )
    return action


# --- ESF+ -------------------------------------------------------------------------------------


def age_band(birth_date, on):
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if age < 18:
        return AgeBand.UNDER_18
    if age < 30:
        return AgeBand.FROM_18_TO_29
    return AgeBand.FROM_30_TO_54 if age < 55 else AgeBand.FROM_55


def employment_status_of(person, on):
    """The ESF+ labour-market status the person's recorded situation suggests."""
    if person.situation == Situation.JOB_SEEKER:
        since = person.job_seeker_since or person.situation_since
        if since is not None and on - since >= LONG_TERM_UNEMPLOYMENT:
            return EmploymentStatus.LONG_TERM_UNEMPLOYED
        return EmploymentStatus.UNEMPLOYED
    return {
        Situation.EMPLOYED: EmploymentStatus.EMPLOYED,
        Situation.IN_TRAINING: EmploymentStatus.INACTIVE,
        Situation.INACTIVE: EmploymentStatus.INACTIVE,
    }.get(person.situation, "")


def results_of_situation(situation_code):
    """ESF+ results implied by an exit type (or a situation at 6 months)."""
    family = vocabularies.category_of(vocabularies.EXIT_TYPE).get(situation_code)
    employed = family in EMPLOYMENT_EXIT_FAMILIES or situation_code == "siae_hire"
    return {
        "is_employed": employed,
        "is_in_education_or_training": situation_code == "qualifying_training",
        "is_job_searching": situation_code == "job_seeker",
    }


def capture_esf(accompaniment, stage, captured_on, values, actor):
    """Creates (or replaces) the ESF+ record of a stage; entry copies the person's profile."""
    person = accompaniment.person
    fields = dict(values)
    if stage == EsfStage.ENTRY:
        isced = vocabularies.category_of(vocabularies.QUALIFICATION_LEVEL)
        fields.setdefault("employment_status", employment_status_of(person, captured_on))
        fields.update(
            gender=person.gender,
            age_band=age_band(person.birth_date, captured_on),
            isced_group=isced.get(person.qualification_level, ""),
        )
    record, _ = EsfRecord.objects.update_or_create(
        accompaniment=accompaniment,
        stage=stage,
        defaults={**fields, "captured_on": captured_on, "recorded_by": actor.user},
    )
    return record


# --- Exit and follow-up -----------------------------------------------------------------------


def _check_contract(situation, contract_type):
    if contract_type and not vocabularies.is_known(vocabularies.CONTRACT_TYPE, contract_type):
        raise AccompanimentError(f"Type de contrat inconnu : {contract_type}.")
    if exit_needs_contract(situation) and not contract_type:
        raise AccompanimentError("Une sortie en emploi salarié demande le type de contrat.")
    if not exit_typology.allows(situation, contract_type):
        raise AccompanimentError(incoherent_contract_message(situation, contract_type))


def incoherent_contract_message(situation, contract_type):
    situation_label = vocabularies.labels(vocabularies.EXIT_TYPE).get(situation, situation)
    contract_label = vocabularies.labels(vocabularies.CONTRACT_TYPE).get(
        contract_type, contract_type
    )
    return (
        f"Un contrat « {contract_label} » ne correspond pas à la situation "
        f"« {situation_label} » : corrigez l'un ou l'autre."
    )


def exit_needs_contract(situation):
    family = vocabularies.category_of(vocabularies.EXIT_TYPE).get(situation)
    return family in EMPLOYMENT_EXIT_FAMILIES and situation not in EMPLOYED_WITHOUT_CONTRACT


@transaction.atomic
def record_exit(
    accompaniment,
    *,
    exit_date,
    exit_type,
    actor,
    contract_type="",
    employer="",
    comment="",
    gained_qualification=None,
    keep_appointments=(),
    proof=None,
):
    """Closes the accompaniment: an exit has a date and a type. Schedules the follow-up and
    cancels the person's appointments to come with the structure, except those whose public id
    is in ``keep_appointments``. ``proof`` (an uploaded file: a work contract…) is attached to
    the exit. Returns the follow-up; ``follow_up.cancelled_appointments`` says how many
    appointments were cancelled."""
    _require_open(accompaniment)
    if not exit_type or not vocabularies.is_known(vocabularies.EXIT_TYPE, exit_type):
        raise AccompanimentError("Une sortie a besoin d'un type de sortie.")
    _require_past(exit_date, "date de sortie")
    if exit_date < accompaniment.entry_date:
        raise AccompanimentError("La sortie ne peut pas précéder l'entrée.")
    _check_contract(exit_type, contract_type)
    accompaniment.status, accompaniment.closed_at = Status.CLOSED, timezone.now()
    accompaniment.exit_date, accompaniment.exit_type = exit_date, exit_type
    accompaniment.exit_contract_type, accompaniment.exit_employer = contract_type, employer
    accompaniment.exit_comment = comment
    accompaniment.save()
    follow_up = SixMonthFollowUp.scheduled_for(accompaniment)
    follow_up.save()
    capture_esf(
        accompaniment,
        EsfStage.EXIT,
        exit_date,
        {**results_of_situation(exit_type), "gained_qualification": gained_qualification},
        actor,
    )
    follow_up.cancelled_appointments = _cancel_appointments_to_come(
        accompaniment, keep_appointments, actor
    )
    exit_label = vocabularies.labels(vocabularies.EXIT_TYPE)[exit_type]
    _attach_proof(
        accompaniment, proof, f"Justificatif de sortie : {exit_label}", exit_date, employer, actor
    )
    _record(
        accompaniment,
        Verb.STATUS_CHANGED,
        f"Sortie de l'accompagnement « {accompaniment.programme} » le {exit_date:%d/%m/%Y} : "
        f"{exit_label}. Suivi à 6 mois prévu le {follow_up.due_on:%d/%m/%Y}.",
        actor,
        accompaniment.person,
    )
    return follow_up


def _attach_proof(item, proof, label, issued_on, issuer, actor):
    """Attaches ``proof`` (an uploaded file, or None) to an exit or a follow-up."""
    if proof is not None:
        documents.attach(item, proof, actor=actor, label=label, issued_on=issued_on, issuer=issuer)


def window_message(follow_up):
    return (
        f"Le suivi à 6 mois se saisit entre le {follow_up.window_opens_on:%d/%m/%Y} et le "
        f"{follow_up.window_closes_on:%d/%m/%Y} (de {_months_label()} après la sortie) : "
        "un contact à une autre date n'est pas le résultat à 6 mois."
    )


def _months_label():
    opens, closes = settings.FOLLOW_UP_WINDOW_MONTHS
    return f"{opens} à {closes} mois"


def _cancel_appointments_to_come(accompaniment, keep, actor):
    person, structure = accompaniment.person, accompaniment.structure
    kept = {str(public_id) for public_id in keep}
    to_cancel = [
        appointment.public_id
        for appointment in people_hooks.future_appointments(person, structure)
        if str(appointment.public_id) not in kept
    ]
    if not to_cancel:
        return 0
    return people_hooks.cancel_appointments(
        person,
        structure,
        to_cancel,
        actor=actor,
        reason=f"sortie de l'accompagnement « {accompaniment.programme} »",
    )


@transaction.atomic
def record_follow_up(
    follow_up,
    *,
    contacted_on,
    situation,
    actor,
    contract_type="",
    employer="",
    comment="",
    proof=None,
):
    """Records the situation 6 months after the exit (allowed on a closed accompaniment), with
    its ``proof`` (an uploaded file) if any."""
    accompaniment = follow_up.accompaniment
    if accompaniment.is_open:
        raise AccompanimentError("Le suivi à 6 mois suit une sortie.")
    if follow_up.is_recorded:
        raise AccompanimentError("Le suivi à 6 mois est déjà enregistré.")
    if not situation or not vocabularies.is_known(vocabularies.EXIT_TYPE, situation):
        raise AccompanimentError("Indiquez la situation de la personne à 6 mois.")
    _require_past(contacted_on, "date du contact")
    if not follow_up.in_window(contacted_on):
        raise AccompanimentError(window_message(follow_up))
    _check_contract(situation, contract_type)
    follow_up.contacted_on, follow_up.situation = contacted_on, situation
    follow_up.contract_type, follow_up.employer, follow_up.comment = (
        contract_type,
        employer,
        comment,
    )
    follow_up.recorded_by, follow_up.recorded_at = actor.user, timezone.now()
    follow_up.save()
    capture_esf(
        accompaniment,
        EsfStage.SIX_MONTHS,
        contacted_on,
        {"is_employed": results_of_situation(situation)["is_employed"]},
        actor,
    )
    label = vocabularies.labels(vocabularies.EXIT_TYPE)[situation]
    _attach_proof(
        follow_up, proof, f"Justificatif du suivi à 6 mois : {label}", contacted_on, employer, actor
    )
    _record(
        follow_up,
        Verb.ACTION,
        f"Suivi à 6 mois de la sortie du {accompaniment.exit_date:%d/%m/%Y} : {label}",
        actor,
        accompaniment.person,
    )
    return follow_up


def report_hire(person, *, contract_type, hired_on, actor):
    """A hire recorded by another service (``people.hooks.hire_recorded``) is reported on the
    person's open accompaniments: their page asks for the exit to be recorded. Nothing is
    closed here: the exit, its type and its proof stay the référent's act."""
    Accompaniment.objects.filter(person=person, status="open").update(
        hire_reported_on=hired_on, hire_reported_contract=contract_type
    )
