"""50 people register at the same instant for the last 10 seats of a session: exactly 10 get a
seat and 40 go to the waiting list — against a live server with real concurrent clients, on
the database the suite runs on (SQLite by default, PostgreSQL with ``DATABASE_URL``).

On PostgreSQL the session row is locked (``select_for_update``) by each registration; the
server is pytest-django's live server (one thread and one connection per request).

On SQLite the test database is in memory and Django's live server shares one connection
between its threads, which would serialise everything in Python and prove nothing: the test
starts a real server process (``manage.py runserver``, threaded) on a database file, where each
request has its own connection and the project's ``BEGIN IMMEDIATE`` transactions take the
write lock. Each client connects from its own loopback address (127.0.0.N), as 50 residents
would, so that the public page's per-client limits do not refuse them.
"""

import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CAPACITY, ALREADY, CLIENTS = 40, 30, 50
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

SETUP = """
from datetime import timedelta
from django.utils import timezone
from tisserand.events.models import Event, Registration, Session, Status
from tisserand.structures.models import Structure
structure = Structure.objects.create(name="Maison de l'Emploi (concurrence)")
start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
event = Event.objects.create(
    event_type="workshop", title="Atelier très demandé", structure=structure,
    address_line="1 place de la Liberté", visibility="public", starts_at=start,
)
session = Session.objects.create(
    event=event, starts_at=start, ends_at=start + timedelta(hours=2), capacity={capacity},
    seats_taken={already},
)
Registration.objects.bulk_create(
    Registration(
        session=session, first_name="Déjà", last_name=f"Inscrit{{n}}",
        email=f"deja{{n}}@exemple.invalid", status=Status.REGISTERED,
        consented_at=timezone.now(), consent_text="ok",
    )
    for n in range({already})
)
print("IDS", event.public_id, session.pk)
"""


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _register_all_at_once(base_url, event_id):
    """Each client opens the page (CSRF cookie and token), then all post together."""
    url = f"{base_url}/evenements-publics/{event_id}/"
    barrier = threading.Barrier(CLIENTS, timeout=120)
    outcomes = [None] * CLIENTS

    def one(n):
        transport = httpx.HTTPTransport(local_address=f"127.0.0.{n + 2}")
        with httpx.Client(transport=transport, timeout=120) as client:
            page = client.get(url)
            token = TOKEN.search(page.text).group(1)
            session_value = re.search(r'name="session" value="(\d+)"', page.text).group(1)
            barrier.wait()
            response = client.post(
                url,
                data={
                    "csrfmiddlewaretoken": token,
                    "session": session_value,
                    "first_name": "Camille",
                    "last_name": f"Simultanée{n}",
                    "email": f"camille{n}@exemple.invalid",
                    "consent": "on",
                },
            )
            outcomes[n] = response.status_code

    threads = [threading.Thread(target=one, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _check(outcomes, statuses, seats_taken):
    assert outcomes == [302] * CLIENTS, outcomes  # each was registered or put on the list
    new = statuses
    assert new.count("registered") == CAPACITY - ALREADY
    assert new.count("waiting") == CLIENTS - (CAPACITY - ALREADY)
    assert seats_taken == CAPACITY


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_registrations_for_the_last_ten_seats(request, tmp_path):
    if connection.vendor == "sqlite":
        _on_sqlite(tmp_path)
    else:
        _on_live_server(request)


def _on_live_server(request):
    live_server = request.getfixturevalue("live_server")
    from tisserand.events.models import Registration, Session

    namespace = {}
    exec(
        SETUP.format(capacity=CAPACITY, already=ALREADY).replace('print("IDS", ', "result = ("),
        namespace,
    )
    event_id, session_id = namespace["result"]
    outcomes = _register_all_at_once(live_server.url, event_id)
    statuses = list(
        Registration.objects.filter(
            session_id=session_id, last_name__startswith="Simultanée"
        ).values_list("status", flat=True)
    )
    _check(outcomes, statuses, Session.objects.get(pk=session_id).seats_taken)


def _on_sqlite(tmp_path):
    database = tmp_path / "concurrence.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "TISSERAND_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "tisserand.settings",
        "PYTHONWARNINGS": "ignore",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    setup = subprocess.run(
        [*manage, "shell", "-c", SETUP.format(capacity=CAPACITY, already=ALREADY)],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    event_id, session_id = setup.stdout.split("IDS", 1)[1].split()[:2]
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        outcomes = _register_all_at_once(f"http://127.0.0.1:{port}", event_id)
    finally:
        server.terminate()
        server.wait(timeout=30)
    with sqlite3.connect(database) as db:
        statuses = [
            row[0]
            for row in db.execute(
                "SELECT status FROM events_registration WHERE session_id = ? "
                "AND last_name LIKE 'Simultanée%'",
                (session_id,),
            )
        ]
        (seats_taken,) = db.execute(
            "SELECT seats_taken FROM events_session WHERE id = ?", (session_id,)
        ).fetchone()
    _check(outcomes, statuses, seats_taken)
