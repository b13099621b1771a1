import gzip

import pytest
from django.conf import settings

DEMO_FILE = settings.BASE_DIR / "data" / "trainings" / "demo-formations-roubaix.lheo-2.3.xml.gz"
ONISEP_FILE = settings.BASE_DIR.parent / "shared" / "data" / "lheo" / "exemple-onisep-lheo-2.2.xml"
DEMO_ENCODING = "iso-8859-15"


def demo_bytes():
    return gzip.decompress(DEMO_FILE.read_bytes())


def demo_text():
    return demo_bytes().decode(DEMO_ENCODING)


def mutated(old, new, *, count=1, text=None):
    """The demo file (ISO-8859-15 bytes) with ``old`` replaced by ``new``."""
    text = demo_text() if text is None else text
    assert old in text, old
    return text.replace(old, new, count).encode(DEMO_ENCODING, "xmlcharrefreplace")


def line_of(data, needle, encoding=DEMO_ENCODING):
    text = data.decode(encoding) if isinstance(data, bytes) else data
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture
def demo_catalogue():
    from tisserand.referentials.trainings.importer import import_lheo_file

    return import_lheo_file(DEMO_FILE, is_demo=True)


# Centroids of La Poste (shared/data/geo/laposte_hexasmal.csv).
CENTROIDS = {
    "59512": ("Roubaix", 50.6879774811, 3.18258434623),
    "59367": ("Lys-lez-Lannoy", 50.6721775091, 3.2172382556),
    "59599": ("Tourcoing", 50.7254418902, 3.15882757215),
    "59350": ("Lille", 50.6317183168, 3.04783272312),
    "29233": ("Quimperlé", 47.8724, -3.5496),
}


def make_communes():
    """The communes of the demo (and Quimperlé), with their La Poste centroids."""
    from tisserand.referentials.geo.models import Commune
    from tisserand.referentials.geo.text import search_key

    return Commune.objects.bulk_create(
        Commune(
            insee_code=code, name=name, search_name=search_key(name), latitude=lat, longitude=lon
        )
        for code, (name, lat, lon) in CENTROIDS.items()
    )


@pytest.fixture
def communes():
    return make_communes()
