"""« Qui a ouvert ce dossier » on the person's page, for its référent only: the openings of
the record from the access log, grouped into visits, most recent first."""

from tisserand.core.access_log import accesses_to, grouped_visits

SHOWN = 10


def visible(record_context):
    return record_context.access.is_referent


def context(record_context):
    visits = grouped_visits(accesses_to(record_context.record))
    return {"visits": visits[:SHOWN], "more": max(len(visits) - SHOWN, 0)}
