import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tisserand.clauses import decp, imports, perms, progress, reports, services
from tisserand.clauses.forms import (
    BuyerForm,
    CoefficientForm,
    ContractForm,
    CriterionDefinitionForm,
    CriterionForm,
    DeclarationForm,
    LotForm,
    OperationForm,
    OutcomeForm,
    ParticipantForm,
    PortalDeclarationForm,
    ProposeCandidateForm,
    ReopenForm,
    RepresentativeForm,
    UploadForm,
)
from tisserand.clauses.models import (
    Buyer,
    Contract,
    Declaration,
    DeclarationSource,
    DeclarationStatus,
    EligibilityCriterion,
    Lot,
    Operation,
    Participant,
    ParticipantCriterion,
    explain_hours,
    french_number,
)
from tisserand.companies import hooks as company_hooks
from tisserand.core import documents
from tisserand.core.access_log import log_record_access
from tisserand.core.actor import Actor
from tisserand.core.breadcrumbs import trail
from tisserand.core.errors import DomainError
from tisserand.core.feedback import report
from tisserand.core.forms import model_values
from tisserand.core.permissions import rule
from tisserand.core.timeline import events_for
from tisserand.people.selectors import visible_persons
from tisserand.referentials import uploads

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DECP_SALT = "clauses.decp.import"
CONTRACTS_PER_PAGE = 40
ALERTS_SHOWN = 50


def _home_step():
    return ("Clauses sociales", reverse("clauses:home"))


def _operation_step(operation):
    return (str(operation), reverse("clauses:operation", args=[operation.public_id]))


def _contract_step(contract):
    return (contract.reference, reverse("clauses:contract", args=[contract.public_id]))


