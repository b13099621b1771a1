"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests themselves (fixtures) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = {"serious", "critical"}
# Generous: CI shares two cores with the live server and Chromium; a slow machine must not
# fail a journey that works.
ACTION_TIMEOUT_MS = 30_000
expect.set_options(timeout=ACTION_TIMEOUT_MS)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """assert_accessible(page): axe-core finds no serious or critical violation."""

    def check(page):
        results = axe.run(page)
        blocking = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in results.response["violations"]
            if v["impact"] in BLOCKING_IMPACTS
        ]
        assert not blocking, f"{page.url}:\n" + "\n".join(blocking)

    return check


@pytest.fixture
def login(page):
    """login(email, password): logs in through the real login form."""

    def do_login(email, password):
        page.goto("/compte/login/")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()

    return do_login
