"""Changes to offers, saved searches and introductions, under the services contract
(``data=``, ``actor=``): each change is on the timeline; a broken rule raises an
``OpportunityError`` with its French message and changes nothing."""

import hashlib
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from tisserand.companies.models import Need, NeedKind
from tisserand.core import timeline
from tisserand.core.errors import DomainError
from tisserand.opportunities.importing.sync import offer_search_text
from tisserand.opportunities.models import (
    ACTIVE_STATUSES,
    MAX_POSITIONS,
    Introduction,
    IntroductionStatus,
    IntroductionStep,
    JobOffer,
    NotRetainedReason,
    OfferSource,
    OfferStatus,
    SavedSearch,
    WithdrawnReason,
)
from tisserand.people import hooks as people_hooks

S = IntroductionStatus
EXPIRY_DAYS = 30
REMINDER_DAYS = 23
# A company receives at most this many active proposals per position (and at least FLOOD_MIN).
FLOOD_PER_POSITION = 3
FLOOD_MIN = 5
CONSENT_TEXT = (
    "La personne accepte que son profil (prénom, métier visé, compétences confirmées) soit "
    "transmis à l'entreprise pour cette offre."
)


class OpportunityError(DomainError):
    pass


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    token = secrets.token_urlsafe(32)
    return token, digest(token)


# --- Offers -----------------------------------------------------------------------------------

OFFER_FIELDS = (
    "title", "description", "appellation", "contract_type", "positions", "experience",
    "working_time", "alternance", "salary", "apply_url", "contact_email", "accessible_th",
    "expires_on", "commune", "establishment",
)  # fmt: skip


def _check_offer(offer):
    if not offer.title.strip():
        raise OpportunityError("L'intitulé de l'offre est obligatoire.")
    if not 1 <= (offer.positions or 0) <= MAX_POSITIONS:
        raise OpportunityError(f"Le nombre de postes doit être entre 1 et {MAX_POSITIONS}.")
    if offer.expires_on and offer.expires_on < timezone.localdate() and offer.is_open:
        raise OpportunityError("La fin de publication ne peut pas être passée.")


def _complete(offer):
    if offer.appellation_id:
        offer.fiche_id = offer.appellation.fiche_id
        offer.source_appellation_label = offer.appellation.label
        offer.occupation_match = "code"
    if offer.commune_id and offer.commune.latitude is not None:
        offer.latitude, offer.longitude = offer.commune.latitude, offer.commune.longitude
        offer.place_label = offer.commune.name
        offer.postal_code = ""
    if offer.establishment_id:
        offer.company_name = offer.establishment.display_name
        offer.company_siret = offer.establishment.siret
    offer.search_text = offer_search_text(
        {
            "title": offer.title,
            "company_name": offer.company_name,
            "place_label": offer.place_label,
            "source_appellation_label": offer.source_appellation_label,
            "skills": offer.skills,
        }
    )


def _about(offer):
    return [offer.establishment] if offer.establishment_id else None


@transaction.atomic
def create_offer(*, data, actor, need=None):
    """An own offer of the actor's structure (``data``: OFFER_FIELDS), possibly answering a
    recruitment ``need`` (its establishment then is the need's)."""
    offer = JobOffer(source=OfferSource.OWN, structure=actor.structure, created_by=actor.user)
    timeline.assign(offer, {key: data[key] for key in OFFER_FIELDS if key in data})
    if need is not None:
        if need.subject.kind != NeedKind.RECRUITMENT:
            raise OpportunityError("Seul un besoin de recrutement peut devenir une offre.")
        offer.from_need = need
        offer.establishment = need.establishment
    _check_offer(offer)
    _complete(offer)
    offer.save()
    timeline.record_creation(
        offer,
        actor=actor.user,
        structure=actor.structure,
        summary=f"Offre publiée : {offer}",
        about=_about(offer),
    )
    return offer


@transaction.atomic
def update_offer(offer, *, data, actor):
    before = timeline.stored_snapshot(offer, JobOffer.TRACKED_FIELDS)
    timeline.assign(offer, {key: data[key] for key in OFFER_FIELDS if key in data})
    _check_offer(offer)
    _complete(offer)
    offer.save()
    timeline.record_changes(
        offer, before, actor=actor.user, structure=actor.structure, about=_about(offer)
    )
    return offer


