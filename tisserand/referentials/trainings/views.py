from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django_htmx.http import reswap, retarget

from tisserand.core.permissions import acts_for_a_structure, rule
from tisserand.referentials.trainings import referentials
from tisserand.referentials.trainings.forms import TrainingSearchForm
from tisserand.referentials.trainings.models import Action, CodeKind, Session, Training
from tisserand.referentials.trainings.services import SearchError, rome_of, search_trainings

PAGE_SIZE = 20
SEARCH_FIELDS = {
    "metier",
    "metier_code",
    "commune",
    "commune_code",
    "rayon",
    "debut_apres",
    "debut_avant",
}


@rule(acts_for_a_structure)
def search(request):
    bound = bool(SEARCH_FIELDS & set(request.GET)) or "certifiante" in request.GET
    form = TrainingSearchForm(request.GET if bound else None)
    page_obj = None
    if not bound or form.is_valid():
        try:
            results = search_trainings(**form.criteria()) if bound else search_trainings()
        except SearchError as error:
            form.add_error(None, str(error))
        else:
            page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "with_distance": bound and form.is_valid() and bool(form.cleaned_data.get("rayon")),
        "search_query": _search_query(request.GET),
        "breadcrumbs": [("Formations", None)],
    }
    # htmx asks for the results only; when it restores history it needs the whole page.
    fragment = request.htmx and not request.htmx.history_restore_request
    if fragment and form.errors:
        response = render(request, "trainings/_search_form.html", context)
        return reswap(retarget(response, "#recherche-formulaire"), "outerHTML")
    if fragment:
        return render(request, "trainings/_results.html", {**context, "htmx": True})
    return render(request, "trainings/search.html", context)


@rule(acts_for_a_structure)
def detail(request, public_id):
    sessions = Session.objects.order_by("start_date", "pk")
    actions = Action.objects.order_by("pk").prefetch_related(Prefetch("sessions", sessions))
    training = get_object_or_404(
        Training.objects.select_related("body").prefetch_related(
            "codes", Prefetch("actions", actions)
        ),
        public_id=public_id,
    )
    codes = training.codes.all()
    labels = referentials.rome_labels(c.code for c in codes if c.kind == CodeKind.ROME)
    return render(
        request,
        "trainings/detail.html",
        {
            "training": training,
            "rome": [(code, label, _fiche_url(code)) for code, label in rome_of(training, labels)],
            "codes": _codes_by_kind(codes),
            "breadcrumbs": [
                ("Formations", _back_to_search(request.GET.get("recherche", ""))),
                (training.title, None),
            ],
        },
    )


def _codes_by_kind(codes):
    """[(kind label, [codes])] for the codes other than ROME."""
    grouped = {}
    for code in codes:
        if code.kind != CodeKind.ROME:
            grouped.setdefault(code.get_kind_display(), []).append(code.code)
    return list(grouped.items())


def _fiche_url(code):
    """The ROME fiche page when the ROME app offers one."""
    try:
        return reverse("rome:fiche", args=[code])
    except NoReverseMatch:
        return None


def _search_query(params):
    """The search criteria of a request (page included), to come back to the same results."""
    query = params.copy()
    for name in list(query):
        if name not in SEARCH_FIELDS | {"certifiante", "page"}:
            del query[name]
    return query.urlencode()


def _back_to_search(query):
    """The search page with the criteria a training page was opened from (parsed, not echoed)."""
    query = _search_query(QueryDict(query))
    url = reverse("trainings:search")
    return f"{url}?{query}" if query else url
