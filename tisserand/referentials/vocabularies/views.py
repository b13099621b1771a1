from django.db.models import Prefetch
from django.shortcuts import render

from tisserand.core.permissions import acts_for_a_structure, rule
from tisserand.referentials.vocabularies.models import Term, Vocabulary


@rule(acts_for_a_structure)
def vocabulary_list(request):
    terms = Term.objects.order_by("order", "code")
    vocabularies = Vocabulary.objects.prefetch_related(Prefetch("terms", queryset=terms))
    return render(
        request,
        "vocabularies/list.html",
        {
            "vocabularies": [(v, _groups(v.terms.all())) for v in vocabularies],
            "breadcrumbs": [("Vocabulaires contrôlés", None)],
        },
    )


def _groups(terms):
    """[(category or None, its terms)] in display order; terms without category come last."""
    by_category = {}
    for term in terms:
        if not term.is_category:
            by_category.setdefault(term.category_id, []).append(term)
    groups = [(c, by_category.get(c.pk, [])) for c in terms if c.is_category]
    if None in by_category:
        groups.append((None, by_category[None]))
    return groups