@transaction.atomic
def close_offer(offer, *, data, actor):
    if not offer.is_open:
        raise OpportunityError("Cette offre est déjà clôturée.")
    offer.status, offer.closed_at = OfferStatus.CLOSED, timezone.now()
    offer.closing_reason = (data.get("reason") or "").strip()[:200] or "clôturée par la structure"
    offer.save(update_fields=["status", "closed_at", "closing_reason", "updated_at"])
    timeline.record(
        offer,
        "offer_closed",
        f"Offre clôturée : {offer.closing_reason}",
        actor=actor.user,
        structure=actor.structure,
        about=_about(offer),
    )
    return offer


def offer_from_need(need, *, data, actor):
    return create_offer(data=data, actor=actor, need=need)


def expire_offers(today=None):
    """Offers past their end of publication become « expirée » (kept, out of the search)."""
    today = today or timezone.localdate()
    return JobOffer.objects.filter(status=OfferStatus.OPEN, expires_on__lt=today).update(
        status=OfferStatus.EXPIRED, closed_at=timezone.now(), closing_reason="date de fin passée"
    )


# --- Saved searches ---------------------------------------------------------------------------


@transaction.atomic
def save_search(*, data, actor):
    label = (data.get("label") or "").strip()
    if not label:
        raise OpportunityError("Donnez un nom à la recherche.")
    token, token_digest = new_token()
    search = SavedSearch.objects.create(
        user=actor.user,
        structure=actor.structure,
        label=label[:150],
        params=data.get("params") or {},
        alerts=bool(data.get("alerts", True)),
        unsubscribe_digest=token_digest,
        last_alert_at=timezone.now(),
    )
    return search, token


def unsubscribe(token):
    """Stops the alerts of the search whose opt-out token is ``token``; returns it or None."""
    search = SavedSearch.objects.filter(unsubscribe_digest=digest(token)).first()
    if search is not None and search.alerts:
        search.alerts = False
        search.save(update_fields=["alerts"])
    return search


def delete_search(search, *, actor):
    search.delete()


# --- Introductions ----------------------------------------------------------------------------

TRANSITIONS = {
    S.PROPOSED: {S.SENT, S.SEEN, S.INTERVIEW, S.NOT_RETAINED, S.WITHDRAWN, S.HIRED},
    S.SENT: {S.SEEN, S.INTERVIEW, S.NOT_RETAINED, S.WITHDRAWN, S.HIRED, S.EXPIRED},
    S.SEEN: {S.INTERVIEW, S.NOT_RETAINED, S.WITHDRAWN, S.HIRED, S.EXPIRED},
    S.INTERVIEW: {S.HIRED, S.NOT_RETAINED, S.WITHDRAWN},
}
# What a company may answer through its personal link.
COMPANY_ANSWERS = {S.SEEN, S.INTERVIEW, S.HIRED, S.NOT_RETAINED}
SUMMARIES = {
    S.PROPOSED: "Mise en relation proposée",
    S.SENT: "Profil transmis à l'entreprise",
    S.SEEN: "Profil vu par l'entreprise",
    S.INTERVIEW: "Entretien prévu",
    S.HIRED: "Embauche",
    S.NOT_RETAINED: "Candidature non retenue",
    S.WITHDRAWN: "Mise en relation retirée",
    S.EXPIRED: "Mise en relation expirée sans réponse",
}


def flood_cap(offer):
    return max(FLOOD_MIN, FLOOD_PER_POSITION * offer.positions)


def active_count(offer):
    return Introduction.objects.filter(offer=offer, status__in=ACTIVE_STATUSES).count()


def _about_introduction(introduction):
    about = [introduction.person]
    if introduction.establishment_id:
        about.append(introduction.establishment)
    if introduction.offer_id:
        about.append(introduction.offer)
    return about


def _summary(introduction, status, extra=""):
    text = f"{SUMMARIES[status]} : {introduction.target_label}"
    if introduction.establishment_id:
        text += f" ({introduction.establishment.display_name})"
    return text + (f" — {extra}" if extra else "")


