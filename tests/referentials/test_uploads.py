"""The one reader of uploaded files: what it reads, and the French refusals it names."""

import codecs

import pytest

from tisserand.referentials import uploads
from tisserand.referentials.uploads import UnreadableFile


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (codecs.BOM_UTF8 + "a;é\n".encode(), "a;é\n"),
        ("a;é\n".encode("utf-16"), "a;é\n"),
        ("a;é\n".encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]), "a;é\n"),
        (b"a;b\r\n", "a;b\r\n"),
    ],
)
def test_texts_it_reads(data, text):
    assert uploads.decode(data) == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Le fichier est vide."),
        (b" \n\n", "Le fichier est vide."),
        ("a;b\nc;Hélène\n".encode("latin-1"), "Ligne 2, position 4 : caractère illisible en UTF-8"),
        (b"a;b\nc;d\x00e\n", "Ligne 2, position 4 : caractère nul (0x00)"),
        (codecs.BOM_UTF16_LE + b"a", "UTF-16 mais est tronqué"),
    ],
)
def test_texts_it_refuses(data, message):
    with pytest.raises(UnreadableFile, match=message.replace("(", r"\(").replace(")", r"\)")):
        uploads.decode(data)


@pytest.mark.parametrize(
    ("text", "delimiter"), [("a;b,c;d\n", ";"), ("a,b\n", ","), ("a\tb;c\td\n", "\t"), ("a\n", ",")]
)
def test_the_separator_is_the_one_the_header_uses_most(text, delimiter):
    assert uploads.sniff_delimiter(text) == delimiter


def test_a_csv_table_names_its_lines():
    header, rows = uploads.csv_table('A ;b\n1;"deux\nlignes"\n\n3;4\n', lower=True)
    assert header == ["a", "b"] and rows == [(2, ["1", "deux\nlignes"]), (5, ["3", "4"])]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a;b;a\n1;2;3\n",
            "Ligne 1 : la colonne « a » figure deux fois dans l'en-tête (colonnes 1 et 3)",
        ),
        ('a;b\n1;2\n"3;4\n', "Ligne 3, colonne 1 : fichier tronqué ou guillemet non fermé"),
        (
            "a;b\n1;" + '"' + "x" * 140_000 + '"\n',
            "Ligne 2, colonne 2 : valeur de 140000 caractères",
        ),
        (";;\n1;2;3\n", "la ligne d'en-tête manque"),
    ],
)
def test_a_csv_table_refuses_in_french(text, message):
    with pytest.raises(UnreadableFile) as error:
        uploads.csv_table(text)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[{"a": 1,}]', "JSON illisible, ligne 1, colonne 10 : nom de propriété entre guillemets"),
        (b'{"a": [1, 2}', "JSON illisible, ligne 1, colonne 12 : virgule attendue"),
        (b"[NaN]", "JSON refusé : « NaN »"),
        (b"[-Infinity]", "JSON refusé : « -Infinity »"),
        (b'{"a": [1.5, -1e309]}', "JSON refusé : « -1e309 »"),
        (b"[" * 50_000 + b"]" * 50_000, "imbriquées trop profondément"),
        (b'["a\\u0000b"]', "JSON refusé, ligne 1, colonne 4 : un texte contient le caractère nul"),
        (b"[" + b"1" * 5000 + b"]", "trop long"),
    ],
)
def test_json_refusals_say_where_and_why(data, message):
    with pytest.raises(UnreadableFile) as error:
        uploads.load_json(data)
    assert message in str(error.value)


def test_an_escaped_backslash_before_u0000_is_no_nul():
    assert uploads.load_json(b'["a\\\\u0000b"]') == ["a\\u0000b"]


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\moi\\offres.csv", "offres.csv"),
        ("of\x00fr\nes.csv", "offres.csv"),
        ("...", "fichier"),
        ("x" * 300 + ".csv", ("x" * 300 + ".csv")[-200:]),
    ],
)
def test_a_file_name_keeps_its_last_part(name, clean):
    assert uploads.clean_file_name(name) == clean


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+33 3 20", "'+33 3 20"),
        ("-2", "'-2"),
        ("@SOMME(A1)", "'@SOMME(A1)"),
        ("\t=1", "'\t=1"),
        ("Dupont", "Dupont"),
        (-2, -2),
        (None, None),
    ],
)
def test_an_export_keeps_a_text_from_running_as_a_formula(value, safe):
    assert uploads.safe_cell(value) == safe


def test_an_xlsx_cell_reads_as_text():
    import datetime

    assert [
        uploads.cell_text(value)
        for value in (2.0, 2.5, True, datetime.datetime(2026, 1, 31), None, " a ")
    ] == ["2", "2.5", "oui", "2026-01-31", "", "a"]
