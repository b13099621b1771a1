"""The exit typology: which contract types each exit type (or situation at 6 months) allows.

This is data, read by the forms (choices refused next to the field), the services (the rule)
and the models (a check constraint built from the same table, so the database refuses an
incoherent exit too). Codes are those of the ``exit_type`` and ``contract_type`` vocabularies.
An empty contract type is always coherent here (whether one is required is
``services.exit_needs_contract``); an exit type absent from the table (a term added later)
allows any contract until it is given its line.
"""

from django.db.models import Q

ALLOWED_CONTRACTS = {
    # Emploi durable
    "cdi": ("cdi", "cdi_temp_work"),
    "cdd_6_months_plus": (
        "cdd",
        "cdd_tremplin",
        "apprenticeship",
        "professionalisation",
        "public_contract_agent",
    ),
    "temp_work_6_months_plus": ("temp_work",),
    "civil_service": ("civil_servant", "public_contract_agent"),
    "business_creation": (),
    # Emploi de transition
    "cdd_under_6_months": ("cdd", "cdd_tremplin", "public_contract_agent"),
    "temp_work_under_6_months": ("temp_work",),
    "subsidised_contract": ("pec_cui",),
    # Sortie positive
    "qualifying_training": ("apprenticeship", "professionalisation"),
    "siae_hire": ("cddi", "ctti"),
    # Autre sortie: no contract
    "job_seeker": (),
    "inactive": (),
    "moved_away": (),
    "lost_contact": (),
    "health": (),
    "dropped_out": (),
    "other_reason": (),
}


def allows(exit_type, contract_type):
    """Whether ``contract_type`` ("" for none) is coherent with ``exit_type``."""
    if not contract_type or exit_type not in ALLOWED_CONTRACTS:
        return True
    return contract_type in ALLOWED_CONTRACTS[exit_type]


def coherence_condition(type_field, contract_field):
    """The check-constraint condition of ``allows`` on two fields of a model."""
    condition = Q(**{contract_field: ""}) | ~Q(**{f"{type_field}__in": list(ALLOWED_CONTRACTS)})
    for exit_type, contracts in ALLOWED_CONTRACTS.items():
        if contracts:
            condition |= Q(**{type_field: exit_type, f"{contract_field}__in": list(contracts)})
    return condition


# The « positive » flag of the typology: the exit types funders count as positive exits
# (PLIE and ESF+ reports: a durable job, a qualifying training or a hire by an insertion
# structure). Data read by the reporting's indicators; a change here is a new version of them.
POSITIVE_EXIT_TYPES = frozenset(
    {
        "cdi",
        "cdd_6_months_plus",
        "temp_work_6_months_plus",
        "civil_service",
        "business_creation",
        "qualifying_training",
        "siae_hire",
    }
)
# Exit types (or situations at 6 months) that are a job (durable or transition, or an
# insertion structure's contract).
EMPLOYMENT_EXIT_TYPES = frozenset(
    {
        "cdi",
        "cdd_6_months_plus",
        "temp_work_6_months_plus",
        "civil_service",
        "business_creation",
        "cdd_under_6_months",
        "temp_work_under_6_months",
        "subsidised_contract",
        "siae_hire",
    }
)
