"""The English of libxml2 (syntax errors) and of its schema validator, said in French.

An import message is read by the person who runs the import: it never passes the parser's
English through. Syntax errors are told by their error code; schema errors by the few forms
of message the validator writes, and without detail when the form is not known.
"""

import re

from lxml import etree

_ERROR_NAMES = {
    getattr(etree.ErrorTypes, name): name for name in dir(etree.ErrorTypes) if name.isupper()
}

SYNTAX = {
    "ERR_UNDECLARED_ENTITY": "entité inconnue (écrivez « &amp; » pour une esperluette)",
    "ERR_NAME_REQUIRED": (
        "nom attendu après « & » ou « < » (dans un texte, écrivez « &amp; » et « &lt; »)"
    ),
    "ERR_ENTITYREF_SEMICOL_MISSING": "« ; » manquant après une entité (« &amp; »)",
    "ERR_ATTRIBUTE_NOT_STARTED": "valeur d'attribut sans guillemets",
    "ERR_ATTRIBUTE_WITHOUT_VALUE": "attribut sans valeur",
    "ERR_ATTRIBUTE_REDEFINED": "attribut répété dans une même balise",
    "ERR_LT_IN_ATTRIBUTE": "« < » dans une valeur d'attribut (écrivez « &lt; »)",
    "ERR_DOCUMENT_END": "contenu après la fin du document (après la balise </lheo>)",
    "ERR_GT_REQUIRED": "balise non terminée (« > » manquant)",
    "ERR_LTSLASH_REQUIRED": "balise de fin attendue",
    "ERR_TAG_NOT_FINISHED": "élément non fermé",
    "ERR_TAG_NAME_MISMATCH": "la balise de fin ne correspond pas à l'élément ouvert",
    "ERR_COMMENT_NOT_FINISHED": "commentaire non terminé",
    "ERR_CDATA_NOT_FINISHED": "section CDATA non terminée",
    "ERR_RESOURCE_LIMIT": "texte trop long dans un élément (plus de 10 millions de caractères)",
    "ERR_SPACE_REQUIRED": "espace attendue entre deux attributs",
    "ERR_RESERVED_XML_NAME": "déclaration XML (<?xml … ?>) ailleurs qu'au tout début",
    "ERR_STRING_NOT_CLOSED": "guillemet non fermé",
    "ERR_STRING_NOT_STARTED": "guillemet attendu",
    "NS_ERR_UNDEFINED_NAMESPACE": "préfixe d'espace de noms non déclaré",
    "NS_ERR_XML_NAMESPACE": "déclaration d'espace de noms incorrecte",
}
_MISMATCH = re.compile(r"mismatch: (?P<opened>\S+) line (?P<line>\d+) and (?P<closed>[^,\s]+)")
_ENTITY = re.compile(r"Entity '(?P<name>[^']+)' not defined")


def error_name(code):
    return _ERROR_NAMES.get(code, "")


def syntax_detail(error):
    """What a libxml2 syntax error says, in French."""
    name = error_name(error.code)
    mismatch = _MISMATCH.search(error.msg)
    if name == "ERR_TAG_NAME_MISMATCH" and mismatch:
        return (
            f"la balise de fin </{mismatch['closed']}> ferme l'élément <{mismatch['opened']}> "
            f"ouvert ligne {mismatch['line']}"
        )
    entity = _ENTITY.search(error.msg)
    if name == "ERR_UNDECLARED_ENTITY" and entity:
        return f"entité « &{entity['name']}; » inconnue (écrivez « &amp; » pour une esperluette)"
    return SYNTAX.get(name, "syntaxe XML incorrecte")


def _names(listed):
    names = [name.strip() for name in listed.split(",")]
    return ", ".join(f"<{name}>" for name in names if name)


def _length(match):
    bound = {"exceeds": "au plus", "underruns": "au moins"}.get(match["how"], "exactement")
    return f"{match['actual']} caractères au lieu de {match['allowed']} {bound}"


SCHEMA = [
    (
        re.compile(r"This element is not expected\. Expected is (?:one of )?\( (?P<names>.*) \)"),
        lambda m: f"élément inattendu ici ; attendu : {_names(m['names'])}",
    ),
    (re.compile(r"This element is not expected\."), lambda m: "élément inattendu ici"),
    (
        re.compile(r"Missing child element\(s\)\. Expected is (?:one of )?\( (?P<names>.*) \)"),
        lambda m: f"élément manquant ; attendu : {_names(m['names'])}",
    ),
    (
        re.compile(
            r"\[facet 'enumeration'\] The value '(?P<value>.*)' is not an element of the set "
            r"\{(?P<set>.*)\}"
        ),
        lambda m: f"« {m['value']} » n'est pas parmi les valeurs permises ({m['set']})",
    ),
    (
        re.compile(r"\[facet 'pattern'\] The value '(?P<value>.*)' is not accepted by the pattern"),
        lambda m: f"« {m['value']} » n'a pas le format attendu",
    ),
    (
        re.compile(
            r"\[facet '(?:maxLength|minLength|length)'\] The value has a length of "
            r"'(?P<actual>\d+)'; this (?P<how>exceeds|underruns|differs from) the allowed "
            r"(?:maximum |minimum )?length of '(?P<allowed>\d+)'"
        ),
        _length,
    ),
    (
        re.compile(
            r"'(?P<value>.*)' is not a valid value of the (?:atomic|list|union) type "
            r"'(?P<type>[^']+)'"
        ),
        lambda m: f"« {m['value']} » n'est pas une valeur du type {m['type']}",
    ),
    (re.compile(r"The attribute '(?P<name>[^']+)' is not allowed"), lambda m: "attribut non prévu"),
    (
        re.compile(r"The attribute '(?P<name>[^']+)' is required but missing"),
        lambda m: f"attribut « {m['name']} » obligatoire absent",
    ),
    (
        re.compile(r"Character content other than whitespace is not allowed"),
        lambda m: "du texte est écrit là où seuls des éléments sont permis",
    ),
    (
        re.compile(r"Element content is not allowed"),
        lambda m: "un élément est écrit là où seul du texte est permis",
    ),
]
_NAMESPACE = re.compile(r"\{[a-z]+:[^}]*\}")


def schema_detail(message):
    """What a schema validation message says, in French; "" for a form not known."""
    message = _NAMESPACE.sub("", message)
    for pattern, say in SCHEMA:
        match = pattern.search(message)
        if match:
            return say(match)
    return ""
