"""Benchmark of the guidance engine: speed and quality, on the shipped ROME 4.60 and labour data.

    .venv/bin/python bench/guidance_ranking.py [--profiles 200] [--quality-sample 1] [--requests 60]

Runs on a throw-away test database (a temporary SQLite file, or a test database on the
PostgreSQL server of DATABASE_URL), loaded with the reference data the project ships (ROME,
NAF, hirings, tensions, communes). Prints:

- the time to load the catalogue from the database (once per process and ROME version);
- ranking all fiches for one profile (the engine alone, then with the French explanations of
  the first 20): median and p95 over profiles built from real job titles (target ≤ 20 ms);
- the public results page, server side, through Django's test client (target ≤ 200 ms);
- quality: for a profile built from a single held job (its skills, its RIASEC code and interest
  centres), how many of that job's official mobilities rank in the top 10 and top 20 when the
  mobility signal is off (skills and interests alone), then on. ``--quality-sample k`` takes one
  fiche in k (1 = all 1,584);
- the same figures for the ROME's own proximities tried as signals (macro-skills, professional
  domain, work contexts), alone and added to today's engine with a small weight, beside today's
  engine and the skills alone.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tisserand.settings")
os.environ.setdefault("TISSERAND_ENV", "test")
ROUBAIX = "59512"

# The engine is plain Python: importable before Django is set up.
from tisserand.guidance.engine.explain import EMPLOYERS_SHOWN  # noqa: E402
from tisserand.guidance.engine.scoring import COMPONENT_LABELS, COMPONENTS  # noqa: E402


def quiet():
    class Sink:
        def write(self, text):
            pass

    return Sink()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def ms(seconds):
    return f"{seconds * 1000:7.2f} ms"


def load_reference_data():
    from tisserand.referentials.geo.loader import load_shipped_territory
    from tisserand.referentials.rome.loader import load as load_rome
    from tisserand.referentials.vocabularies.loading import load_vocabularies

    started = time.perf_counter()
    load_shipped_territory(quiet())
    load_rome(quiet())
    load_vocabularies()
    return time.perf_counter() - started


def profiles(catalogue, count):
    """Profiles of real persons' shape: one held job (its skills), a commune, a RIASEC code."""
    from tisserand.guidance.engine import HeldJob, Profile

    step = max(1, len(catalogue) // count)
    chosen = catalogue.occupations[::step][:count]
    return [
        Profile(
            held_jobs=(HeldJob(o.code, o.label, 3.0, True),),
            skills=frozenset(o.skills),
            interests=frozenset(o.main_interests),
            riasec=o.riasec,
            qualification_level=3,
        )
        for o in chosen
    ]


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def bench_ranking(catalogue, demand, count):
    from tisserand.guidance.engine import rank

    engine_times, explained_times = [], []
    for profile in profiles(catalogue, count):
        elapsed, ranking = timed(rank, catalogue, profile, demand=demand)
        engine_times.append(elapsed)
        elapsed_top, _ = timed(ranking.top, 20)
        explained_times.append(elapsed + elapsed_top)
    return engine_times, explained_times


def bench_public_page(catalogue, requests):
    from django.test import Client
    from django.urls import reverse

    from tisserand.guidance import loading, ratelimit
    from tisserand.guidance.profiles import JobEntry, ProfileData

    ratelimit.PAGES = (10**9, 60)
    by_fiche = {}
    for code, (_, fiche) in sorted(loading.appellation_index().items()):
        by_fiche.setdefault(fiche, code)
    client = Client()
    times = []
    step = max(1, len(catalogue) // requests)
    for occupation in catalogue.occupations[::step][:requests]:
        data = ProfileData(
            jobs=[JobEntry(by_fiche[occupation.code], 3.0, True)],
            skills=list(occupation.skills),
            riasec_code=occupation.riasec,
            commune=ROUBAIX,
            radius_km=20,
        )
        url = f"{reverse('guidance:results')}?p={data.to_token()}"
        elapsed, response = timed(client.get, url)
        assert response.status_code == 200, response.status_code
        times.append(elapsed)
    return times


# --- quality ---------------------------------------------------------------------------------

# The first pass's weights (skills relative to the closest fiche, mean over the components that
# apply, no « same employers » signal, every skill of the job held pre-ticked), reproduced from
# the engine's components so that the benchmark prints the figures before and after.
PREVIOUS = {"skills": 0.35, "interests": 0.15, "mobility": 0.25, "demand": 0.15, "access": 0.10}
EXAMPLES = (("N1101", "N4105"), ("N1105", "N4105"))


def single_job_profile(occupation):
    """Someone who held one job: nothing ticked, the fiche's RIASEC code and interests, level 3."""
    from tisserand.guidance.engine import HeldJob, Profile

    return Profile(
        held_jobs=(HeldJob(occupation.code),),
        riasec=occupation.riasec,
        interests=frozenset(occupation.interests),
        qualification_level=3,
    )


def previous_totals(ranking, with_mobility):
    components = ranking.components
    cosine = ranking.context["skills_cosine"].copy()
    held = ranking.held
    best = cosine[~held].max() if (~held).any() else 0.0
    values = dict(components, skills=cosine / best if best > 0 else cosine)
    weights = {
        name: weight
        for name, weight in PREVIOUS.items()
        if name in ranking.weights and (with_mobility or name != "mobility")
    }
    return sum(weight * values[name] for name, weight in weights.items())


def ordered(totals, held):
    order = np.argsort(-np.round(totals, 12), kind="stable")
    return order[~held[order]]


class Tally:
    """Shares measured over single-job profiles, for one way of ranking."""

    def __init__(self, label):
        self.label = label
        self.found = {10: 0, 20: 0}
        self.mobility_share = {10: 0, 20: 0}
        self.employers_share = {10: 0, 20: 0}
        self.targets = self.profiles = 0
        self.contributions = {}

    def add(self, order, targets, employers, contributions=None):
        self.profiles += 1
        self.targets += len(targets)
        for size in (10, 20):
            top = order[:size]
            hits = sum(1 for at in top.tolist() if at in targets)
            self.found[size] += hits
            self.mobility_share[size] += hits / size
            self.employers_share[size] += float((employers[top] >= EMPLOYERS_SHOWN).mean())
        for name, value in (contributions or {}).items():
            self.contributions[name] = self.contributions.get(name, 0.0) + value

    def line(self):
        n = max(self.profiles, 1)
        recall = " / ".join(f"{self.found[size] / max(self.targets, 1):5.1%}" for size in (10, 20))
        mobility = " / ".join(f"{self.mobility_share[size] / n:4.0%}" for size in (10, 20))
        employers = " / ".join(f"{self.employers_share[size] / n:4.0%}" for size in (10, 20))
        return (
            f"  {self.label:<56} retrouvées {recall}   top 10/20 : mobilités {mobility}, "
            f"mêmes employeurs {employers}"
        )


def quality(catalogue, demand, sample):
    """Tallies before/after, mobility off/on, and each signal's share of the top 20 score."""
    from tisserand.guidance.engine import DEFAULT_WEIGHTS, rank

    tallies = {
        key: Tally(label)
        for key, label in (
            ("before_off", "avant, mobilité coupée"),
            ("before_on", "avant, mobilité comprise"),
            ("after_off", "après, mobilité coupée"),
            ("after_on", "après, mobilité comprise"),
        )
    }
    ranks = {}
    for occupation in catalogue.occupations[::sample]:
        profile = single_job_profile(occupation)
        targets = {catalogue.position[t] for t in occupation.mobilities if t in catalogue.position}
        on = rank(catalogue, profile, demand=demand)
        off = rank(catalogue, profile, demand=demand, weights=DEFAULT_WEIGHTS.without("mobility"))
        employers = on.components["employers"]
        for key, ranking, with_mobility in (("before_off", off, False), ("before_on", on, True)):
            order = ordered(previous_totals(ranking, with_mobility), on.held)
            tallies[key].add(order, targets, employers)
            ranks.setdefault(occupation.code, {})[key] = order
        top = on.order[:20]
        score = max(float(on.totals[top].sum()), 1e-12)
        contributions = {
            name: float((weight * on.components[name][top] * on.factors[top]).sum())
            / on.total_weight
            / score
            for name, weight in on.weights.items()
        }
        tallies["after_off"].add(off.order, targets, employers)
        tallies["after_on"].add(on.order, targets, employers, contributions)
        ranks[occupation.code]["after_off"] = off.order
        ranks[occupation.code]["after_on"] = on.order
    return tallies, ranks


def print_quality(catalogue, demand, sample):
    from tisserand.guidance.engine import DEFAULT_WEIGHTS

    tallies, ranks = quality(catalogue, demand, sample)
    print(
        "Qualité, profils d'un seul métier exercé (rien de coché, intérêts et RIASEC de la fiche, "
        f"niveau 3, bassin de Roubaix ; 1 fiche sur {sample})"
    )
    print(
        "  mobilités officielles retrouvées (top 10 / top 20), part des mobilités officielles et "
        "des voisins « mêmes employeurs » dans le top 10 / 20 :"
    )
    for tally in tallies.values():
        print(tally.line())
    after = tallies["after_on"]
    shares = ", ".join(
        f"{COMPONENT_LABELS[name].lower()} {value / max(after.profiles, 1):.0%}"
        for name, value in after.contributions.items()
    )
    print(f"  part de chaque signal dans le score du top 20 (après) : {shares}")
    weights = ", ".join(f"{name} {getattr(DEFAULT_WEIGHTS, name):.2f}" for name in COMPONENTS)
    print(f"  poids (après) : {weights}")
    for source, target in EXAMPLES:
        if source not in ranks:
            continue
        at = catalogue.position[target]
        places = ", ".join(
            f"{tallies[key].label} {list(order).index(at) + 1}e"
            for key, order in ranks[source].items()
        )
        print(f"  {source} → {target} : {places}")
    mean = sum(len(o.mobilities) for o in catalogue.occupations) / len(catalogue)
    print(f"  ({mean:.1f} mobilités officielles par fiche en moyenne ; le métier exercé est exclu)")


# --- candidate signals: the ROME's own proximities -------------------------------------------

# Issue 10 asked to measure the ROME's own proximities as signals: a held job's neighbours by
# macro-skills (skill families), by professional domain (the code's letter and first three
# characters) and by work contexts (bloc 6, imported as ``Occupation.contexts``). Each is
# measured alone and added to today's engine with a small weight. The engine keeps none (on
# ROME 4.60): macro-skills are already features of the skills cosine (families), so adding them
# re-weighs skills for a point or two; the domain lifts the figures without mobility only because
# a third of the official mobilities stay in the job's domain (2 % by chance), lowers them with
# mobility and pulls the top back into the person's own trade; the work contexts alone find
# little (they serve as constraints). These figures document that decision.
CANDIDATE_LABELS = {
    "macro": "macro-compétences",
    "domain": "domaine professionnel",
    "contexts": "contextes de travail",
}
# The weight of a candidate measured alone (the skills' weight) and the small weights it is
# tried at beside today's signals.
ALONE_WEIGHT = 0.35
ADDED_WEIGHTS = (0.05, 0.10)
SAME_MAJOR_DOMAIN = 0.5


def unit_rows(catalogue, features_of):
    """Each fiche's rarity-weighted feature set as a unit row (the employers' shape)."""
    codes = sorted({f for o in catalogue.occupations for f in features_of(o)})
    column = {code: at for at, code in enumerate(codes)}
    matrix = np.zeros((catalogue.size, max(len(codes), 1)))
    for at, occupation in enumerate(catalogue.occupations):
        for feature in features_of(occupation):
            matrix[at, column[feature]] = 1.0
    matrix *= np.log((catalogue.size + 1) / (matrix.sum(axis=0) + 1)) + 1.0
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def macro_skills_of(catalogue):
    def features(occupation):
        found = set()
        for code in occupation.skills:
            skill = catalogue.skills.get(code)
            if skill is not None and (skill.is_macro or skill.macro is not None):
                found.add(code if skill.is_macro else skill.macro)
        return found

    return features


def candidate_signals(catalogue):
    """{name: function(row of the job held) → 0–1 score of every fiche}."""
    macro = unit_rows(catalogue, macro_skills_of(catalogue))
    contexts = unit_rows(catalogue, lambda occupation: set(occupation.contexts))
    codes = [o.code for o in catalogue.occupations]
    domains = np.array([code[:3] for code in codes])
    letters = np.array([code[:1] for code in codes])

    def domain(row):
        same = (domains == domains[row]).astype(float)
        return np.maximum(same, SAME_MAJOR_DOMAIN * (letters == letters[row]))

    return {
        "macro": lambda row: macro @ macro[row],
        "domain": domain,
        "contexts": lambda row: contexts @ contexts[row],
    }


def combined_totals(ranking, weights, extra=None):
    """Totals of ``ranking``'s components at ``weights`` ({name: weight}), plus (weight,
    values) of a candidate; the order only, so no division by the sum of the weights."""
    total = sum(weight * ranking.components[name] for name, weight in weights.items())
    if extra is not None:
        total = total + extra[0] * extra[1]
    return total * ranking.factors


def candidate_variants(engine_weights):
    """(key, label, weights without mobility, candidate weight or None) of each way of ranking;
    the mobility signal is added at its engine weight for the « on » figures."""
    without = {k: w for k, w in engine_weights.items() if k != "mobility"}
    yield "engine", "moteur actuel", without, None, None
    yield "skills", "compétences seules", {"skills": without["skills"]}, None, None
    for name, label in CANDIDATE_LABELS.items():
        yield f"{name} alone", f"{label} seul", {}, name, ALONE_WEIGHT
        for weight in ADDED_WEIGHTS:
            yield f"{name} {weight}", f"moteur + {label} ({weight:.2f})", without, name, weight


def candidates_quality(catalogue, demand, sample):
    """Tallies (mobility off, on) of today's engine, skills alone and each candidate."""
    from tisserand.guidance.engine import rank

    signals = candidate_signals(catalogue)
    tallies = {}
    for occupation in catalogue.occupations[::sample]:
        ranking = rank(catalogue, single_job_profile(occupation), demand=demand)
        row = catalogue.position[occupation.code]
        targets = {catalogue.position[t] for t in occupation.mobilities if t in catalogue.position}
        employers = ranking.components["employers"]
        values = {name: signal(row) for name, signal in signals.items()}
        mobility = ranking.weights.get("mobility", 0.0)
        for key, label, weights, candidate, weight in candidate_variants(ranking.weights):
            extra = None if candidate is None else (weight, values[candidate])
            for on in (False, True):
                chosen = dict(weights, mobility=mobility) if on else weights
                totals = combined_totals(ranking, chosen, extra)
                state = "mobilité comprise" if on else "mobilité coupée"
                tally = tallies.setdefault((key, on), Tally(f"{label}, {state}"))
                tally.add(ordered(totals, ranking.held), targets, employers)
    return tallies


def print_candidates(catalogue, demand, sample):
    print(
        "Proximités du ROME mesurées comme signaux candidats (mêmes profils ; seul : au poids "
        f"des compétences, {ALONE_WEIGHT:.2f} ; ajouté : à côté des signaux d'aujourd'hui) :"
    )
    for tally in candidates_quality(catalogue, demand, sample).values():
        print(tally.line())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=200)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--quality-sample", type=int, default=1)
    args = parser.parse_args()

    import django
    from django.conf import settings

    with tempfile.TemporaryDirectory() as folder:
        django.setup()
        database = settings.DATABASES["default"]
        if database["ENGINE"].endswith("sqlite3"):
            database.setdefault("TEST", {})["NAME"] = str(Path(folder) / "bench.sqlite3")
        from django.db import connection

        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            run(args, connection.vendor)
        finally:
            connection.creation.destroy_test_db(database["NAME"], verbosity=0)


def run(args, vendor):
    from tisserand.guidance import loading

    loaded = load_reference_data()
    load_time, catalogue = timed(loading.current_catalogue)
    area = loading.area_of(ROUBAIX)
    demand_time, demand = timed(loading.demand_for, area.bassin_code, area.bassin_label)
    print(f"Orientation — ROME {catalogue.version}, {len(catalogue)} fiches, base {vendor}")
    print(f"  chargement des données de référence livrées : {loaded:6.1f} s")
    print(f"  catalogue chargé depuis la base (une fois)  : {load_time:6.2f} s")
    print(f"  demande du bassin {area.bassin_code} (une fois)          : {demand_time:6.2f} s")

    engine, explained = bench_ranking(catalogue, demand, args.profiles)
    print(f"Classement de toutes les fiches pour un profil ({len(engine)} profils)")
    print(
        f"  moteur seul          : médiane {ms(statistics.median(engine))}, "
        f"p95 {ms(percentile(engine, 0.95))}"
    )
    print(
        f"  + explications (20)  : médiane {ms(statistics.median(explained))}, "
        f"p95 {ms(percentile(explained, 0.95))}   (cible : médiane ≤ 20 ms)"
    )

    page = bench_public_page(catalogue, args.requests)
    print(f"Page publique des résultats ({len(page)} requêtes, serveur, à chaud)")
    print(
        f"  médiane {ms(statistics.median(page))}, p95 {ms(percentile(page, 0.95))}"
        "   (cible : ≤ 200 ms)"
    )

    print_quality(catalogue, demand, args.quality_sample)
    print_candidates(catalogue, demand, args.quality_sample)


if __name__ == "__main__":
    main()
