"""Each later app's part of the permission matrix, one module per app: ``EXPECTED`` (its URLs,
written with ``tests.core.matrix``) and, optionally, ``build(demo)`` returning the demo objects
its URLs need, added to the structure's demo namespace (which already holds ``structure``,
``members``, ``person``, ``commune``, ``fiche``…)."""

import importlib
import pkgutil


def parts():
    return [
        importlib.import_module(f"{__name__}.{module.name}")
        for module in pkgutil.iter_modules(__path__)
    ]
