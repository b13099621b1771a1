"""`make run` serves the product as its users see it: the server it starts (`make serve`) has
debug off, answers an unknown URL with the French 404 and serves the static files itself."""

import os
import signal
import socket
import subprocess
import time

import httpx
from django.conf import settings


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, process, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "le serveur s'est arrêté"
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError(f"le serveur ne répond pas sur {url}")


def test_make_serve_answers_the_french_404_with_debug_off(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tisserand.settings",
        "TISSERAND_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    for name in ("DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS", "DJANGO_SECRET_KEY"):
        env.pop(name, None)
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        page = wait_for(f"http://127.0.0.1:{port}/nexistepas/", process)
        assert page.status_code == 404
        assert "<h1>Page introuvable</h1>" in page.text
        assert "URLconf" not in page.text and "DEBUG = True" not in page.text
        css = httpx.get(f"http://127.0.0.1:{port}/static/tisserand/tisserand.css", timeout=5)
        assert css.status_code == 200
        assert "text/css" in css.headers["content-type"]
        assert (tmp_path / "static" / "tisserand" / "tisserand.css").is_file()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
