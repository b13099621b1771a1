"""Reading the vocabularies from other apps: ``terms("barrier_theme")``, ``labels(...)``…

Other apps store a term's code (a string) and display its label. Each function makes one query;
call ``labels`` once per page rather than ``term`` once per row.
"""

from tisserand.referentials.vocabularies.models import Term

BARRIER_THEME = "barrier_theme"
EXIT_TYPE = "exit_type"
CONTRACT_TYPE = "contract_type"
ELIGIBILITY_CRITERION = "eligibility_criterion"
QUALIFICATION_LEVEL = "qualification_level"
ACTION_TYPE = "action_type"
EVENT_TYPE = "event_type"


def _of(vocabulary):
    return Term.objects.filter(vocabulary__code=vocabulary)


def terms(vocabulary, *, include_inactive=False):
    """The terms one may pick (not the categories), category by category, in order."""
    queryset = _of(vocabulary).filter(is_category=False).select_related("category")
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return sorted(queryset, key=_position)


def categories(vocabulary):
    return list(_of(vocabulary).filter(is_category=True).order_by("order", "code"))


def term(vocabulary, code):
    """The term (or category) of that code, active or not, or None."""
    return _of(vocabulary).select_related("category").filter(code=code).first()


def labels(vocabulary):
    """{code: label} of every term and category, active or not (stored codes stay readable)."""
    return dict(_of(vocabulary).values_list("code", "label"))


def category_of(vocabulary):
    """{term code: category code}, e.g. exit type → its family, level → its ISCED group."""
    return dict(
        _of(vocabulary).filter(category__isnull=False).values_list("code", "category__code")
    )


def is_known(vocabulary, code, *, active_only=False):
    queryset = _of(vocabulary).filter(code=code, is_category=False)
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.exists()


def choices(vocabulary):
    """Form choices of the active terms, grouped by category when the vocabulary has some."""
    grouped = {}
    for item in terms(vocabulary):
        group = item.category.label if item.category else None
        grouped.setdefault(group, []).append((item.code, item.label))
    if list(grouped) == [None]:
        return grouped[None]
    return [(group or "Autres", entries) for group, entries in grouped.items()]


def _position(item):
    category = item.category
    return (category.order if category else -1, item.order, item.code)
