"""The directory's pages for a structure of the network: publish a service (a missing thematic
is refused in French, nothing written), list its services, preview an import; the search reads
at 375 px wide. axe on each page."""

import re
from pathlib import Path

from tests.factories import TEST_PASSWORD
from tests.referentials.geo.factories import make_roubaix_area
from tests.referrals.factories import make_service
from tisserand.referrals.models import Service
from tisserand.referrals.thematics import load_thematics
from tisserand.structures.roles import Role

FILES = Path(__file__).resolve().parent.parent / "referrals" / "files"


def test_publish_a_service_then_import(page, login, make_member, structure, assert_accessible):
    load_thematics()
    area = make_roubaix_area()
    admin = make_member(Role.ADMIN, structure=structure)
    login(admin.user.email, TEST_PASSWORD)

    page.goto("/orientations/services/nouveau/")
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Nom\b")).fill("Atelier CV")
    page.get_by_label(re.compile("^Description")).fill("Atelier collectif pour rédiger son CV.")
    page.get_by_label("Zone d'éligibilité").fill("200093201")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert "Choisissez au moins une thématique" in page.locator("main").inner_text()
    assert not Service.objects.exists()
    assert_accessible(page)
    page.get_by_label(re.compile("Thématiques")).select_option(
        value="preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"
    )
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/orientations/services/[0-9a-f-]{36}/$"))
    assert_accessible(page)

    page.goto("/orientations/mes-services/")
    assert "Atelier CV" in page.locator("main").inner_text()
    assert_accessible(page)

    page.goto("/orientations/import/")
    assert_accessible(page)
    page.get_by_label(re.compile("Fichier data·inclusion")).set_input_files(
        str(FILES / "structures.json")
    )
    page.get_by_role("button", name="Prévisualiser l'import").click()
    page.wait_for_url(re.compile(r"/orientations/import/[0-9a-f-]{36}/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer l'import").click()
    page.wait_for_load_state()
    assert "Importé le" in page.locator("main").inner_text()

    make_service(name="Crèche des Trois Ponts", commune=area["roubaix"])
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/orientations/services/?thematique=famille&commune=59512")
    assert "Crèche des Trois Ponts" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
