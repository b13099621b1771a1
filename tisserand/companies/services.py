"""Changes to the company records, under the services contract (``data=``, ``actor=``)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from tisserand.companies import location
from tisserand.companies.models import (
    AdministrativeState,
    Contact,
    Diffusion,
    Establishment,
    LegalUnit,
    Need,
    Source,
    Tag,
)
from tisserand.companies.records_rules import check_siret, search_name_of, similar_companies
from tisserand.companies.selectors import forget_territories
from tisserand.core import timeline
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent


class CompanyError(DomainError):
    """A broken rule about a company record, with its French message."""


class DuplicateSiret(CompanyError):
    """The SIRET already has its record: one record per SIRET for the whole network."""

    def __init__(self, existing):
        super().__init__(f"Ce SIRET a déjà sa fiche : {existing.display_name}.")
        self.existing = existing


class SimilarCompanies(CompanyError):
    """Companies of the same name in the same commune: confirm to create another one."""

    def __init__(self, similar):
        super().__init__(
            "Une entreprise du même nom existe déjà dans cette commune : vérifiez qu'il ne "
            "s'agit pas de la même, puis confirmez."
        )
        self.similar = similar


# The fields of an establishment a page or an import sets (the legal unit's apart).
ESTABLISHMENT_FIELDS = (
    "name",
    "naf",
    "headcount_band",
    "is_head_office",
    "created_on",
    "diffusion",
    "address_line",
    "postal_code",
    "commune",
    "insertion_kind",
    "adapted_kind",
    "is_geiq",
    "is_social_economy",
)
LEGAL_UNIT_FIELDS = ("legal_name", "is_individual")
TRACKED_FIELDS = (*ESTABLISHMENT_FIELDS, "state", "closed_on", "qpv_code", "officer")
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "email",
    "phone",
    "consents_to_contact",
    "consent_given_on",
)


def _checked(obj, **options):
    """``full_clean`` of ``obj``, its errors as one French ``CompanyError``."""
    try:
        obj.full_clean(**options)
    except ValidationError as error:
        messages = [
            f"{obj._meta.get_field(name).verbose_name} : {' '.join(problems)}"
            if name != NON_FIELD_ERRORS
            else " ".join(problems)
            for name, problems in error.message_dict.items()
        ]
        raise CompanyError(" ; ".join(messages)) from None


def _legal_unit(siret, data):
    unit, created = LegalUnit.objects.get_or_create(
        siren=siret[:9],
        defaults={
            "name": data.get("legal_name") or data.get("name") or "",
            "is_individual": bool(data.get("is_individual")),
            "diffusion": data.get("diffusion") or Diffusion.PUBLIC,
        },
    )
    if not created:
        changed = {}
        if data.get("legal_name") and data["legal_name"] != unit.name:
            changed["name"] = data["legal_name"]
        if "is_individual" in data and bool(data["is_individual"]) != unit.is_individual:
            changed["is_individual"] = bool(data["is_individual"])
        if changed:
            timeline.assign(unit, changed)
            unit.save()
    return unit


def _relocate(establishment, data):
    commune = location.check_commune(data.get("postal_code", ""), data.get("commune"))
    data["commune"] = commune
    place = location.locate(data.get("address_line", ""), data.get("postal_code", ""), commune)
    timeline.assign(establishment, place.values())


@transaction.atomic
def create_establishment(*, data, actor, confirmed=False, source=Source.MANUAL):
    """Creates the record of a SIRET (``data``: ``siret``, ``legal_name``, ``is_individual``
    and the ``ESTABLISHMENT_FIELDS``). Refused when the SIRET has its record already
    (``DuplicateSiret``); refused unless ``confirmed`` when a company of the same name exists
    in the same commune (``SimilarCompanies``)."""
    siret = check_siret(data.get("siret", ""))
    existing = Establishment.objects.select_related("legal_unit").filter(siret=siret).first()
    if existing is not None:
        raise DuplicateSiret(existing)
    data = dict(data)
    establishment = Establishment(siret=siret, source=source)
    timeline.assign(establishment, {k: data[k] for k in ESTABLISHMENT_FIELDS if k in data})
    _relocate(establishment, data)
    if not confirmed:
        similar = similar_companies(
            data.get("name") or data.get("legal_name") or "", establishment.commune
        )
        if similar:
            raise SimilarCompanies(similar)
    establishment.legal_unit = _legal_unit(siret, data)
    if "officer" in data:
        _set_officer(establishment, data["officer"], actor)
    establishment.search_name = search_name_of(establishment)
    _checked(establishment, validate_unique=False, validate_constraints=False)
    establishment.save()
    forget_territories()
    timeline.record_creation(
        establishment,
        actor=actor.user,
        structure=actor.structure,
        summary=f"Fiche entreprise créée : {establishment.display_name}",
    )
    return establishment


def _set_officer(establishment, officer, actor):
    establishment.officer = officer
    establishment.officer_structure = actor.structure if officer is not None else None


@transaction.atomic
def update_establishment(establishment, *, data, actor):
    """Changes the identity, activity, address and flags of a record (``data``: the
    ``ESTABLISHMENT_FIELDS`` and ``legal_name``, ``is_individual``); the SIRET never changes."""
    establishment = Establishment.objects.select_for_update().get(pk=establishment.pk)
    before = timeline.snapshot(establishment, TRACKED_FIELDS)
    unit_before = timeline.snapshot(establishment.legal_unit, ("name", "is_individual"))
    data = dict(data)
    moved = any(
        k in data and data[k] != getattr(establishment, k)
        for k in ("address_line", "postal_code", "commune")
    )
    timeline.assign(establishment, {k: data[k] for k in ESTABLISHMENT_FIELDS if k in data})
    for key in ("state", "closed_on"):
        if key in data:
            setattr(establishment, key, data[key])
    if establishment.state == AdministrativeState.ACTIVE:
        establishment.closed_on = None
    if moved:
        _relocate(establishment, data)
        forget_territories()
    unit = establishment.legal_unit
    if "legal_name" in data:
        unit.name = data["legal_name"]
    if "is_individual" in data:
        unit.is_individual = bool(data["is_individual"])
    unit.save()
    establishment.search_name = search_name_of(establishment)
    _checked(establishment, validate_unique=False, validate_constraints=False)
    establishment.save()
    timeline.record_changes(establishment, before, actor=actor.user, structure=actor.structure)
    timeline.record_changes(
        unit,
        unit_before,
        actor=actor.user,
        structure=actor.structure,
        about=establishment,
        summary=lambda labels: f"Unité légale modifiée : {labels}",
    )
    return establishment


@transaction.atomic
def assign_officer(establishment, *, data, actor):
    """Sets the officer in charge of the relationship (``data``: ``officer``, a user or
    None), of the structure the actor acts for."""
    before = timeline.snapshot(establishment, ("officer",))
    _set_officer(establishment, data.get("officer"), actor)
    establishment.save(update_fields=["officer", "officer_structure", "updated_at"])
    timeline.record_changes(
        establishment,
        before,
        actor=actor.user,
        structure=actor.structure,
        summary=lambda labels: (
            "Chargé·e de relation : "
            + (str(establishment.officer) if establishment.officer else "aucun·e")
        ),
    )
    return establishment


def clean_tag_labels(labels):
    """Tags as typed: trimmed, one space between words, each once (case ignored)."""
    seen, cleaned = set(), []
    for label in labels:
        label = " ".join((label or "").split())
        if not label:
            continue
        limit = Tag._meta.get_field("label").max_length
        if len(label) > limit:
            raise CompanyError(f"Étiquette trop longue (au plus {limit} caractères) : {label}")
        if label.casefold() not in seen:
            seen.add(label.casefold())
            cleaned.append(label)
    return cleaned


@transaction.atomic
def set_tags(establishment, *, data, actor):
    """Sets the tags of a record (``data``: ``tags``, their labels); new labels create tags."""
    labels = clean_tag_labels(data.get("tags", []))
    existing = {tag.label.casefold(): tag for tag in Tag.objects.all()}
    tags = []
    for label in labels:
        tag = existing.get(label.casefold()) or Tag.objects.create(label=label)
        tags.append(tag)
    before = sorted(t.label for t in establishment.tags.all())
    establishment.tags.set(tags)
    after = sorted(t.label for t in tags)
    if before != after:
        timeline.record(
            establishment,
            TimelineEvent.Verb.CHANGED,
            "Étiquettes : " + (", ".join(after) or "aucune"),
            actor=actor.user,
            structure=actor.structure,
            changes=[
                {
                    "field": "étiquettes",
                    "before": ", ".join(before) or timeline.EMPTY,
                    "after": ", ".join(after) or timeline.EMPTY,
                }
            ],
        )
    return tags


def _dated_consent(data, contact):
    data = dict(data)
    if data.get("consents_to_contact"):
        if not data.get("consent_given_on"):
            data["consent_given_on"] = contact.consent_given_on or timezone.localdate()
        if data["consent_given_on"] > timezone.localdate():
            raise CompanyError("La date de l'accord ne peut pas être dans le futur.")
    else:
        data["consents_to_contact"] = False
        data["consent_given_on"] = None
    return data


@transaction.atomic
def add_contact(establishment, *, data, actor):
    """Adds a contact (``data``: ``CONTACT_FIELDS``); a consent given today when undated."""
    contact = Contact(establishment=establishment)
    data = _dated_consent(data, contact)
    timeline.assign(contact, {k: data[k] for k in CONTACT_FIELDS if k in data})
    _checked(contact, exclude=["establishment"])
    contact.save()
    timeline.record_creation(
        contact,
        actor=actor.user,
        structure=actor.structure,
        summary=f"Contact ajouté : {contact}"
        + (f", {contact.job_title}" if contact.job_title else ""),
        about=establishment,
    )
    return contact


@transaction.atomic
def update_contact(contact, *, data, actor):
    before = timeline.stored_snapshot(contact, CONTACT_FIELDS)
    data = _dated_consent(data, contact)
    timeline.assign(contact, {k: data[k] for k in CONTACT_FIELDS if k in data})
    _checked(contact, exclude=["establishment"])
    contact.save()
    timeline.record_changes(
        contact,
        before,
        actor=actor.user,
        structure=actor.structure,
        about=contact.establishment,
        summary=lambda labels: f"Contact {contact} modifié : {labels}",
    )
    return contact


@transaction.atomic
def deactivate_contact(contact, *, actor):
    """A contact who left: kept for the history, no longer proposed."""
    if not contact.is_active:
        raise CompanyError("Ce contact est déjà désactivé.")
    contact.is_active = False
    contact.save(update_fields=["is_active"])
    timeline.record(
        contact,
        TimelineEvent.Verb.ACTION,
        f"Contact désactivé : {contact}",
        actor=actor.user,
        structure=actor.structure,
        about=contact.establishment,
    )
    return contact


def close_establishment(establishment, *, closed_on, actor=None, structure=None):
    """Marks a record closed (it leaves the active lists, its history stays)."""
    before = timeline.snapshot(establishment, ("state", "closed_on"))
    establishment.state = AdministrativeState.CLOSED
    establishment.closed_on = closed_on
    establishment.save(update_fields=["state", "closed_on", "updated_at"])
    timeline.record_changes(
        establishment,
        before,
        actor=actor,
        structure=structure,
        summary=lambda labels: "Établissement fermé",
    )


NEED_FIELDS = ("subject", "description", "contact")


@transaction.atomic
def record_need(establishment, *, data, actor, from_leader=False):
    """Records a need of ``establishment`` (``data``: subject, description, contact), by an
    officer or — ``from_leader``, through ``needs.record_need_from_leader`` — by the company's
    leader in the portal. A recruitment need is what the opportunities app turns into an offer,
    and what a social clause's job becomes for the lot's holder: it is announced through the
    ``RECRUITMENT_NEED_OPENED`` hook of ``companies/hooks.py``, after the commit. The needs'
    routing, answers and computed status are in ``needs``."""
    from tisserand.companies import hooks

    contact = data.get("contact")
    if contact is not None and contact.establishment_id != establishment.pk:
        raise CompanyError("Ce contact n'appartient pas à cet établissement.")
    subject = data.get("subject")
    if subject is None:
        raise CompanyError("Choisissez le sujet du besoin.")
    if not subject.is_active:
        raise CompanyError(f"Le sujet « {subject} » n'est plus proposé.")
    need = Need(establishment=establishment, created_by=actor.user, from_leader=from_leader)
    need.created_by_structure = actor.structure
    timeline.assign(need, {key: data[key] for key in NEED_FIELDS if key in data})
    need.save()
    who = " par le dirigeant" if from_leader else ""
    timeline.record(
        need,
        "need_recorded",
        f"Besoin enregistré{who} : {need.subject}",
        actor=actor.user,
        structure=actor.structure,
        about=establishment,
    )
    if need.is_recruitment:
        transaction.on_commit(
            lambda: hooks.hooks.call(hooks.RECRUITMENT_NEED_OPENED, need, actor=actor)
        )
    return need
