"""Changes to a company's GPEC toolkit, under the services contract (``data=``, ``actor=``).

Positions are described by a ROME job title: their skills are pre-filled from the fiche (the
official « cœur de métier » skills marked, then the know-how up to ``PREFILL_SKILLS``) and stay
editable. Employees carry minimal data only. The skills matrix is saved as a whole: every level
0 to 3 (a check constraint too), one per employee and skill (a unique constraint), a cleared
cell deleted — a skill nobody rated is never held.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from tisserand.companies.models import (
    BIRTH_YEAR_MAX,
    BIRTH_YEAR_MIN,
    GpecEmployee,
    GpecLevel,
    GpecPosition,
    GpecPositionSkill,
    GpecSkill,
    GpecToolkit,
)
from tisserand.core import timeline
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent
from tisserand.referentials.rome.models import FicheSkill

PREFILL_SKILLS = 8
MIN_AGE, MAX_AGE = 15, 80
EMPLOYEE_FIELDS = ("alias", "position", "birth_year", "hire_year", "is_fixed_term", "contract_end")


class GpecError(DomainError):
    """A broken rule of the GPEC toolkit, with its French message."""

    code = "gpec_refused"


def toolkit_of(establishment):
    toolkit, _ = GpecToolkit.objects.get_or_create(establishment=establishment)
    return toolkit


def _record(establishment, text, actor):
    timeline.record(
        establishment,
        TimelineEvent.Verb.ACTION,
        text,
        actor=actor.user,
        structure=actor.structure,
    )


@transaction.atomic
def set_retirement_age(establishment, *, data, actor):
    age = data["retirement_age"]
    if not 55 <= age <= 70:
        raise GpecError(
            "L'âge de départ à la retraite retenu doit être compris entre 55 et 70 ans."
        )
    toolkit = toolkit_of(establishment)
    toolkit.retirement_age = age
    toolkit.save(update_fields=["retirement_age", "updated_at"])
    _record(establishment, f"GPEC : âge de départ retenu fixé à {age} ans", actor)
    return toolkit


def _catalogue_skill(establishment, *, rome_skill=None, label=""):
    if rome_skill is not None:
        skill = GpecSkill.objects.filter(establishment=establishment, rome_skill=rome_skill).first()
        if skill is not None:
            return skill
        label = rome_skill.label
    label = " ".join(label.split())
    if not label:
        raise GpecError("Donnez le libellé de la compétence.")
    skill, _ = GpecSkill.objects.get_or_create(
        establishment=establishment,
        label=label[:300],
        defaults={"rome_skill": rome_skill},
    )
    return skill


def prefill_links(fiche):
    """The fiche's skills a new position starts with: core skills first, then know-how."""
    links = list(
        FicheSkill.objects.filter(fiche=fiche).select_related("skill").order_by("skill__label")
    )
    core = [link for link in links if link.coeur_metier == FicheSkill.CoeurMetier.PRINCIPALE]
    others = [
        link for link in links if link not in core and link.rubrique == FicheSkill.Rubrique.KNOW_HOW
    ]
    chosen = core[:PREFILL_SKILLS]
    chosen += others[: max(0, PREFILL_SKILLS - len(chosen))]
    return chosen


@transaction.atomic
def add_position(establishment, *, data, actor):
    """A position titled ``data["title"]`` (else the job title's label), described by the ROME
    ``data["appellation"]``, with its skills pre-filled from the fiche."""
    appellation = data["appellation"]
    title = " ".join((data.get("title") or appellation.label).split())[:200]
    if GpecPosition.objects.filter(establishment=establishment, title=title).exists():
        raise GpecError(f"Le poste « {title} » existe déjà dans cette entreprise.")
    toolkit_of(establishment)
    position = GpecPosition.objects.create(
        establishment=establishment, title=title, appellation=appellation
    )
    for order, link in enumerate(prefill_links(appellation.fiche)):
        GpecPositionSkill.objects.create(
            position=position,
            skill=_catalogue_skill(establishment, rome_skill=link.skill),
            is_core=link.coeur_metier == FicheSkill.CoeurMetier.PRINCIPALE,
            order=order,
        )
    _record(establishment, f"GPEC : poste « {title} » décrit ({appellation.label})", actor)
    return position


@transaction.atomic
def remove_position(position, *, actor):
    title = position.title
    position.delete()
    _record(position.establishment, f"GPEC : poste « {title} » supprimé", actor)


@transaction.atomic
def add_position_skill(position, *, data, actor):
    """Adds a skill to ``position``: a ROME skill (``data["rome_skill"]``) or a label."""
    skill = _catalogue_skill(
        position.establishment, rome_skill=data.get("rome_skill"), label=data.get("label", "")
    )
    if GpecPositionSkill.objects.filter(position=position, skill=skill).exists():
        raise GpecError(f"Le poste demande déjà « {skill} ».")
    required = data.get("required_level") or 2
    if required not in (1, 2, 3):
        raise GpecError("Le niveau attendu va de 1 à 3.")
    link = GpecPositionSkill.objects.create(
        position=position,
        skill=skill,
        is_core=bool(data.get("is_core")),
        required_level=required,
        order=200,
    )
    _record(position.establishment, f"GPEC : « {skill} » ajoutée au poste « {position} »", actor)
    return link


