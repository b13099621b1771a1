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


def build_all(demo):
    """Adds every part's demo objects to ``demo``; two parts may not use the same name (one
    would silently replace the other's object)."""
    for part in parts():
        if not hasattr(part, "build"):
            continue
        built = part.build(demo)
        taken = sorted(set(built) & set(vars(demo)))
        assert taken == [], f"{part.__name__} : noms déjà pris dans la démo : {taken}"
        vars(demo).update(built)
