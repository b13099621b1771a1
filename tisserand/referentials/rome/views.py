from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from tisserand.core.permissions import rule
from tisserand.referentials.rome import search, services
from tisserand.referentials.rome.importing.rome_import import current_version
from tisserand.referentials.rome.models import Fiche
from tisserand.referentials.rome.perms import can_read_occupations

SEARCH_LIMIT = 50
MIN_QUERY = 2
EXAMPLES = ("aide-soignant", "électricien", "développeur", "cariste", "M1805")


@rule(can_read_occupations)
def search_page(request):
    query = request.GET.get("q", "").strip()[:100]
    results = search.search_appellations(query, SEARCH_LIMIT) if len(query) >= MIN_QUERY else []
    context = {
        "query": query,
        "results": results,
        "too_short": 0 < len(query) < MIN_QUERY,
        "limit": SEARCH_LIMIT,
        "examples": EXAMPLES,
        "version": current_version(),
        "breadcrumbs": [("Métiers", None)],
    }
    if request.htmx and request.htmx.target == "resultats":
        return render(request, "rome/_results.html", {**context, "swap": True})
    return render(request, "rome/search.html", context)


@rule(can_read_occupations)
def fiche_detail(request, code):
    fiche = get_object_or_404(Fiche, code=code)
    page = services.fiche_page(fiche, services.user_bassin_code(request.membership))
    return render(
        request,
        "rome/fiche.html",
        {
            "page": page,
            "fiche": fiche,
            "query": request.GET.get("q", "")[:100],
            "version": current_version(),
            "breadcrumbs": [("Métiers", reverse("rome:search")), (fiche.label, None)],
        },
    )