def _year(request):
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _file(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Home and operations ---------------------------------------------------------------------


@rule(perms.reads)
def home(request):
    structure = request.membership.structure
    operations = list(
        Operation.objects.filter(structure=structure)
        .annotate(contract_count=Count("contracts", distinct=True))
        .order_by("-starts_on", "name")
    )
    board = progress.board(Lot.objects.filter(contract__operation__structure=structure))
    by_operation = {}
    for item in board.lots:
        by_operation.setdefault(item.lot.contract.operation_id, progress.Figures()).add(
            item.figures
        )
    for operation in operations:
        operation.figures = by_operation.get(operation.pk, progress.Figures())
    return render(
        request,
        "clauses/home.html",
        {
            "operations": operations,
            "buyers": Buyer.objects.filter(structure=structure),
            "alerts": board.alerts[:ALERTS_SHOWN],
            "more_alerts": max(0, len(board.alerts) - ALERTS_SHOWN),
            "total": board.total,
            "manages": perms.manages(request.membership),
            "year": timezone.localdate().year,
            "breadcrumbs": trail(("Clauses sociales", None)),
        },
    )


@rule(perms.manages)
def operation_create(request):
    structure = request.membership.structure
    form = OperationForm(request.POST or None, structure=structure)
    if request.method == "POST" and form.is_valid():
        try:
            operation = services.create_operation(
                data=model_values(form), actor=Actor.from_request(request)
            )
        except services.ClauseError as error:
            report(error, form=form)
        else:
            messages.success(request, "Opération créée.")
            return redirect("clauses:operation", operation.public_id)
    return render(
        request,
        "clauses/form.html",
        {
            "form": form,
            "title": "Nouvelle opération",
            "submit": "Créer l'opération",
            "breadcrumbs": trail(_home_step(), ("Nouvelle opération", None)),
        },
    )


@rule(perms.reads, load=perms.operation_record)
def operation_detail(request, public_id, record):
    operation = record
    board = progress.board(Lot.objects.filter(contract__operation=operation))
    contracts = {}
    for item in board.lots:
        contracts.setdefault(item.lot.contract, []).append(item)
    # The sums cover every lot; the page lists the contracts 40 at a time.
    page = Paginator(
        [(contract, board.by_contract[contract], lots) for contract, lots in contracts.items()],
        CONTRACTS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "clauses/operation.html",
        {
            "operation": operation,
            "board": board,
            "alerts": board.alerts[:ALERTS_SHOWN],
            "more_alerts": max(0, len(board.alerts) - ALERTS_SHOWN),
            "contracts": page.object_list,
            "page_obj": page,
            "empty_contracts": operation.contracts.exclude(
                pk__in=[c.pk for c in contracts]
            ).select_related("buyer"),
            "buyers": [
                (buyer, board.by_buyer.get(buyer, progress.Figures()))
                for buyer in operation.buyers.all()
            ],
            "coefficients": operation.coefficients.all(),
            "coefficient_form": CoefficientForm(),
            "manages": perms.manages(request.membership),
            "year": timezone.localdate().year,
            "breadcrumbs": trail(_home_step(), (str(operation), None)),
        },
    )


@require_POST
@rule(perms.manages, load=perms.operation_record)
def coefficient_set(request, public_id, record):
    form = CoefficientForm(request.POST)
    if form.is_valid():
        try:
            services.set_coefficient(
                record, data=form.cleaned_data, actor=Actor.from_request(request)
            )
        except services.ClauseError as error:
            report(error, request=request)
        else:
            messages.success(request, "Coefficient enregistré.")
    else:
        messages.error(request, "Le coefficient va de 0 à 5.")
    return redirect("clauses:operation", record.public_id)


# --- Buyers ----------------------------------------------------------------------------------


@rule(perms.manages)
def buyer_create(request):
    form = BuyerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            buyer = services.create_buyer(
                data=model_values(form), actor=Actor.from_request(request)
            )
        except services.ClauseError as error:
            report(error, form=form, field="siret")
        else:
            messages.success(request, "Donneur d'ordre enregistré.")
            return redirect("clauses:buyer", buyer.public_id)
    return render(
        request,
        "clauses/form.html",
        {
            "form": form,
            "title": "Nouveau donneur d'ordre",
            "submit": "Enregistrer",
            "breadcrumbs": trail(_home_step(), ("Nouveau donneur d'ordre", None)),
        },
    )


def _buyer_page(request, buyer, template, extra):
    board = progress.board(Lot.objects.filter(contract__buyer=buyer))
    by_contract = board.by_contract
    return render(
        request,
        template,
        {
            "buyer": buyer,
            "board": board,
            "contracts": [
                (contract, by_contract.get(contract, progress.Figures()))
                for contract in buyer.contracts.select_related("operation")
            ],
            "year": timezone.localdate().year,
            **extra,
        },
    )


@rule(perms.reads, load=perms.buyer_record)
def buyer_detail(request, public_id, record):
    return _buyer_page(
        request,
        record,
        "clauses/buyer.html",
        {
            "operations": record.operations.all(),
            "representatives": record.representatives.filter(is_active=True).select_related("user"),
            "representative_form": RepresentativeForm(),
            "manages": perms.manages(request.membership),
            "breadcrumbs": trail(_home_step(), (str(record), None)),
            "portal": False,
        },
    )


@require_POST
@rule(perms.manages, load=perms.buyer_record)
def representative_add(request, public_id, record):
    form = RepresentativeForm(request.POST)
    if form.is_valid():
        try:
            services.add_representative(
                record, data=form.cleaned_data, actor=Actor.from_request(request)
            )
        except services.ClauseError as error:
            report(error, request=request)
        else:
            messages.success(request, "Représentant ajouté.")
    else:
        messages.error(request, "Saisissez une adresse e-mail valide.")
    return redirect("clauses:buyer", record.public_id)


@rule(perms.loaded, load=perms.represented_buyer)
def buyer_portal(request, public_id, record):
    """The buyer's representative: its contracts' figures, no participant's identity."""
    return _buyer_page(
        request,
        record,
        "clauses/buyer.html",
        {"operations": [], "breadcrumbs": [], "portal": True, "manages": False},
    )


# --- Contracts and lots ----------------------------------------------------------------------


@rule(perms.manages, load=perms.operation_record)
def contract_create(request, public_id, record):
    operation = record
    form = ContractForm(request.POST or None, operation=operation)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.create_contract(
                operation, data=model_values(form), actor=Actor.from_request(request)
            )
        except services.ClauseError as error:
            report(error, form=form)
        else:
            messages.success(request, "Marché créé. Ajoutez ses lots.")
            return redirect("clauses:contract", contract.public_id)
    return render(
        request,
        "clauses/form.html",
        {
            "form": form,
            "title": "Nouveau marché",
            "submit": "Créer le marché",
            "breadcrumbs": trail(
                _home_step(), _operation_step(operation), ("Nouveau marché", None)
            ),
        },
    )


@rule(perms.reads, load=perms.contract_record)
def contract_detail(request, public_id, record):
    contract = record
    board = progress.board(Lot.objects.filter(contract=contract))
    return render(
        request,
        "clauses/contract.html",
        {
            "contract": contract,
            "board": board,
            "figures": board.by_contract.get(contract, progress.Figures()),
            "manages": perms.manages(request.membership),
            "breadcrumbs": trail(
                _home_step(), _operation_step(contract.operation), (contract.reference, None)
            ),
        },
    )


@rule(perms.manages, load=perms.contract_record)
def lot_create(request, public_id, record):
    contract = record
    form = LotForm(request.POST or None, initial={"number": contract.lots.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            lot = services.create_lot(
                contract, data=form.values(), actor=Actor.from_request(request)
            )
        except services.ClauseError as error:
            report(error, form=form)
        else:
            messages.success(request, f"{lot} créé : {lot.hours_owed} h dues. {lot.explanation}")
            return redirect("clauses:contract", contract.public_id)
    return render(
        request,
        "clauses/lot_form.html",
        {
            "form": form,
            "contract": contract,
            "preview": _hours_preview(request.POST, contract) if request.method == "POST" else "",
            "breadcrumbs": trail(
                _home_step(),
                _operation_step(contract.operation),
                _contract_step(contract),
                ("Nouveau lot", None),
            ),
        },
    )


def _decimal(value):
    try:
        return Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None


def _hours_preview(data, contract):
    """The computed hours explained, from the form's current values ("" when incomplete)."""
    if data.get("hours_mode") == "entered":
        return "Heures saisies : le calcul ne s'applique pas."
    values = [
        _decimal(data.get(k)) for k in ("amount", "labour_share", "insertion_rate", "hourly_cost")
    ]
    if None in values or values[3] <= 0:
        return "Saisissez le montant, la part de main-d'œuvre, le taux et le coût horaire."
    text = explain_hours(*values)
    operation = contract.operation
    if text and operation.is_npnru and operation.qpv_share:
        from tisserand.clauses.models import compute_hours

        qpv = (compute_hours(*values) * operation.qpv_share).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        share = f"{operation.qpv_share * 100:.0f} %"
        text += f", dont {french_number(qpv, 1)} h pour les habitants des QPV ({share})"
    return text


@require_POST
@rule(perms.manages, load=perms.contract_record)
def lot_hours_preview(request, public_id, record):
    """htmx: the hours owed, computed live and explained, as the lot's form is filled in."""
    return render(
        request,
        "clauses/_hours_preview.html",
        {"preview": _hours_preview(request.POST, record)},
    )


def _lot_participants(lot):
    return imports.lot_participants(lot).filter(is_eligible=True)


@rule(perms.reads, load=perms.lot_record)
def lot_detail(request, public_id, record):
    lot = record
    board = progress.board(Lot.objects.filter(pk=lot.pk))
    item = board.lots[0]
    declarations = (
        Declaration.objects.filter(lot=lot)
        .select_related("participant")
        .order_by("-month", "participant__last_name", "id")
    )
    manages = perms.manages(request.membership)
    return render(
        request,
        "clauses/lot.html",
        {
            "lot": lot,
            "contract": lot.contract,
            "item": item,
            "alerts": board.alerts,
            "declarations": declarations[:200],
            "pending": declarations.filter(status=DeclarationStatus.DECLARED).count(),
            "manages": manages,
            "identities": perms.sees_identities(request.membership),
            "form": DeclarationForm(participants=_lot_participants(lot)) if manages else None,
            "reopen_form": ReopenForm(),
            "introductions": _introductions(lot, request.membership) if manages else [],
            "co_contractors": lot.co_contractors.all(),
            "subcontractors": lot.subcontractors.all(),
            "events": events_for(lot)[:20],
            "year": timezone.localdate().year,
            "breadcrumbs": trail(
                _home_step(),
                _operation_step(lot.contract.operation),
                _contract_step(lot.contract),
                (str(lot), None),
            ),
        },
    )


@require_POST
@rule(perms.manages, load=perms.lot_record)
def declare(request, public_id, record):
    lot = record
    form = DeclarationForm(request.POST, participants=_lot_participants(lot))
    if form.is_valid():
        try:
            services.declare(
                data={**form.cleaned_data, "lot": lot}, actor=Actor.from_request(request)
            )
        except services.ClauseError as error:
            report(error, request=request)
        else:
            messages.success(request, "Heures enregistrées.")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("clauses:lot", lot.public_id)


@require_POST
@rule(perms.manages, load=perms.lot_record)
def lot_need(request, public_id, record):
    """The seam with offers: the lot's clause jobs become a recruitment need of its holder
    (``companies.services.record_need``), which the opportunities app turns into an offer and
    its introductions (« propose_candidate » in ``companies.hooks``, once provided)."""
    services.record_clause_need(record, actor=Actor.from_request(request))
    messages.success(request, "Besoin de recrutement enregistré sur la fiche du titulaire.")
    return redirect("clauses:lot", record.public_id)


@require_POST
@rule(perms.manages, load=perms.declaration_record)
def declaration_validate(request, public_id, record):
    try:
        services.validate(record, actor=Actor.from_request(request))
    except services.ClauseError as error:
        report(error, request=request)
    else:
        messages.success(request, "Déclaration validée.")
    return redirect("clauses:lot", record.lot.public_id)


@require_POST
@rule(perms.manages, load=perms.lot_record)
def lot_validate_all(request, public_id, record):
    actor = Actor.from_request(request)
    count = 0
    for declaration in Declaration.objects.filter(
        lot=record, status=DeclarationStatus.DECLARED, participant__is_eligible=True
    ):
        services.validate(declaration, actor=actor)
        count += 1
    messages.success(request, f"{count} déclaration(s) validée(s).")
    return redirect("clauses:lot", record.public_id)


@require_POST
@rule(perms.manages, load=perms.declaration_record)
def declaration_reopen(request, public_id, record):
    form = ReopenForm(request.POST)
    try:
        services.reopen(
            record,
            data={"reason": form.data.get("reason", "")},
            actor=Actor.from_request(request),
        )
    except services.ClauseError as error:
        report(error, request=request)
    else:
        messages.success(request, "Déclaration rouverte : elle peut être corrigée.")
    return redirect("clauses:lot", record.lot.public_id)


@rule(perms.reads, load=perms.lot_record)
def certificate(request, public_id, record):
    lot = record
    figures = progress.sums_by_lot([lot.pk]).get(lot.pk, progress.Figures())
    figures.owed, figures.qpv_owed = lot.hours_owed, lot.qpv_hours_owed
    by_month = (
        Declaration.objects.filter(lot=lot, participant__is_eligible=True)
        .values("month")
        .annotate(
            counted=progress.Sum(progress.COUNTED),
            validated=progress.Sum(progress.COUNTED, filter=Q(status="validated")),
        )
        .order_by("month")
    )
    content = reports.certificate_pdf(lot, figures, list(by_month), timezone.localdate())
    return _file(content, "application/pdf", f"attestation-heures-lot-{lot.public_id}.pdf")


@rule(perms.manages, load=perms.lot_record)
def import_template(request, public_id, record):
    content = imports.template_xlsx(record, _lot_participants(record))
    return _file(content, XLSX, f"modele-declarations-{record.public_id}.xlsx")


@rule(perms.manages, load=perms.lot_record)
def lot_import(request, public_id, record):
    lot = record
    preview = None
    form = UploadForm()
    participants = _lot_participants(lot)
    if request.method == "POST":
        if "token" in request.POST:
            preview = imports.from_token(lot, request.POST["token"], participants)
            if preview.accepted:
                written = imports.write(lot, preview, actor=Actor.from_request(request))
                messages.success(request, f"Import terminé : {written} ligne(s) enregistrée(s).")
                return redirect("clauses:lot", lot.public_id)
        else:
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                preview = imports.read(lot, form.cleaned_data["file"].read(), participants)
    return render(
        request,
        "clauses/lot_import.html",
        {
            "lot": lot,
            "form": form,
            "preview": preview,
            "breadcrumbs": trail(
                _home_step(),
                _operation_step(lot.contract.operation),
                _contract_step(lot.contract),
                (str(lot), reverse("clauses:lot", args=[lot.public_id])),
                ("Importer", None),
            ),
        },
    )


@rule(perms.manages, load=perms.operation_record)
def decp_import(request, public_id, record):
    operation = record
    preview = None
    form = UploadForm()
    if request.method == "POST":
        if "token" in request.POST:
            try:
                content = signing.loads(request.POST["token"], salt=DECP_SALT, max_age=3600)
            except signing.BadSignature:
                preview = decp.Preview([], "L'aperçu a expiré : déposez le fichier à nouveau.")
            else:
                preview = decp.read(operation, content)
            if preview.accepted:
                created = decp.write(operation, preview, actor=Actor.from_request(request))
                messages.success(request, f"Import DECP terminé : {created} marché(s) créé(s).")
                return redirect("clauses:operation", operation.public_id)
        else:
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data["file"].read()
                preview = decp.read(operation, data)
                if preview.accepted:
                    content = uploads.decode(data)
                    preview.token = signing.dumps(content, salt=DECP_SALT, compress=True)
    return render(
        request,
        "clauses/decp_import.html",
        {
            "operation": operation,
            "form": form,
            "preview": preview,
            "breadcrumbs": trail(_home_step(), _operation_step(operation), ("Import DECP", None)),
        },
    )


# --- Reports ---------------------------------------------------------------------------------


def _report_of(request, record, kind):
    year = _year(request)
    if kind == "buyer":
        return reports.yearly_report(
            f"Bilan {year} des clauses sociales — {record}", {"lot__contract__buyer": record}, year
        )
    return reports.yearly_report(
        f"Bilan {year} des clauses sociales — {record}", {"lot__contract__operation": record}, year
    )


@rule(perms.reads, load=perms.operation_record)
def operation_report(request, public_id, record, fmt):
    result = _report_of(request, record, "operation")
    return _report_file(result, fmt, f"bilan-operation-{result.year}")


@rule(perms.reads, load=perms.buyer_record)
def buyer_report(request, public_id, record, fmt):
    result = _report_of(request, record, "buyer")
    return _report_file(result, fmt, f"bilan-donneur-d-ordre-{result.year}")


def _report_file(result, fmt, name):
    if fmt == "xlsx":
        return _file(reports.report_xlsx(result), XLSX, f"{name}.xlsx")
    return _file(reports.report_pdf(result), "application/pdf", f"{name}.pdf")


@rule(perms.reads, load=perms.operation_record)
def operation_report_page(request, public_id, record):
    result = _report_of(request, record, "operation")
    return render(
        request,
        "clauses/report.html",
        {
            "report": result,
            "operation": record,
            "total_labels": reports.TOTAL_LABELS,
            "breadcrumbs": trail(_home_step(), _operation_step(record), ("Bilan annuel", None)),
        },
    )


@rule(perms.reads_aggregates)
def aggregates(request):
    """Figures of every operation of the network by programme, no person, counts masked."""
    year = _year(request)
    return render(
        request,
        "clauses/aggregates.html",
        {
            "year": year,
            "rows": reports.aggregates(year),
            "breadcrumbs": trail(("Clauses sociales : chiffres agrégés", None)),
        },
    )


@rule(perms.manages)
def national_export(request):
    year = _year(request)
    content = reports.national_xlsx(request.membership.structure, year)
    return _file(content, XLSX, f"consolidation-nationale-clauses-{year}.xlsx")


# --- Participants ----------------------------------------------------------------------------


@rule(perms.manages)
def criteria(request):
    """The editable list of eligibility criteria."""
    form = CriterionDefinitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.define_criterion(data=form.cleaned_data, actor=Actor.from_request(request))
        except services.ClauseError as error:
            report(error, form=form, field="code")
        else:
            messages.success(request, "Critère ajouté à la liste.")
            return redirect("clauses:criteria")
    return render(
        request,
        "clauses/criteria.html",
        {
            "criteria": EligibilityCriterion.objects.order_by("order", "label"),
            "form": form,
            "breadcrumbs": trail(_home_step(), ("Critères d'éligibilité", None)),
        },
    )


@require_POST
@rule(perms.manages)
def criterion_toggle(request, pk):
    criterion = get_object_or_404(EligibilityCriterion, pk=pk)
    services.toggle_criterion(criterion, actor=Actor.from_request(request))
    messages.success(request, f"Critère mis à jour : {criterion}.")
    return redirect("clauses:criteria")


@rule(perms.manages)
def participants(request):
    rows = (
        Participant.objects.filter(structure=request.membership.structure)
        .select_related("employer")
        .order_by("last_name", "first_name", "id")
    )
    return render(
        request,
        "clauses/participants.html",
        {
            "participants": rows[:500],
            "breadcrumbs": trail(_home_step(), ("Participants", None)),
        },
    )


def _participant_form(request, person):
    initial = {"starts_on": timezone.localdate()}
    form = ParticipantForm(request.POST or None, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.create_participant(
                data=form.values(), actor=Actor.from_request(request), person=person
            )
        except services.ClauseError as error:
            report(error, form=form)
        else:
            messages.success(request, "Participant enregistré : justifiez son éligibilité.")
            return redirect("clauses:participant", participant.public_id)
    return render(
        request,
        "clauses/form.html",
        {
            "form": form,
            "title": f"Entrée dans une clause sociale{f' — {person}' if person else ''}",
            "intro": (
                "Le nom, la date de naissance, le genre et la résidence en QPV au début du "
                "contrat sont repris du dossier de la personne."
                if person
                else ""
            ),
            "submit": "Enregistrer le participant",
            "breadcrumbs": trail(_home_step(), ("Nouveau participant", None)),
        },
    )


@rule(perms.manages)
def participant_create(request):
    return _participant_form(request, None)


def may_create_from_person(membership, record):
    return perms.manages(membership) and record.access.sees


@rule(may_create_from_person, load=perms.person_for_participant)
def participant_from_person(request, person_id, record):
    return _participant_form(request, record.record)


@rule(perms.manages, load=perms.participant_record)
def participant_detail(request, public_id, record):
    participant = record
    log_record_access(
        request,
        participant,
        owner_structure=participant.structure,
        label=f"{participant} — participant d'une clause sociale",
    )
    criteria = participant.criteria.select_related("criterion").prefetch_related("documents")
    proposed = services.proposed_criteria(participant.person, participant.starts_on)
    taken = {row.criterion_id for row in criteria}
    hours = (
        Declaration.objects.filter(participant=participant)
        .select_related("lot__contract")
        .order_by("-month")
    )
    return render(
        request,
        "clauses/participant.html",
        {
            "participant": participant,
            "criteria": criteria,
            "proposed": [(c, why) for c, why in proposed if c.pk not in taken],
            "reason": services.ineligibility_reason(participant),
            "criterion_form": CriterionForm(initial={"assessed_on": participant.starts_on}),
            "outcome_form": OutcomeForm(instance=participant),
            "declarations": hours[:100],
            "events": events_for(participant)[:20],
            "breadcrumbs": trail(
                _home_step(),
                ("Participants", reverse("clauses:participants")),
                (str(participant), None),
            ),
        },
    )


@require_POST
@rule(perms.manages, load=perms.participant_record)
def criterion_add(request, public_id, record):
    form = CriterionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_criterion(
                record,
                data=form.cleaned_data,
                actor=Actor.from_request(request),
                uploaded=form.cleaned_data.get("proof"),
            )
        except (services.ClauseError, documents.DocumentError) as error:
            report(error, request=request)
        else:
            messages.success(request, "Critère d'éligibilité enregistré.")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("clauses:participant", record.public_id)


@require_POST
@rule(perms.manages, load=perms.criterion_record)
def criterion_remove(request, pk, record):
    participant = record.participant
    services.remove_criterion(record, actor=Actor.from_request(request))
    messages.success(request, "Critère retiré.")
    return redirect("clauses:participant", participant.public_id)


@require_POST
@rule(perms.manages, load=perms.participant_record)
def outcome(request, public_id, record):
    form = OutcomeForm(request.POST, instance=Participant.objects.get(pk=record.pk))
    if form.is_valid():
        try:
            services.record_outcome(
                record, data=form.cleaned_data, actor=Actor.from_request(request)
            )
        except services.ClauseError as error:
            report(error, request=request)
        else:
            messages.success(request, "Situation enregistrée.")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("clauses:participant", record.public_id)


# --- The company portal ----------------------------------------------------------------------


def _portal_lots(establishment):
    return Lot.objects.filter(holder=establishment).select_related("contract__operation")


@rule(perms.loaded, load=perms.portal.leader_establishment)
def portal_lots(request, public_id, record):
    establishment = record
    board = progress.board(_portal_lots(establishment))
    return render(
        request,
        "clauses/portal_lots.html",
        {"establishment": establishment, "board": board},
    )


def _portal_participants(lot):
    """Who the holder may declare: eligible participants it employs or already declared."""
    return (
        _lot_participants(lot)
        .filter(Q(employer=lot.holder) | Q(declarations__lot=lot))
        .distinct()
        .order_by("first_name", "id")
    )


@rule(perms.loaded, load=perms.portal_lot)
def portal_lot(request, public_id, lot_id, record):
    lot = record
    participants = _portal_participants(lot)
    form = PortalDeclarationForm(request.POST or None, participants=participants)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare(
                data={**form.cleaned_data, "lot": lot},
                actor=Actor(request.user),
                source=DeclarationSource.PORTAL,
            )
        except services.ClauseError as error:
            report(error, form=form, field="hours")
        else:
            messages.success(request, "Heures déclarées : la facilitation les validera.")
            return redirect("clauses:portal_lot", public_id, lot.public_id)
    declarations = (
        Declaration.objects.filter(lot=lot)
        .select_related("participant")
        .order_by("-month", "participant__first_name")
    )
    return render(
        request,
        "clauses/portal_lot.html",
        {
            "establishment": lot.holder,
            "lot": lot,
            "form": form,
            "declarations": declarations[:200],
            "today": datetime.date.today(),
        },
    )


# --- Edits ------------------------------------------------------------------------------------


def _edit_page(request, form, title, submit, breadcrumbs, *, template="clauses/form.html", **more):
    return render(
        request,
        template,
        {"form": form, "title": title, "submit": submit, "breadcrumbs": breadcrumbs, **more},
    )


@rule(perms.manages, load=perms.buyer_record)
def buyer_edit(request, public_id, record):
    form = BuyerForm(request.POST or None, instance=Buyer.objects.get(pk=record.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_buyer(
                record, data=model_values(form), actor=Actor.from_request(request)
            )
        except services.ClauseError as error:
            report(error, form=form, field="siret")
        else:
            messages.success(request, "Donneur d'ordre modifié.")
            return redirect("clauses:buyer", record.public_id)
    return _edit_page(
        request,
        form,
        f"Modifier le donneur d'ordre {record}",
        "Enregistrer les modifications",
        trail(
            _home_step(),
            (str(record), reverse("clauses:buyer", args=[record.public_id])),
            ("Modifier", None),
        ),
    )


@rule(perms.manages, load=perms.operation_record)
def operation_edit(request, public_id, record):
    structure = request.membership.structure
    form = OperationForm(
        request.POST or None, instance=Operation.objects.get(pk=record.pk), structure=structure
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_operation(
                record, data=model_values(form), actor=Actor.from_request(request)
            )
        except services.ClauseError as error:
            report(error, form=form)
        else:
            messages.success(request, "Opération modifiée.")
            return redirect("clauses:operation", record.public_id)
    return _edit_page(
        request,
        form,
        f"Modifier l'opération {record}",
        "Enregistrer les modifications",
        trail(_home_step(), _operation_step(record), ("Modifier", None)),
        intro="Changer le programme ou la part QPV recalcule les heures dues aux habitants des "
        "QPV de chaque lot. Un donneur d'ordre qui a des marchés dans l'opération y reste.",
    )


@rule(perms.manages, load=perms.contract_record)
def contract_edit(request, public_id, record):
    form = ContractForm(
        request.POST or None,
        instance=Contract.objects.get(pk=record.pk),
        operation=record.operation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contract(
                record, data=model_values(form), actor=Actor.from_request(request)
            )
        except services.ClauseError as error:
            report(error, form=form)
        else:
            messages.success(request, "Marché modifié.")
            return redirect("clauses:contract", record.public_id)
    return _edit_page(
        request,
        form,
        f"Modifier le marché {record.reference}",
        "Enregistrer les modifications",
        trail(
            _home_step(),
            _operation_step(record.operation),
            _contract_step(record),
            ("Modifier", None),
        ),
        intro="La période d'exécution contient toujours les mois pour lesquels des heures sont "
        "déclarées sur ses lots.",
    )


def _lot_step(lot):
    return (str(lot), reverse("clauses:lot", args=[lot.public_id]))


@rule(perms.manages, load=perms.lot_record)
def lot_edit(request, public_id, record):
    lot = record
    contract = lot.contract
    form = LotForm(request.POST or None, instance=Lot.objects.get(pk=lot.pk))
    if request.method == "POST" and form.is_valid():
        try:
            lot = services.update_lot(lot, data=form.values(), actor=Actor.from_request(request))
        except services.ClauseError as error:
            report(error, form=form)
        else:
            messages.success(request, f"{lot} modifié : {lot.hours_owed} h dues. {lot.explanation}")
            return redirect("clauses:lot", lot.public_id)
    if request.method == "POST":
        preview = _hours_preview(request.POST, contract)
    else:
        preview = lot.explanation
    return render(
        request,
        "clauses/lot_form.html",
        {
            "form": form,
            "contract": contract,
            "lot": lot,
            "preview": preview,
            "validated": services.validated_hours(lot),
            "breadcrumbs": trail(
                _home_step(),
                _operation_step(contract.operation),
                _contract_step(contract),
                _lot_step(lot),
                ("Modifier", None),
            ),
        },
    )


@rule(perms.manages, load=perms.participant_record)
def participant_edit(request, public_id, record):
    participant = record
    form = ParticipantForm(
        request.POST or None,
        instance=Participant.objects.get(pk=participant.pk),
        person=participant.person,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_participant(
                participant, data=form.values(), actor=Actor.from_request(request)
            )
        except services.ClauseError as error:
            report(error, form=form)
        else:
            messages.success(request, "Participant modifié.")
            return redirect("clauses:participant", participant.public_id)
    return _edit_page(
        request,
        form,
        f"Modifier le participant {participant}",
        "Enregistrer les modifications",
        trail(
            _home_step(),
            ("Participants", reverse("clauses:participants")),
            (str(participant), reverse("clauses:participant", args=[participant.public_id])),
            ("Modifier", None),
        ),
        intro=(
            "Le nom, la date de naissance, le genre et la résidence en QPV viennent du dossier "
            "de la personne. "
            if participant.person_id
            else ""
        )
        + "Changer le début du contrat vérifie à nouveau les dates des preuves d'éligibilité.",
    )


# --- Proposing candidates for a lot's clause job -----------------------------------------------

CANDIDATES_SHOWN = 20


def _candidates(membership, query):
    """The persons the facilitator sees whose name matches ``query`` (at most 20)."""
    rows = visible_persons(membership)
    for word in query.split()[:4]:
        rows = rows.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return rows.order_by("last_name", "first_name", "id")


@rule(perms.manages, load=perms.lot_record)
def lot_propose(request, public_id, record):
    """Puts a person the facilitator sees forward for the lot's clause job, with their consent
    (recorded with its text), through the introductions of the holder's recruitment need."""
    lot = record
    membership = request.membership
    query = (request.GET.get("q") or "").strip()[:80]
    persons = visible_persons(membership)
    form = ProposeCandidateForm(request.POST or None, persons=persons)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_candidate(
                lot,
                form.cleaned_data["person"],
                actor=Actor.from_request(request),
                consent_text=form.fields["consent"].label,
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            report(error, form=form)
        else:
            messages.success(request, "Candidature proposée au titulaire du lot.")
            return redirect("clauses:lot", lot.public_id)
    found = list(_candidates(membership, query)[:CANDIDATES_SHOWN]) if query else []
    chosen = form.data.get("person", "") if form.is_bound else ""
    if _uuid(chosen) and not any(str(person.public_id) == chosen for person in found):
        found = [*persons.filter(public_id=chosen)[:1], *found]
    return render(
        request,
        "clauses/propose.html",
        {
            "lot": lot,
            "form": form,
            "query": query,
            "found": found,
            "chosen": chosen,
            "breadcrumbs": trail(
                _home_step(),
                _operation_step(lot.contract.operation),
                _contract_step(lot.contract),
                _lot_step(lot),
                ("Proposer un candidat", None),
            ),
        },
    )


def _uuid(value):
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _introductions(lot, membership):
    """The introductions of the lot's need, with the name shown only for a visible person."""
    if not lot.need_id:
        return []
    rows = company_hooks.need_introductions(lot.need)
    visible = set(
        visible_persons(membership)
        .filter(pk__in=[row.person_id for row in rows])
        .values_list("pk", flat=True)
    )
    for row in rows:
        row.person_visible = row.person_id in visible
    return rows


__all__ = ["Contract", "ParticipantCriterion", "Prefetch"]
