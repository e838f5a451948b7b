"""Votes per second through the real voting flow on gunicorn, next to a bare view doing the
same server-side work (verify one sheet's proofs, insert one row); and the latency when
every voter confirms within the same ten seconds.

Run: [BENCH_PORT=8370] .venv/bin/python benchmarks/vote_throughput.py [voters] [client threads]
     (defaults 200 and 32; PostgreSQL from DATABASE_URL, as the tests use it)

1. Setup (not timed): a campaign with 12 subjects, `voters` members, two open ballots with
   three tellers each; every member's browser part done beforehand (the sheets,
   ballots.browser.sheet_for, for both ballots).
2. gunicorn as production runs it (deploy/gunicorn.conf.py: 3 sync workers, the same
   timeouts; `--workers N` in BENCH_WORKERS overrides, as on the command line in
   production) on 127.0.0.1:$BENCH_PORT (default 8370), settings
   benchmarks/bench_settings.py, a database of its own.
3. Every member logs in through the login form and opens the voting page (the form; the
   review step runs in the browser), each with its own cookies and CSRF token.
4. Throughput: all confirm ballot 1 as fast as `threads` clients can; then the same
   sessions post the same sheets to the bare view (bench/cast/): votes/s of each, ratio.
5. Latency: each member confirms ballot 2 at its own moment, evenly spread over 10 s;
   p50, p95 and the slowest.
Prints the machine's load average before and after: other work on the machine shows.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"
os.environ.setdefault("BENCH_DB_NAME", f"shuzhi_vote_bench_{os.getpid()}")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8370"))
WORKERS = os.environ.get("BENCH_WORKERS", "")  # empty: deploy/gunicorn.conf.py's
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "bench-password-1"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Voter:
    """One member's browser: its own cookies."""

    def __init__(self, username: str):
        self.username = username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(f"{BASE}{path}", timeout=120) as response:
            return response.read().decode()

    def post(self, path: str, data: dict, token: str) -> tuple[int, str]:
        body = urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(f"{BASE}{path}", data=body, method="POST")
        request.add_header("Referer", f"{BASE}{path}")
        with self.opener.open(request, timeout=120) as response:
            return response.status, response.read().decode()

    def log_in(self) -> None:
        token = TOKEN.search(self.get("/accounts/login/")).group(1)
        status, page = self.post(
            "/accounts/login/", {"username": self.username, "password": PASSWORD}, token
        )
        assert "我的工作" in page, f"{self.username} could not log in"

    def open_form(self, ballot_pk: int) -> str:
        page = self.get(f"/ballots/{ballot_pk}/vote/")
        assert 'id="vote-send"' in page
        return TOKEN.search(page).group(1)


def _setup(voters: int):
    from ballots.browser import sheet_for
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
    for m in members:
        m.set_password(PASSWORD)
        m.save(update_fields=["password"])
    ballots = []
    for name in ("吞吐量测评", "延迟测评"):
        ballot = ballot_create(actor=office, campaign=campaign, name=name)
        tellers_ready(ballot, actor=office)
        ballots.append(ballot_open(actor=office, ballot=ballot, reason=open_reason(ballot)))
    sheets = {
        b.pk: [sheet_for(b, {s.pk: "满意" for s in subjects}) for _ in members] for b in ballots
    }
    return [m.username for m in members], ballots, sheets


def _gunicorn(db_name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "BENCH_DB_NAME": db_name,
        "BENCH_SERVER": "1",
    }
    # The production configuration, bound to the benchmark's port; the log stays quiet.
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "--config", "deploy/gunicorn.conf.py",
        "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning",
    ]  # fmt: skip
    if WORKERS:
        command += ["--workers", WORKERS]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{BASE}/accounts/login/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _deployed_workers() -> int:
    config: dict = {}
    exec((ROOT / "deploy/gunicorn.conf.py").read_text(), config)
    return config["workers"]


def _server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds (user + system) used so far by gunicorn's workers: the cost per request
    without the waiting that other work on the machine adds to the wall time."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    total = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a worker recycled meanwhile
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _timed(threads: int, jobs) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(lambda job: job(), jobs))
    elapsed = time.perf_counter() - start
    assert all(status == 200 for status, _ in results), [r[0] for r in results][:5]
    return elapsed


