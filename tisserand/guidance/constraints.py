"""The person's constraints, as ROME work contexts an occupation must not require.

Codes are this app's (stable in forms and stored profiles); each lists the ROME 4.0 work
contexts (code OGR, « contextes de travail ») it rules out.
"""

PHYSICAL_LIMITS = {
    "charges": ("Pas de port de charges lourdes", "port de charges lourdes", (300795,)),
    "debout": ("Pas de station debout prolongée", "station debout prolongée", (300800,)),
    "assis": ("Pas de station assise prolongée", "station assise prolongée", (403025,)),
    "hauteur": ("Pas de travail en hauteur", "travail en grande hauteur", (300782,)),
    "bruit": ("Pas d'environnement bruyant", "environnement bruyant", (300824,)),
    "produits": ("Pas de produits à risques", "manipulation de produits à risques", (300791,)),
    "cadence": (
        "Pas de travail répétitif ou à la chaîne",
        "travail répétitif ou cadence imposée",
        (300801, 23382),
    ),
    "exterieur": ("Pas de travail en extérieur", "travail en extérieur", (300783,)),
}
EXCLUDED_HOURS = {
    "nuit": ("Pas de travail de nuit", "travail de nuit", (300803,)),
    "week_end": (
        "Pas de travail le week-end",
        "travail le week-end ou les jours fériés",
        (23376, 23374, 300793),
    ),
    "decales": (
        "Pas d'horaires décalés ou postés",
        "horaires décalés, postés ou par roulement",
        (300805, 126450, 300808),
    ),
}

PHYSICAL_LIMIT_CHOICES = [(code, label) for code, (label, _, _) in PHYSICAL_LIMITS.items()]
EXCLUDED_HOUR_CHOICES = [(code, label) for code, (label, _, _) in EXCLUDED_HOURS.items()]


def excluded_contexts(physical_limits, excluded_hours):
    """({ROME context code}, {context code: French reason}) of the constraints chosen."""
    contexts, reasons = set(), {}
    for table, codes in ((PHYSICAL_LIMITS, physical_limits), (EXCLUDED_HOURS, excluded_hours)):
        for code in codes:
            if code not in table:
                continue
            _, reason, context_codes = table[code]
            for context in context_codes:
                contexts.add(context)
                reasons[context] = reason
    return frozenset(contexts), reasons


def labels(codes, table):
    return [table[code][0] for code in codes if code in table]
