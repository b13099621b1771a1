"""Who may read the occupations referential: every member of a structure of the network."""

from tisserand.structures.perms import is_member


def can_read_occupations(membership):
    return is_member(membership)