def _spread(voters, ballot_pk, sheets, tokens, seconds: float = 10.0) -> list[float]:
    """Each voter confirms at its own moment, evenly spread over `seconds`."""
    latencies: list[float] = [0.0] * len(voters)
    start = time.perf_counter() + 1.0

    def confirm(i: int) -> None:
        time.sleep(max(0.0, start + i * seconds / len(voters) - time.perf_counter()))
        began = time.perf_counter()
        status, page = voters[i].post(
            f"/ballots/{ballot_pk}/vote/", {"step": "confirm", "sheet": sheets[i]}, tokens[i]
        )
        latencies[i] = time.perf_counter() - began
        assert status == 200 and "投票成功" in page

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(len(voters))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(latencies)


def main() -> None:
    voters_n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    load_before = os.getloadavg()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    db_name = connection.settings_dict["NAME"]
    server = None
    try:
        from ballots.models import Participation, SealedSheet

        usernames, ballots, sheets = _setup(voters_n)
        connection.close()
        server = _gunicorn(db_name)
        voters = [Voter(u) for u in usernames]
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(Voter.log_in, voters))
            first = list(pool.map(lambda v: v.open_form(ballots[0].pk), voters))
            second = list(pool.map(lambda v: v.open_form(ballots[1].pk), voters))

        a, b = ballots
        cpu = _server_cpu(server)
        vote_time = _timed(
            threads,
            [
                lambda v=v, s=s, t=t: v.post(
                    f"/ballots/{a.pk}/vote/", {"step": "confirm", "sheet": s}, t
                )  # noqa: E501
                for v, s, t in zip(voters, sheets[a.pk], first, strict=True)
            ],
        )
        vote_cpu, cpu = _server_cpu(server) - cpu, _server_cpu(server)
        cast = Participation.objects.filter(ballot=a).count()
        sealed = SealedSheet.objects.filter(ballot=a).count()
        assert cast == sealed == voters_n, (cast, sealed)
        bare_time = _timed(
            threads,
            [
                lambda v=v, s=s, t=t: v.post(f"/bench/cast/{a.pk}/", {"sheet": s}, t)
                for v, s, t in zip(voters, sheets[a.pk], first, strict=True)
            ],
        )
        bare_cpu = _server_cpu(server) - cpu
        latencies = _spread(voters, b.pk, sheets[b.pk], second)
        assert SealedSheet.objects.filter(ballot=b).count() == voters_n

        vote_rate, bare_rate = voters_n / vote_time, voters_n / bare_time
        p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
        print(
            f"gunicorn as deployed (deploy/gunicorn.conf.py, sync, "
            f"{WORKERS or _deployed_workers()} workers) on {os.cpu_count()} cores, port {PORT}; "
            f"PostgreSQL; {voters_n} voters, 12 subjects per sheet"
        )
        print(f"load average before: {load_before[0]:.2f}, after: {os.getloadavg()[0]:.2f}")
        print(
            f"real flow, confirm ({threads} clients): {vote_rate:8.1f} votes/s ({vote_time:.2f} s)"
        )  # noqa: E501
        print(f"bare view: verify + insert one row:  {bare_rate:8.1f} req/s   ({bare_time:.2f} s)")  # noqa: E501
        print(f"ratio (real / bare):                 {vote_rate / bare_rate:8.2f}   (goal ≥ 0.6)")
        print(
            f"gunicorn workers' CPU per request: real cast {vote_cpu / voters_n * 1000:.1f} ms, "
            f"bare {bare_cpu / voters_n * 1000:.1f} ms (ratio of CPU "
            f"{bare_cpu / vote_cpu:.2f}; {voters_n} casts in 10 s need "
            f"{vote_cpu / 10:.2f} of {os.cpu_count()} cores)"
        )
        print(
            f"{voters_n} voters confirming within 10 s: p50 {p(0.5) * 1000:.0f} ms, "
            f"p95 {p(0.95) * 1000:.0f} ms (goal ≤ 1000 ms), max {latencies[-1] * 1000:.0f} ms"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
