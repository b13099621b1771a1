"""The initial catalogue of need subjects, loaded by ``load_reference_data`` (a registered
loader, not a migration): only the subjects missing by code are created, so that the
administrator's renames, deactivations and order survive every run. The administrator's
changes (add, rename, re-order, offer or not) are services below, on the timeline."""

from django.db import transaction

from tisserand.companies.models import NeedKind, NeedSubject
from tisserand.companies.services import CompanyError
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent

K = NeedKind
# ruff: noqa: E501
CATALOGUE = [
    ("recruter-premier-salarie", K.RECRUITMENT, "Recruter un premier salarié", 10),
    ("recruter-poste-difficile", K.RECRUITMENT, "Recruter sur un poste difficile à pourvoir", 20),
    ("recruter-alternance", K.RECRUITMENT, "Recruter en alternance (apprentissage, contrat pro)", 30),
    ("recruter-inclusion", K.RECRUITMENT, "Recruter une personne éloignée de l'emploi (IAE, clause)", 40),
    ("rh-integration", K.HR, "Intégrer et fidéliser les salariés", 10),
    ("rh-management", K.HR, "Organiser le travail et manager une équipe", 20),
    ("rh-qvt", K.HR, "Qualité de vie et conditions de travail", 30),
    ("competences-gpec", K.SKILLS, "Anticiper les compétences (GPEC)", 10),
    ("competences-formation", K.SKILLS, "Former les salariés (plan de développement des compétences)", 20),
    ("reglementation-droit-travail", K.REGULATION, "Droit du travail et obligations de l'employeur", 10),
    ("reglementation-handicap", K.REGULATION, "Obligation d'emploi des travailleurs handicapés", 20),
    ("financement-aides-embauche", K.FINANCING, "Aides à l'embauche", 10),
    ("financement-formation", K.FINANCING, "Financer une formation (OPCO, FNE)", 20),
    ("locaux-implantation", K.PREMISES, "Trouver des locaux ou s'implanter", 10),
    ("autre", K.OTHER, "Autre besoin", 100),
]  # fmt: skip


def load(stdout=None):
    known = set(NeedSubject.objects.exclude(code=None).values_list("code", flat=True))
    labels = set(NeedSubject.objects.values_list("label", flat=True))
    created = [
        NeedSubject(code=code, kind=kind, label=label, order=order)
        for code, kind, label, order in CATALOGUE
        if code not in known and label not in labels
    ]
    NeedSubject.objects.bulk_create(created)
    if stdout is not None:
        stdout.write(f"Sujets de besoin des entreprises : {len(created)} ajouté(s).")
    return len(created)


# --- The administrator's changes (services contract: ``data=``, ``actor=``) --------------------

SUBJECT_FIELDS = ("kind", "label", "order")


def _check_label(data, subject=None):
    label = (data.get("label") or "").strip()
    if not label:
        raise CompanyError("Donnez un libellé au sujet.")
    clash = NeedSubject.objects.filter(label__iexact=label)
    if subject is not None:
        clash = clash.exclude(pk=subject.pk)
    if clash.exists():
        raise CompanyError(f"Le sujet « {label} » existe déjà.")
    return label


@transaction.atomic
def add_subject(*, data, actor):
    label = _check_label(data)
    subject = NeedSubject(label=label)
    timeline.assign(subject, {k: data[k] for k in ("kind", "order") if k in data})
    subject.save()
    timeline.record_creation(
        subject,
        actor=actor.user,
        structure=actor.structure,
        summary=f"Sujet de besoin ajouté : {subject}",
    )
    return subject


@transaction.atomic
def update_subject(subject, *, data, actor):
    """Renames, re-classes or re-orders ``subject`` (its code and its needs stay)."""
    before = timeline.stored_snapshot(subject, SUBJECT_FIELDS)
    data = {**data, "label": _check_label(data, subject)}
    timeline.assign(subject, {k: data[k] for k in SUBJECT_FIELDS if k in data})
    subject.save()
    timeline.record_changes(subject, before, actor=actor.user, structure=actor.structure)
    return subject


@transaction.atomic
def set_offered(subject, *, offered, actor):
    """Offers ``subject`` again or no more (a subject is never deleted: needs keep it)."""
    if subject.is_active == offered:
        return subject
    subject.is_active = offered
    subject.save(update_fields=["is_active"])
    timeline.record(
        subject,
        TimelineEvent.Verb.CHANGED,
        f"Sujet {'proposé à nouveau' if offered else 'plus proposé'} : {subject}",
        actor=actor.user,
        structure=actor.structure,
    )
    return subject
