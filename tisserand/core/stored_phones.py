"""Data migrations' step that rewrites stored phone numbers in E.164."""

import sys

from django.core.exceptions import ValidationError

from tisserand.core.validators import normalise_phone


def normalise_stored_phones(model, describe, out=sys.stdout):
    """Rewrites every non-empty ``phone`` of ``model`` in E.164. A value that is not a phone
    number is kept as it is and reported (one line naming the row), never dropped: it must be
    corrected by hand, and the form will ask for it at the next edit. Returns the rows
    reported."""
    invalid = []
    for row in model.objects.exclude(phone="").iterator():
        try:
            normalised = normalise_phone(row.phone)
        except ValidationError:
            invalid.append(row)
            continue
        if normalised != row.phone:
            model.objects.filter(pk=row.pk).update(phone=normalised)
    for row in invalid:
        out.write(f"\n  Téléphone invalide conservé tel quel : {describe(row)} : « {row.phone} »")
    return invalid
