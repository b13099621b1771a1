"""Repairs of stored rows that a new invariant forbids, run by the data migration that comes
before the invariant's constraint (and by its tests, on the real model: no test imports a
migration). Each takes the model class, historical or real."""

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Concat, Left


def give_each_action_one_partner(plan_action_model):
    """An action with no partner is carried by the accompanying structure; an action with both
    keeps its network partner and the other one's name moves into its label (nothing is
    lost)."""
    no_partner = plan_action_model.objects.filter(
        partner_structure__isnull=True, partner_name=""
    ).select_related("objective__accompaniment")
    for action in no_partner:
        action.partner_structure_id = action.objective.accompaniment.structure_id
        action.save(update_fields=["partner_structure"])
    both = plan_action_model.objects.filter(partner_structure__isnull=False).exclude(
        partner_name=""
    )
    both.update(
        label=Left(
            Concat(F("label"), models.Value(" (avec "), F("partner_name"), models.Value(")")),
            250,
        ),
        partner_name="",
    )


def _months_after(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def set_follow_up_windows(follow_up_model):
    """Each follow-up gets its window from the setting in force; a contact recorded outside it
    is flagged ``outside_window`` (visible, not counted as the ESF+ 6-month result)."""
    SixMonthFollowUp = follow_up_model
    opens, closes = settings.FOLLOW_UP_WINDOW_MONTHS
    rows = list(SixMonthFollowUp.objects.select_related("accompaniment"))
    for row in rows:
        exit_date = row.accompaniment.exit_date
        row.window_opens_on = min(_months_after(exit_date, opens), row.due_on)
        row.window_closes_on = max(_months_after(exit_date, closes), row.due_on)
        row.outside_window = row.contacted_on is not None and not (
            row.window_opens_on <= row.contacted_on <= row.window_closes_on
        )
    SixMonthFollowUp.objects.bulk_update(
        rows, ["window_opens_on", "window_closes_on", "outside_window"], batch_size=500
    )
