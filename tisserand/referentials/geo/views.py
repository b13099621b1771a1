from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tisserand.core.permissions import acts_for_a_structure, rule
from tisserand.referentials.geo import services
from tisserand.referentials.geo.forms import CommuneSearchForm
from tisserand.referentials.geo.models import Commune

PAGE_SIZE = 25


@rule(acts_for_a_structure)
def commune_search(request):
    form = CommuneSearchForm(request.GET or None)
    query = {"code": "", "text": ""}
    if form.is_valid():
        query = form.cleaned_data["q"]
    chosen = services.commune_by_insee_code(query["code"]) if query["code"] else None
    if chosen is not None:
        return redirect("geo:commune", insee_code=chosen.insee_code)
    communes = services.search_communes(query["text"]) if query["text"] else None
    page_obj = (
        Paginator(communes, PAGE_SIZE).get_page(request.GET.get("page"))
        if communes is not None
        else None
    )
    return render(
        request,
        "geo/commune_search.html",
        {
            "form": form,
            "query": query["text"],
            "page_obj": page_obj,
            "breadcrumbs": [("Communes", None)],
        },
    )


@rule(acts_for_a_structure)
def commune_detail(request, insee_code):
    commune = get_object_or_404(
        services.with_postal_codes(
            Commune.objects.select_related("departement__region", "bassin", "epci")
        ),
        insee_code=insee_code.upper(),
    )
    return render(
        request,
        "geo/commune_detail.html",
        {
            "commune": commune,
            **services.commune_surroundings(commune),
            "breadcrumbs": [
                ("Communes", reverse("geo:search")),
                (commune.name, None),
            ],
        },
    )
