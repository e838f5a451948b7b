"""Votes per second through the real voting page, next to a bare Django view inserting one row.

Run: .venv/bin/python benchmarks/vote_throughput.py [voters] [client threads]
Uses DATABASE_URL when set (PostgreSQL shows real concurrency; SQLite serialises writes).
Starts a threaded WSGI server on 127.0.0.1, logs every voter in through a real session,
and has them all submit their sheet (the confirm step) concurrently; then the same
sessions hit the bare view. Prints both rates and their ratio.
"""

import os
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def _session_cookie(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def _post(url: str, session: str, data: dict) -> int:
    token = "a" * 32  # an unmasked CSRF secret is accepted in both cookie and form
    body = urlencode({**data, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Cookie", f"sessionid={session}; csrftoken={token}")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status


def _run(pool_size: int, jobs) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=pool_size) as pool:
        statuses = list(pool.map(lambda job: job(), jobs))
    elapsed = time.perf_counter() - start
    assert all(s == 200 for s in statuses), statuses[:5]
    return elapsed


def main() -> None:
    voters = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    settings.ROOT_URLCONF = "benchmarks.bench_urls"
    settings.ALLOWED_HOSTS = ["*"]
    if connection.vendor == "sqlite":
        # A file, not the shared in-memory test database, so that threads can write.
        import tempfile

        connection.settings_dict["TEST"]["NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    server = None
    try:
        from django.core.handlers.wsgi import WSGIHandler

        from ballots.browser import sheet_for
        from ballots.models import Participation, SealedSheet
        from ballots.services import ballot_create, ballot_open
        from reviews.services import campaign_update
        from tests.factories import (
            CampaignFactory,
            MemberFactory,
            SubjectFactory,
            UserFactory,
            open_reason,
            tellers_ready,
        )

        office = UserFactory(is_staff=True, role="office")
        campaign = campaign_update(
            actor=office, campaign=CampaignFactory(actor=office), composition_size=voters
        )
        subjects = [SubjectFactory(campaign=campaign) for _ in range(12)]
        members = [MemberFactory().user for _ in range(voters)]
        ballot = ballot_create(actor=office, campaign=campaign, name="吞吐量测评")
        tellers_ready(ballot, actor=office)
        ballot_open(actor=office, ballot=ballot, reason=open_reason(ballot))
        # The browsers' part, done beforehand: each member's encrypted sheet.
        sheets = [
            {"step": "confirm", "sheet": sheet_for(ballot, {s.pk: "满意" for s in subjects})}
            for _ in members
        ]
        sessions = [_session_cookie(m) for m in members]
        connection.close()

        server = make_server(
            "127.0.0.1", 0, WSGIHandler(), server_class=_Server, handler_class=_Quiet
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"

        vote_url = f"{base}/ballots/{ballot.pk}/vote/"
        vote_time = _run(
            threads,
            [
                lambda s=s, body=body: _post(vote_url, s, body)
                for s, body in zip(sessions, sheets, strict=True)
            ],
        )
        cast = Participation.objects.filter(ballot=ballot).count()
        sealed = SealedSheet.objects.filter(ballot=ballot).count()
        assert cast == sealed == voters, (cast, sealed)
        bare_time = _run(
            threads, [lambda s=s: _post(f"{base}/bench/insert/", s, {}) for s in sessions]
        )

        vote_rate, bare_rate = voters / vote_time, voters / bare_time
        print(
            f"database: {connection.vendor}; {voters} voters, {threads} concurrent clients, 12 subjects per sheet"
        )
        print(f"casting a ballot sheet:     {vote_rate:8.1f} votes/s  ({vote_time:.2f} s)")
        print(f"bare view inserting a row:  {bare_rate:8.1f} req/s    ({bare_time:.2f} s)")
        print(f"ratio (ballot / bare):      {vote_rate / bare_rate:8.2f}")
    finally:
        if server is not None:
            server.shutdown()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
