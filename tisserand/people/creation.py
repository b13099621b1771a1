"""Creating a person from a form, duplicates checked first: the people page and every other
way in (a public contact request, next an import) go through it."""

from tisserand.core.actor import Actor
from tisserand.people import selectors, services
from tisserand.people.duplicates import find_duplicates
from tisserand.people.forms import duplicates_key


def create_checking_duplicates(request, form, confirmation):
    """``(person, None)`` once the record is created through ``people.services``;
    ``(None, warning)`` while near-duplicates wait for the user's confirmation (``warning`` is
    ``None`` when the form was not submitted or is invalid)."""
    if request.method != "POST" or not form.is_valid():
        return None, None
    candidates = find_duplicates(*_identity(form.cleaned_data))
    key = duplicates_key(candidates)
    if not candidates or confirmation.confirms(key):
        person = services.create_person(data=form.values(), actor=Actor.from_request(request))
        return person, None
    return None, duplicate_warning(request.membership, candidates, key, confirmation)


def _identity(cleaned):
    return (
        cleaned["first_name"],
        cleaned["last_name"],
        cleaned["birth_date"],
        cleaned.get("birth_name", ""),
    )


def duplicate_warning(membership, candidates, key, confirmation):
    """Visible candidates in full; others only as « a similar record exists in structure X»."""
    visible_ids = set(
        selectors.visible_persons(membership)
        .filter(pk__in=[c.person.pk for c in candidates])
        .values_list("pk", flat=True)
    )
    visible = [c for c in candidates if c.person.pk in visible_ids]
    hidden_structures = sorted(
        {c.person.owner_structure.name for c in candidates if c.person.pk not in visible_ids}
    )
    if confirmation.is_bound and confirmation.data.get("duplicates_key") == key:
        confirmation.add_error(
            "confirmed",
            "Cochez cette case pour créer quand même la fiche, ou ouvrez la fiche existante.",
        )
    return {
        "visible": visible,
        "hidden_structures": hidden_structures,
        "key": key,
        "confirmation": confirmation,
    }