@transaction.atomic
def propose(target, person, *, data, actor):
    """Puts ``person`` forward for ``target`` (a ``JobOffer`` or a recruitment ``Need``).
    ``data``: ``consent`` (the person agreed, required), ``message``. Returns
    ``(introduction, token)``: the token of the company's personal link (only its digest is
    stored).

    An offer has at most ``flood_cap`` (max(5, 3 × positions)) active proposals: the offer's
    row is locked while they are counted, so proposals sent at the same instant never pass
    the cap; a person is proposed once per offer while active (a unique constraint)."""
    if not data.get("consent"):
        raise OpportunityError(
            "Recueillez l'accord de la personne avant de transmettre son profil à l'entreprise."
        )
    offer = need = None
    if isinstance(target, JobOffer):
        offer = target
        locked = JobOffer.objects.select_for_update().get(pk=offer.pk)
        if not locked.is_open:
            raise OpportunityError("Cette offre n'est plus ouverte : aucune proposition possible.")
        if active_count(locked) >= flood_cap(locked):
            raise OpportunityError(
                f"Déjà {active_count(locked)} personnes proposées en attente de réponse pour "
                f"cette offre ({locked.positions} poste(s)) : attendez les réponses de "
                "l'entreprise avant d'en proposer d'autres."
            )
        establishment = offer.establishment
    elif isinstance(target, Need):
        need = target
        if need.subject.kind != NeedKind.RECRUITMENT:
            raise OpportunityError("On ne propose une personne que pour un besoin de recrutement.")
        establishment = need.establishment
    else:
        raise OpportunityError("Proposez une personne pour une offre ou un besoin de recrutement.")
    token, token_digest = new_token()
    now = timezone.now()
    introduction = Introduction(
        person=person,
        offer=offer,
        need=need,
        establishment=establishment,
        structure=actor.structure,
        proposed_by=actor.user,
        message=(data.get("message") or "").strip(),
        consent_given_at=now,
        consent_text=data.get("consent_text") or CONSENT_TEXT,
        answer_digest=token_digest,
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            introduction.save()
    except IntegrityError as error:
        raise OpportunityError(
            "Cette personne est déjà proposée pour cette offre (mise en relation en cours)."
        ) from error
    IntroductionStep.objects.create(
        introduction=introduction, to_status=S.PROPOSED, by_user=actor.user, at=now
    )
    timeline.record(
        introduction,
        "introduction_proposed",
        _summary(introduction, S.PROPOSED),
        actor=actor.user,
        structure=actor.structure,
        about=_about_introduction(introduction),
    )
    return introduction, token


def propose_candidate(target, person, *, actor, consent_text, message=""):
    """The ``companies.hooks.propose_candidate`` provider (clauses calls it)."""
    introduction, _token = propose(
        target,
        person,
        data={"consent": bool(consent_text), "consent_text": consent_text, "message": message},
        actor=actor,
    )
    return introduction


def _check_reason(status, reason):
    if status == S.NOT_RETAINED and reason not in NotRetainedReason.values:
        raise OpportunityError("Choisissez le motif pour lequel la candidature n'est pas retenue.")
    if status == S.WITHDRAWN and reason not in WithdrawnReason.values:
        raise OpportunityError("Choisissez le motif du retrait.")
    if status not in (S.NOT_RETAINED, S.WITHDRAWN):
        return ""
    return reason


@transaction.atomic
def advance(introduction, *, data, actor=None, by_company=False):
    """Moves ``introduction`` to ``data["status"]`` (with ``reason``, ``note``,
    ``interview_on``); by the company through its link when ``by_company``."""
    introduction = (
        Introduction.objects.select_for_update(of=("self",))
        .select_related("person", "offer", "establishment__legal_unit", "need__subject")
        .get(pk=introduction.pk)
    )
    status = data.get("status")
    if status not in TRANSITIONS.get(introduction.status, set()):
        raise OpportunityError(
            f"Passage impossible de « {introduction.get_status_display()} » à "
            f"« {dict(S.choices).get(status, status)} »."
        )
    if by_company and status not in COMPANY_ANSWERS:
        raise OpportunityError("Cette réponse n'est pas proposée à l'entreprise.")
    reason = _check_reason(status, data.get("reason") or "")
    interview_on = data.get("interview_on")
    if status == S.INTERVIEW and interview_on is None:
        raise OpportunityError("Indiquez la date de l'entretien.")
    previous = introduction.status
    now = timezone.now()
    introduction.status, introduction.reason, introduction.updated_at = status, reason, now
    if interview_on is not None:
        introduction.interview_on = interview_on
    if status == S.SENT:
        introduction.sent_at = now
    introduction.save()
    note = (data.get("note") or "").strip()[:500]
    user = getattr(actor, "user", None)
    IntroductionStep.objects.create(
        introduction=introduction,
        from_status=previous,
        to_status=status,
        reason=reason,
        note=note,
        by_user=user,
        by_company=by_company,
        at=now,
    )
    extra = introduction.reason_label
    if status == S.INTERVIEW:
        extra = f"le {introduction.interview_on:%d/%m/%Y}"
    if by_company:
        extra = (extra + " " if extra else "") + "(réponse de l'entreprise)"
    timeline.record(
        introduction,
        f"introduction_{status}",
        _summary(introduction, status, extra),
        actor=user,
        structure=getattr(actor, "structure", None) or introduction.structure,
        about=_about_introduction(introduction),
    )
    if status == S.HIRED:
        people_hooks.hire_recorded(
            introduction.person,
            contract_type=introduction.offer.get_contract_type_display()
            if introduction.offer_id
            else "",
            hired_on=timezone.localdate(),
            actor=actor,
        )
    return introduction


def company_introduction(token):
    """The introduction a company's personal link designates, or None."""
    if not token:
        return None
    return (
        Introduction.objects.select_related(
            "person",
            "offer",
            "establishment__legal_unit",
            "need__subject",
            "structure",
            "proposed_by",
        )
        .filter(answer_digest=digest(token))
        .first()
    )


@transaction.atomic
def company_answer(token, *, data):
    """The company's answer through its personal link. An answer is recorded once: the
    introduction's row is locked and its status read again before anything changes, so the
    same answer sent twice at the same instant is recorded once, the second refused."""
    introduction = company_introduction(token)
    if introduction is None:
        raise OpportunityError("Ce lien n'est pas (ou plus) valable.")
    introduction.status = (
        Introduction.objects.select_for_update().values_list("status", flat=True)
    ).get(pk=introduction.pk)
    if introduction.status == data.get("status"):
        raise OpportunityError("Cette réponse est déjà enregistrée : merci.")
    if introduction.status in UNSEEN_STATUSES and data.get("status") != S.SEEN:
        # Answering implies having seen the profile.
        advance(introduction, data={"status": S.SEEN}, by_company=True)
        introduction.refresh_from_db()
    return advance(introduction, data=data, by_company=True)


# The states in which the company has not yet seen the profile.
UNSEEN_STATUSES = (S.PROPOSED, S.SENT)


def mark_seen(introduction):
    """The company says it has seen the profile (nothing when it is past that state)."""
    if introduction.status in UNSEEN_STATUSES:
        return advance(introduction, data={"status": S.SEEN}, by_company=True)
    return introduction


def expire_introductions(now=None):
    """Introductions sent or seen 30 days ago without an answer expire; returns how many."""
    now = now or timezone.now()
    stale = Introduction.objects.filter(
        status__in=[S.SENT, S.SEEN], updated_at__lt=now - timedelta(days=EXPIRY_DAYS)
    )
    count = 0
    for introduction in stale:
        advance(introduction, data={"status": S.EXPIRED})
        count += 1
    return count


def due_reminders(now=None):
    now = now or timezone.now()
    return Introduction.objects.filter(
        status__in=[S.SENT, S.SEEN],
        reminded_at__isnull=True,
        updated_at__lt=now - timedelta(days=REMINDER_DAYS),
    )


def send_reminders(now=None):
    """Reminds the counsellor of each introduction about to expire without an answer (once:
    ``reminded_at``); returns how many."""
    from django.conf import settings
    from django.core.mail import send_mail

    now = now or timezone.now()
    count = 0
    for introduction in due_reminders(now).select_related("proposed_by", "offer", "need__subject"):
        claimed = Introduction.objects.filter(pk=introduction.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if not claimed or introduction.proposed_by is None or not introduction.proposed_by.email:
            continue
        send_mail(
            f"Mise en relation sans réponse : {introduction.target_label}",
            f"La mise en relation pour « {introduction.target_label} » est sans réponse de "
            f"l'entreprise depuis {REMINDER_DAYS} jours ; elle expirera dans "
            f"{EXPIRY_DAYS - REMINDER_DAYS} jours. Relancez l'entreprise si besoin.",
            settings.DEFAULT_FROM_EMAIL,
            [introduction.proposed_by.email],
        )
        count += 1
    return count
