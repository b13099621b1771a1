"""Match an offer's occupation onto the ROME: by appellation code, then by label (exact,
normalised), then by a close label (rapidfuzz), then by the ROME code alone."""

from rapidfuzz import fuzz, process

from tisserand.core.text import fold
from tisserand.referentials.rome.models import Appellation, Fiche

FUZZY_CUTOFF = 88


def normalise(label):
    return " ".join(fold(label or "").split())


class OccupationResolver:
    """Loads the appellations and fiches once; resolves many offers."""

    def __init__(self):
        rows = Appellation.objects.filter(is_obsolete=False).values_list(
            "pk", "code_ogr", "label", "fiche_id", "fiche__code"
        )
        self.by_code = {}
        self.by_label = {}
        self.labels_by_fiche = {}
        for pk, code, label, fiche_id, fiche_code in rows:
            self.by_code[code] = (pk, fiche_id)
            key = normalise(label)
            self.by_label.setdefault(key, (pk, fiche_id))
            self.labels_by_fiche.setdefault(fiche_code, {})[key] = (pk, fiche_id)
        self.fiches = dict(Fiche.objects.values_list("code", "pk"))
        self.all_labels = list(self.by_label)
        self._fuzzy = {}

    def resolve(self, *, appellation_code=None, label="", rome_code=""):
        """``(appellation_id, fiche_id, how)``; ``how`` is "" when nothing matched."""
        if appellation_code:
            try:
                found = self.by_code.get(int(appellation_code))
            except (TypeError, ValueError):
                found = None
            if found:
                return found[0], found[1], "code"
        key = normalise(label)
        if key:
            found = self.by_label.get(key)
            if found:
                return found[0], found[1], "label"
            found = self._close(key, rome_code)
            if found:
                return found[0], found[1], "fuzzy"
        fiche_id = self.fiches.get((rome_code or "").upper())
        if fiche_id:
            return None, fiche_id, "rome"
        return None, None, ""

    def _close(self, key, rome_code):
        cache_key = (key, rome_code)
        if cache_key not in self._fuzzy:
            pool = self.labels_by_fiche.get((rome_code or "").upper()) or self.by_label
            best = process.extractOne(
                key, list(pool), scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_CUTOFF
            )
            self._fuzzy[cache_key] = pool[best[0]] if best else None
        return self._fuzzy[cache_key]
