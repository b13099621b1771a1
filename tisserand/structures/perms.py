"""Who may do what with structures and their members. Plain predicates, default deny.

Each takes the current membership (``None`` for a user acting for no structure).
"""

from tisserand.core.permissions import acts_for_a_structure
from tisserand.structures.roles import Capability, has_capability


def _acts_for(membership, structure, capability):
    return has_capability(membership, capability) and membership.structure_id == structure.pk


def can_browse_directory(membership):
    """The directory of the network's structures (names, addresses) is open to every member."""
    return acts_for_a_structure(membership)


def can_see_own_members(membership):
    return has_capability(membership, Capability.SEE_MEMBERS)


def can_manage_own_members(membership):
    return has_capability(membership, Capability.MANAGE_MEMBERS)


def can_read_own_access_log(membership):
    return has_capability(membership, Capability.READ_ACCESS_LOG)


def can_view_members(membership, structure):
    return _acts_for(membership, structure, Capability.SEE_MEMBERS)


def can_manage_members(membership, structure):
    return _acts_for(membership, structure, Capability.MANAGE_MEMBERS)


def can_edit_structure(membership, structure):
    return _acts_for(membership, structure, Capability.MANAGE_MEMBERS)


def can_read_access_log(membership, structure):
    return _acts_for(membership, structure, Capability.READ_ACCESS_LOG)


def can_view_structure_history(membership, structure):
    return _acts_for(membership, structure, Capability.READ_STRUCTURE_HISTORY)


def can_deactivate_membership(membership, target):
    """An administrator deactivates members of their structure, but not their own admin seat."""
    return can_manage_members(membership, target.structure) and target.pk != membership.pk
