"""Operations on a user's own account (see docs/architecture.md, "Services")."""

from typing import Any

from django.db import transaction

from tisserand.core import timeline
from tisserand.core.actor import Actor

PROFILE_FIELDS = ("first_name", "last_name")


@transaction.atomic
def update_profile(user: Any, *, data: dict[str, Any], actor: Actor) -> Any:
    """Changes ``user``'s names to ``data`` (cleaned fields) and records on the user's timeline
    what changed from the stored row."""
    before = timeline.stored_snapshot(user, PROFILE_FIELDS)
    timeline.assign(user, data).save()
    timeline.record_changes(user, before, actor=actor.user)
    return user
