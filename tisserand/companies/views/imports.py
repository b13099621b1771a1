"""Import of company records: upload, preview line by line, confirmation, and the house's
template to download. The uploaded file waits in a private folder (never served) between the
preview and the confirmation, named by a random token kept in the uploader's session."""

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tisserand.companies import imports, perms
from tisserand.companies.breadcrumbs import companies_step
from tisserand.companies.forms import ImportForm
from tisserand.core.actor import Actor
from tisserand.core.breadcrumbs import trail
from tisserand.core.permissions import rule
from tisserand.referentials.geo.models import BassinEmploi, Commune, Epci

SESSION_KEY = "companies_import"


# A preview left without confirmation: its file is deleted after this long.
ABANDONED_SECONDS = 24 * 3600


def _folder():
    folder = Path(settings.MEDIA_ROOT) / "company-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_abandoned(folder):
    """Deletes the files of previews nobody confirmed within a day."""
    limit = time.time() - ABANDONED_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _territory(meta):
    if meta.get("communes"):
        return imports.territory_of(
            communes=list(Commune.objects.filter(insee_code__in=meta["communes"]).order_by("name"))
        )
    if meta.get("bassin"):
        return imports.territory_of(bassin=BassinEmploi.objects.get(pk=meta["bassin"]))
    if meta.get("epci"):
        return imports.territory_of(epci=Epci.objects.get(pk=meta["epci"]))
    return None


def _page(request, form, result=None, error=None, token=""):
    return render(
        request,
        "companies/import.html",
        {
            "form": form,
            "result": result,
            "error": error,
            "token": token,
            "labels": imports.ACTION_LABELS,
            "breadcrumbs": trail(companies_step(), ("Importer des entreprises", None)),
        },
    )


@rule(perms.can_import)
def company_import(request):
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    meta = {
        "kind": form.cleaned_data["kind"] or None,
        "filename": upload.name,
        "communes": [c.insee_code for c in form.cleaned_data["communes"]],
        "bassin": form.cleaned_data["bassin"].pk if form.cleaned_data["bassin"] else None,
        "epci": form.cleaned_data["epci"].pk if form.cleaned_data["epci"] else None,
    }
    try:
        result = imports.preview(data, upload.name, kind=meta["kind"], territory=_territory(meta))
    except imports.ImportRefused as error:
        return _page(request, form, error=str(error))
    token = ""
    if result.can_apply:
        token = secrets.token_urlsafe(24)
        folder = _folder()
        _forget_abandoned(folder)
        previous = (request.session.get(SESSION_KEY) or {}).get("token")
        if previous:
            (folder / previous).unlink(missing_ok=True)
        (folder / token).write_bytes(data)
        request.session[SESSION_KEY] = {**meta, "token": token, "kind": result.kind}
    return _page(request, ImportForm(), result=result, token=token)


def _confirm(request):
    meta = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    if not token or meta.get("token") != token or not (_folder() / token).is_file():
        messages.error(request, "Cet import n'est plus disponible : déposez le fichier à nouveau.")
        return redirect("companies:import")
    path = _folder() / token
    try:
        result = imports.preview(
            path.read_bytes(), meta["filename"], kind=meta["kind"], territory=_territory(meta)
        )
        counts = imports.apply(result, actor=Actor.from_request(request))
    except imports.ImportRefused as error:
        return _page(request, ImportForm(), error=str(error))
    finally:
        path.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        f"Import terminé : {counts['created']} fiche(s) créée(s), "
        f"{counts['updated']} mise(s) à jour.",
    )
    return redirect("companies:list")


@rule(perms.can_import)
def import_template(request):
    if request.GET.get("format") == "csv":
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="modele-entreprises.csv"'
        return response
    response = HttpResponse(
        imports.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="modele-entreprises.xlsx"'
    return response
