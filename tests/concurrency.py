"""Many clients at the same instant against a real server, on the database the suite runs on
(SQLite by default, PostgreSQL with ``DATABASE_URL``): the harness of the capacity tests.

On PostgreSQL the server is pytest-django's live server (one thread and one connection per
request), and the scenario's code runs in the test's process.

On SQLite the test database is in memory and Django's live server shares one connection
between its threads, which would serialise everything in Python and prove nothing: the harness
starts a real server process (``manage.py runserver``, threaded) on a database file, where each
request has its own connection and the project's ``BEGIN IMMEDIATE`` transactions take the
write lock; the scenario's code runs in ``manage.py shell`` on that file. The file is migrated
once per test run and copied for each test.

Each client connects from its own loopback address (127.0.0.N), as N people would, so that the
public pages' per-client limits do not refuse them. Every client carries the same CSRF secret
in its cookie and its header; a logged-in client carries the session key ``session_key`` made
in the scenario's code. All clients wait at a barrier, then send their request together, and
follow the redirect to read the page (and its French message) they land on.

A scenario's code is Python text run with Django set up, a ``str.format`` template (literal
braces doubled); it leaves a JSON-able ``result``.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
CSRF_SECRET = "concurrenceconcurrenceconcurrenc"  # 32 characters, as Django's secrets
_MIGRATED = {}


def session_key(user, membership=None):
    """A stored session logged in as ``user`` (acting for ``membership``): its key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if membership is not None:
        store["current_membership"] = str(membership.public_id)
    store.create()
    return store.session_key


@dataclass
class Request:
    """One client's request: ``path``, form ``data``, and the session it is logged in with."""

    path: str
    data: dict = field(default_factory=dict)
    session: str | None = None


@dataclass
class Answer:
    status: int  # of the request itself (a redirect after a form, usually)
    page: str  # the page it leads to, redirect followed


class Stage:
    """A running server and the way to run a scenario's code against its database."""

    def __init__(self, url, run):
        self.url = url
        self._run = run

    def run(self, code, **values):
        """Runs ``code`` (``{name}`` placeholders filled from ``values``); its ``result``."""
        return self._run(code.format(**values))

    def all_at_once(self, requests):
        """Posts ``requests`` together, each from its own client; their answers, in order."""
        barrier = threading.Barrier(len(requests), timeout=120)
        answers = [None] * len(requests)

        def one(n, request):
            try:
                answers[n] = self._send(n, request, barrier)
            except Exception as error:  # noqa: BLE001 - reported by the test's thread
                answers[n] = error

        threads = [
            threading.Thread(target=one, args=(n, request)) for n, request in enumerate(requests)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        failures = [answer for answer in answers if isinstance(answer, Exception)]
        if failures:
            raise failures[0]
        return answers

    def _send(self, n, request, barrier):
        transport = httpx.HTTPTransport(local_address=f"127.0.0.{n + 2}")
        cookies = {"csrftoken": CSRF_SECRET}
        if request.session:
            cookies["sessionid"] = request.session
        with httpx.Client(
            base_url=self.url,
            transport=transport,
            timeout=120,
            cookies=cookies,
            headers={"X-CSRFToken": CSRF_SECRET},
        ) as client:
            client.get("/healthz")  # connected before the barrier: all requests leave together
            barrier.wait()
            response = client.post(request.path, data=request.data)
            page = response
            if response.is_redirect:
                page = client.get(response.headers["location"])
            return Answer(response.status_code, page.text)


def _exec(code):
    namespace = {}
    exec(code, namespace)  # noqa: S102 - the tests' own scenario code
    return json.loads(json.dumps(namespace.get("result"), default=str))


@contextlib.contextmanager
def stage(request, tmp_path):
    """The server and database of one concurrency test (see the module's docstring)."""
    if connection.vendor == "sqlite":
        with _sqlite_stage(request, tmp_path) as running:
            yield running
    else:
        yield Stage(request.getfixturevalue("live_server").url, _exec)


def _sqlite_env(database):
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "TISSERAND_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "tisserand.settings",
        "PYTHONWARNINGS": "ignore",
    }


def _manage(*args, database, **kwargs):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=_sqlite_env(database),
        check=True,
        cwd=ROOT,
        **kwargs,
    )


def _migrated(request):
    """A database file migrated once per test run (per worker)."""
    if "path" not in _MIGRATED:
        folder = request.getfixturevalue("tmp_path_factory").mktemp("concurrence")
        database = folder / "migrated.sqlite3"
        _manage("migrate", "-v0", database=database)
        _MIGRATED["path"] = database
    return _MIGRATED["path"]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _sqlite_stage(request, tmp_path):
    database = tmp_path / "concurrence.sqlite3"
    shutil.copyfile(_migrated(request), database)

    def run(code):
        code += "\nimport json\nprint('RESULT' + json.dumps(result, default=str))\n"
        try:
            done = _manage("shell", "-c", code, database=database, capture_output=True, text=True)
        except subprocess.CalledProcessError as error:
            raise AssertionError(f"The scenario's code failed:\n{error.stderr}") from None
        return json.loads(done.stdout.split("RESULT", 1)[1])

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=_sqlite_env(database),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        yield Stage(f"http://127.0.0.1:{port}", run)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
