"""Who may read the occupations referential: every member of a structure of the network."""

from tisserand.core.permissions import acts_for_a_structure


def can_read_occupations(membership):
    return acts_for_a_structure(membership)
