"""The national schemes that fund or support a reconversion, as shipped information."""

import json
from dataclasses import dataclass
from functools import cache

from django.conf import settings

SCHEMES_FILE = settings.BASE_DIR / "data" / "guidance" / "dispositifs.json"
INDIVIDUAL, COLLECTIVE = "individual", "collective"


@dataclass(frozen=True)
class Scheme:
    code: str
    title: str
    audience: str
    what: str
    conditions: str
    how: str
    situations: tuple
    min_years: float | None = None
    max_level: int | None = None


@cache
def _load():
    data = json.loads(SCHEMES_FILE.read_text(encoding="utf-8"))
    schemes = tuple(
        Scheme(
            code=item["code"],
            title=item["title"],
            audience=item["for"],
            what=item["what"],
            conditions=item["conditions"],
            how=item["how"],
            situations=tuple(item["situations"]),
            min_years=item.get("min_years"),
            max_level=item.get("max_level"),
        )
        for item in data["schemes"]
    )
    return data["notice"], schemes


def notice():
    return _load()[0]


def schemes_for(situation, years=None, level=None):
    """The schemes of a situation, each with a French hint when the person may not qualify."""
    result = []
    for scheme in _load()[1]:
        if situation not in scheme.situations:
            continue
        hints = []
        if scheme.min_years is not None and years is not None and years < scheme.min_years:
            hints.append(
                "L'expérience indiquée semble courte pour ce dispositif : vérifiez les conditions."
            )
        if scheme.max_level is not None and level is not None and level > scheme.max_level:
            hints.append("Votre niveau de qualification dépasse celui que vise ce dispositif.")
        result.append((scheme, hints))
    return result