@transaction.atomic
def update_position_skills(position, *, data, actor):
    """``data``: {position skill pk: (required level, is core)} for the position's skills."""
    links = {link.pk: link for link in position.skills.all()}
    changed = 0
    for pk, (required, is_core) in data.items():
        link = links.get(pk)
        if link is None:
            raise GpecError("Cette compétence n'appartient pas à ce poste.")
        if required not in (1, 2, 3):
            raise GpecError(f"« {link.skill} » : le niveau attendu va de 1 à 3.")
        if (link.required_level, link.is_core) != (required, is_core):
            link.required_level, link.is_core = required, is_core
            link.save(update_fields=["required_level", "is_core"])
            changed += 1
    if changed:
        _record(position.establishment, f"GPEC : niveaux attendus du poste « {position} »", actor)
    return changed


@transaction.atomic
def remove_position_skill(link, *, actor):
    position = link.position
    link.delete()
    # A skill no position asks for and nobody is rated on leaves the catalogue.
    skill = link.skill
    if not skill.positions.exists() and not skill.levels.exists():
        skill.delete()
    _record(position.establishment, f"GPEC : « {skill} » retirée du poste « {position} »", actor)


def _check_employee(establishment, values, instance=None):
    today = timezone.localdate()
    alias = " ".join((values.get("alias") or "").split())
    if not alias:
        raise GpecError("Donnez un prénom ou un pseudonyme.")
    values["alias"] = alias[:60]
    duplicate = GpecEmployee.objects.filter(establishment=establishment, alias=values["alias"])
    if instance is not None:
        duplicate = duplicate.exclude(pk=instance.pk)
    if duplicate.exists():
        raise GpecError(f"« {values['alias']} » est déjà dans la liste : choisissez un autre nom.")
    birth_year = values.get("birth_year")
    if birth_year is None or not (
        BIRTH_YEAR_MIN <= birth_year <= BIRTH_YEAR_MAX
        and MIN_AGE <= today.year - birth_year <= MAX_AGE
    ):
        raise GpecError(
            f"L'année de naissance n'est pas plausible : entre {today.year - MAX_AGE} "
            f"et {today.year - MIN_AGE}."
        )
    hire_year = values.get("hire_year")
    if hire_year is None or hire_year > today.year or hire_year < birth_year + 14:
        raise GpecError(
            "L'année d'embauche doit être passée et postérieure aux 14 ans de la personne."
        )
    position = values.get("position")
    if position is not None and position.establishment_id != establishment.pk:
        raise GpecError("Ce poste n'appartient pas à cette entreprise.")
    if values.get("is_fixed_term"):
        if values.get("contract_end") is None:
            raise GpecError("Un contrat à durée déterminée a une date de fin.")
    else:
        values["is_fixed_term"] = False
        values["contract_end"] = None
    return values


@transaction.atomic
def add_employee(establishment, *, data, actor):
    values = _check_employee(establishment, {key: data.get(key) for key in EMPLOYEE_FIELDS})
    toolkit_of(establishment)
    employee = GpecEmployee.objects.create(establishment=establishment, **values)
    _record(establishment, f"GPEC : salarié·e « {employee} » ajouté·e", actor)
    return employee


@transaction.atomic
def update_employee(employee, *, data, actor):
    values = {key: data.get(key, getattr(employee, key)) for key in EMPLOYEE_FIELDS}
    values = _check_employee(employee.establishment, values, instance=employee)
    for key, value in values.items():
        setattr(employee, key, value)
    employee.save()
    _record(employee.establishment, f"GPEC : salarié·e « {employee} » modifié·e", actor)
    return employee


@transaction.atomic
def remove_employee(employee, *, actor):
    alias = employee.alias
    employee.delete()
    _record(employee.establishment, f"GPEC : salarié·e « {alias} » retiré·e", actor)


@transaction.atomic
def save_matrix(establishment, *, data, actor):
    """Saves the skills matrix. ``data``: {(employee pk, skill pk): level or None} — None clears
    the cell (not rated). Every employee and skill must be the company's; a level is 0 to 3.
    Returns (set, cleared)."""
    employees = set(
        GpecEmployee.objects.filter(establishment=establishment).values_list("pk", flat=True)
    )
    skills = set(GpecSkill.objects.filter(establishment=establishment).values_list("pk", flat=True))
    existing = {
        (row.employee_id, row.skill_id): row
        for row in GpecLevel.objects.filter(employee__establishment=establishment)
    }
    to_create, to_update, to_delete = [], [], []
    for (employee_id, skill_id), level in data.items():
        if employee_id not in employees or skill_id not in skills:
            raise GpecError(
                "La grille contient une personne ou une compétence d'une autre entreprise."
            )
        if level is not None and level not in (0, 1, 2, 3):
            raise GpecError("Un niveau de compétence va de 0 à 3.")
        row = existing.get((employee_id, skill_id))
        if level is None:
            if row is not None:
                to_delete.append(row.pk)
        elif row is None:
            to_create.append(
                GpecLevel(
                    employee_id=employee_id, skill_id=skill_id, level=level, rated_by=actor.user
                )
            )
        elif row.level != level:
            row.level, row.rated_by = level, actor.user
            to_update.append(row)
    try:
        GpecLevel.objects.bulk_create(to_create)
    except IntegrityError as error:  # pragma: no cover - a concurrent save of the same cell
        raise GpecError("La grille a été enregistrée entre-temps : rechargez la page.") from error
    now = timezone.now()
    for row in to_update:
        row.rated_at = now
    GpecLevel.objects.bulk_update(to_update, ["level", "rated_by", "rated_at"], batch_size=500)
    GpecLevel.objects.filter(pk__in=to_delete).delete()
    touched = len(to_create) + len(to_update)
    if touched or to_delete:
        _record(
            establishment,
            f"GPEC : matrice des compétences mise à jour ({touched} niveau(x) saisi(s), "
            f"{len(to_delete)} effacé(s))",
            actor,
        )
    return touched, len(to_delete)
