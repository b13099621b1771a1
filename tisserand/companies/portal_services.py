"""What a leader changes from the portal, under the services contract."""

from django.db import transaction

from tisserand.companies.models import Need
from tisserand.core import timeline


@transaction.atomic
def update_need_description(need, *, data, actor):
    """The leader adds precisions to a need of their company (the routing is the officers')."""
    before = timeline.stored_snapshot(need, ["description"])
    need = Need.objects.select_for_update().get(pk=need.pk)
    need.description = data.get("description", "")
    need.save(update_fields=["description"])
    timeline.record_changes(
        need, before, actor=actor.user, structure=actor.structure, about=need.establishment
    )
    return need
