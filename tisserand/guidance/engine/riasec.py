"""RIASEC (Holland) profiles: a short questionnaire giving a two-letter code, and how close two
codes are on Holland's hexagon (R–I–A–S–E–C, neighbours alike, opposites unlike)."""

from collections.abc import Mapping
from dataclasses import dataclass

LETTERS = "RIASEC"
LETTER_LABELS = {
    "R": "Réaliste (concret, manuel, technique)",
    "I": "Investigateur (comprendre, analyser, chercher)",
    "A": "Artistique (créer, imaginer, s'exprimer)",
    "S": "Social (aider, soigner, transmettre)",
    "E": "Entreprenant (convaincre, décider, diriger)",
    "C": "Conventionnel (organiser, classer, vérifier)",
}
# Similarity by distance on the hexagon: same letter, neighbour, one apart, opposite.
_SIMILARITY_BY_DISTANCE = (1.0, 0.5, 0.2, 0.0)
ANSWERS = (
    (0, "Pas du tout"),
    (1, "Un peu"),
    (2, "Beaucoup"),
)


@dataclass(frozen=True)
class Question:
    key: str
    letter: str
    text: str


QUESTIONS = (
    Question("r1", "R", "Réparer, monter ou fabriquer des objets, des meubles, des machines"),
    Question(
        "i1", "I", "Comprendre comment les choses fonctionnent, chercher l'origine d'une panne"
    ),
    Question("a1", "A", "Dessiner, décorer, imaginer des objets ou des espaces"),
    Question("s1", "S", "Aider, soigner ou conseiller des personnes"),
    Question("e1", "E", "Convaincre, vendre, négocier"),
    Question("c1", "C", "Classer, ranger, tenir des dossiers à jour"),
    Question("r2", "R", "Travailler dehors ou en atelier, avec des outils"),
    Question("i2", "I", "Faire des expériences, des analyses, des calculs"),
    Question("a2", "A", "Écrire, faire de la musique, du théâtre ou de la photo"),
    Question("s2", "S", "Expliquer, transmettre, faire apprendre"),
    Question("e2", "E", "Prendre des décisions, diriger un projet ou une équipe"),
    Question("c2", "C", "Suivre des procédures précises, vérifier des chiffres"),
    Question("r3", "R", "Conduire un véhicule ou un engin"),
    Question("i3", "I", "Apprendre sur les sciences, la santé, les techniques"),
    Question("a3", "A", "Trouver des idées originales, créer quelque chose de nouveau"),
    Question("s3", "S", "Écouter les autres, les accompagner dans leurs difficultés"),
    Question("e3", "E", "Créer ou développer une activité, une entreprise"),
    Question("c3", "C", "Utiliser des tableaux, des logiciels de gestion, organiser un planning"),
)
QUESTION_KEYS = tuple(question.key for question in QUESTIONS)
MAX_PER_LETTER = 2 * sum(1 for question in QUESTIONS if question.letter == "R")


def scores(answers: Mapping[str, object]) -> dict[str, int]:
    """{letter: points} from {question key: 0, 1 or 2}; unknown keys and values are ignored."""
    totals = dict.fromkeys(LETTERS, 0)
    valid = {value for value, _ in ANSWERS}
    for question in QUESTIONS:
        value = answers.get(question.key)
        if value in valid:
            totals[question.letter] += value
    return totals


def code_from_answers(answers: Mapping[str, object]) -> str:
    """The two letters with the most points (ties in R-I-A-S-E-C order); "" when no answer
    scored, one letter when only one letter scored."""
    totals = scores(answers)
    ranked = sorted(
        (letter for letter in LETTERS if totals[letter] > 0),
        key=lambda letter: (-totals[letter], LETTERS.index(letter)),
    )
    return "".join(ranked[:2])


def is_valid_code(code: object) -> bool:
    return (
        isinstance(code, str)
        and len(code) <= 2
        and all(letter in LETTERS for letter in code)
        and len(set(code)) == len(code)
    )


def letter_similarity(first: str, second: str) -> float:
    """1 for the same letter, 0.5 for neighbours, 0.2 one apart, 0 for opposites."""
    distance = abs(LETTERS.index(first) - LETTERS.index(second))
    return _SIMILARITY_BY_DISTANCE[min(distance, 6 - distance)]


def similarity_matrix() -> list[list[float]]:
    """7×7 list: letters R..C then index 6 for "no letter" (similarity 0)."""
    size = len(LETTERS) + 1
    return [
        [letter_similarity(LETTERS[i], LETTERS[j]) if i < 6 and j < 6 else 0.0 for j in range(size)]
        for i in range(size)
    ]


def describe(code: str) -> str:
    return ", ".join(LETTER_LABELS[letter] for letter in code)
