"""Root on the server reads the application's memory: the ballot's web workers are
scanned while a ballot is open and again after it is counted and published.

The server runs as it does in production, a gunicorn master with two workers in
processes of their own (started with exec, so they share no memory with this test), on
the test's database. Everything a teller's or a member's browser computes is computed
here, in the test, and only what the browser would post reaches the server over HTTP:
the tellers' public shares and sealed shares, the members' encrypted sheets, the
tellers' partial decryptions. Then every writable mapping of every server process is
read through /proc/<pid>/mem and searched for each secret that would open a sheet (the
tellers' seeds, polynomial coefficients, ephemeral secrets and key shares x_j, the joint
secret x, every random r a sheet was encrypted with) in every spelling a program might
hold it: raw bytes both ways round, hex, base64, decimal, and CPython's own int digits.

Control: the server is started with a fresh random DJANGO_SECRET_KEY, which its settings
hold as a string for the life of the process; the same scan must find it, so a scan that
read nothing (a wrong pid, no permission) fails the test instead of passing it.
"""

import base64
import html
import importlib.util
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ballots.elgamal.ceremony import shares_for, teller_from_seed, teller_secret
from ballots.elgamal.elgamal import Ciphertext
from ballots.elgamal.group import L, point_from_hex, random_scalar, scalar_from_int
from ballots.elgamal.sheet import canonical_json, sheet_encrypt
from ballots.elgamal.tally import tally_partial
from ballots.elgamal.tellers import TellerPublic
from ballots.models import Ballot, BallotStatus
from ballots.services import ballot_close, ballot_open, ballot_publish
from ballots.services.tellers import tellers_shares_for
from tests.attacker import encodings
from tests.factories import (
    BallotFactory,
    CampaignFactory,
    MemberFactory,
    SubjectFactory,
    open_reason,
)
from tests.factories.base import PASSWORD
from tests.factories.core import UserFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not sys.platform.startswith("linux"),
        reason="a separate server process on the test's PostgreSQL, read through /proc",
    ),
]


def _smoke_browser():
    """The production smoke's standard-library browser (cookies, forms, CSRF)."""
    spec = importlib.util.spec_from_file_location("prod_smoke", ROOT / ".ci" / "prod_smoke.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SMOKE = _smoke_browser()


# --- The server and its memory -------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    """gunicorn with two workers on the test database; yields (base URL, process, canary)."""
    port = _free_port()
    canary = secrets.token_hex(32)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "SEALING_KEY_DIR": str(settings.SEALING_KEY_DIR),
        "DJANGO_SECRET_KEY": canary,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=30).read()
            break
        except OSError:  # refused, reset or timed out while it starts
            assert process.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
    try:
        yield base, process, canary
    finally:
        process.terminate()
        process.wait(timeout=30)
        connection.close()


def _server_pids(master: int) -> list[int]:
    """The master and every process under it (the workers)."""
    pids, todo = [], [master]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        for task in Path(f"/proc/{pid}/task").iterdir():
            children = (task / "children").read_text().split()
            todo += [int(c) for c in children]
    return pids


def process_memory(pid: int) -> list[bytes]:
    """Every writable mapping of a process (heap, stacks, anonymous memory: where a
    running program keeps what it computed), read as root reads it."""
    chunks = []
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            fields = line.split()
            start, end = (int(x, 16) for x in fields[0].split("-"))
            if not fields[1].startswith("rw"):
                continue
            try:
                mem.seek(start)
                chunks.append(mem.read(end - start))
            except (OSError, ValueError):
                continue  # a guard page or a mapping gone since maps was read
    return chunks


def spellings(secret: bytes) -> set[bytes]:
    """Every way a program could hold a 32-byte scalar."""
    number = int.from_bytes(secret, "little")
    digits = []  # CPython's int: 30-bit digits, least significant first, in 32-bit words
    rest = number
    while rest:
        digits.append(rest & (2**30 - 1))
        rest >>= 30
    return {
        secret,
        secret[::-1],
        secret.hex().encode(),
        base64.b64encode(secret),
        base64.urlsafe_b64encode(secret),
        b"".join(d.to_bytes(4, "little") for d in digits),
        *encodings(number),
    }


BLOCK = 16
BLOCKS = re.compile(rb"(?s).{%d}" % BLOCK)


def found_in(chunks: list[bytes], needles: dict[bytes, str]) -> set[str]:
    """The names of the needles that occur in the chunks, in one pass over memory.

    A needle of at least 2·BLOCK − 1 bytes, wherever it lies in a page-aligned chunk,
    covers one BLOCK-aligned block of it completely; so the chunks are cut into aligned
    blocks once, the blocks are matched against each needle's BLOCK possible aligned
    pieces, and only a chunk with a matching block is searched for the whole needle.
    """
    pieces: dict[bytes, list[bytes]] = {}
    short = [n for n in needles if len(n) < 2 * BLOCK - 1]  # searched whole, the slow way
    for needle in set(needles) - set(short):
        for offset in range(BLOCK):
            pieces.setdefault(needle[offset : offset + BLOCK], []).append(needle)
    found = {needles[n] for n in short if any(n in chunk for chunk in chunks)}
    for chunk in chunks:
        for piece in pieces.keys() & set(BLOCKS.findall(chunk)):
            found |= {needles[n] for n in pieces[piece] if n in chunk}
    return found


def scan(master: int, secrets_: dict[str, bytes], canary: str) -> list[str]:
    """The names of the secrets found, in any spelling, in any server process."""
    needles = {
        spelling: name for name, secret in secrets_.items() for spelling in spellings(secret)
    }
    needles[canary.encode()] = "canary"
    names: set[str] = set()
    workers = 0
    for pid in _server_pids(master):
        chunks = process_memory(pid)
        assert sum(map(len, chunks)) > 5_000_000, "control: the process's memory was read"
        here = found_in(chunks, needles)
        workers += pid != master
        assert "canary" in here, "control: each process holds its SECRET_KEY and the scan finds it"
        names |= here - {"canary"}
    assert workers == 2
    return sorted(names)


# --- The ballot, played as the browsers play it --------------------------------------------
def _page_data(page, element_id: str) -> dict:
    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', page.body
    )
    assert found, f"no {element_id} on {page.url}"
    return json.loads(html.unescape(found[1]))


def _post_json(browser, page, url: str, body: dict) -> dict:
    token = page.form_with("csrfmiddlewaretoken")["fields"]
    csrf = next(f["value"] for f in token if f["name"] == "csrfmiddlewaretoken")
    _, content, _ = browser.request(
        url,
        json.dumps(body).encode(),
        content_type="application/json",
        headers={"X-CSRFToken": csrf, "Referer": page.url},
    )
    answer = json.loads(content)
    assert answer["ok"], answer
    return answer


class Recording:
    """random_scalar, remembering what it drew: the sheets' randomness (r and the proofs' w)."""

    def __init__(self):
        self.drawn: list[bytes] = []

    def __call__(self) -> bytes:
        value = random_scalar()
        self.drawn.append(value)
        return value


def test_root_finds_no_key_and_no_sheet_randomness_in_the_workers_memory(server, office):
    base, process, canary = server
    campaign = CampaignFactory(actor=office, composition_size=5)
    subjects = SubjectFactory.create_batch(3, campaign=campaign)
    members = [m.user for m in MemberFactory.create_batch(5)]
    tellers = UserFactory.create_batch(3)
    ballot = BallotFactory(
        campaign=campaign, actor=office, subjects=subjects, tellers=tellers, name="满意度测评"
    )
    ballot_id, n, k = ballot.crypto_id, ballot.teller_count, ballot.teller_threshold
    secrets_: dict[str, bytes] = {}
    published: dict[str, bytes] = {}  # scalars the sheets carry in clear: the scan's control

    # Each teller's browser makes its key, in turn, and sends the shares it owes.
    seeds = {}
    for index, user in enumerate(tellers, start=1):
        browser = SMOKE.Browser(base)
        browser.login(user.username, {user.username: PASSWORD})
        page = browser.page(f"/ballots/{ballot.pk}/teller/")
        data = _page_data(page, "teller-data")
        assert data["index"] == index
        seed = seeds[index] = random_scalar()
        coefficients, ephemeral, public = teller_from_seed(
            seed=seed, ballot_id=ballot_id, n=n, k=k, index=index
        )
        secrets_ |= {f"teller {index} seed": seed, f"teller {index} ephemeral": ephemeral}
        secrets_ |= {f"teller {index} a{i}": c for i, c in enumerate(coefficients)}
        publics = {int(j): TellerPublic.from_json(p) for j, p in data["publics"].items()}
        shares = shares_for(seed=seed, ballot_id=ballot_id, n=n, k=k, index=index, publics=publics)
        _post_json(
            browser,
            page,
            f"/ballots/{ballot.pk}/teller/publish/",
            {"public": public.to_json(), "shares": {str(j): v for j, v in shares.items()}},
        )
    for index, user in enumerate(tellers, start=1):
        browser = SMOKE.Browser(base)
        browser.login(user.username, {user.username: PASSWORD})
        page = browser.page(f"/ballots/{ballot.pk}/teller/")
        data = _page_data(page, "teller-data")
        if data["owed"]:
            publics = {
                int(j): TellerPublic.from_json(data["publics"][str(j)]) for j in data["owed"]
            }
            shares = shares_for(
                seed=seeds[index], ballot_id=ballot_id, n=n, k=k, index=index, publics=publics
            )
            _post_json(
                browser,
                page,
                f"/ballots/{ballot.pk}/teller/shares/",
                {"shares": {str(j): v for j, v in shares.items()}},
            )
    ballot = Ballot.objects.get(pk=ballot.pk)
    ballot = ballot_open(actor=office, ballot=ballot, reason=open_reason(ballot))
    joint_secret = (
        sum(int.from_bytes(secrets_[f"teller {i} a0"], "little") for i in range(1, n + 1)) % L
    )
    secrets_["joint secret x"] = scalar_from_int(joint_secret)

    # Members vote from their browsers: the page's data in, an encrypted sheet out.
    for i, member in enumerate(members):
        browser = SMOKE.Browser(base)
        browser.login(member.username, {member.username: PASSWORD})
        vote = browser.page(f"/ballots/{ballot.pk}/vote/")
        crypto = _page_data(vote, "ballot-crypto")
        rng = Recording()
        sheet = sheet_encrypt(
            joint_key=bytes.fromhex(crypto["joint_key"]),
            ballot_id=crypto["ballot_id"],
            layout=crypto["layout"],
            choices=[(i + s) % crypto["layout"][s] for s in range(len(crypto["layout"]))],
            rng=rng,
        )
        done = browser.submit(
            vote, vote.form_with("sheet"), {"step": "confirm", "sheet": canonical_json(sheet)}
        )
        assert "投票成功" in done.body
        # What the browser drew and the sheet does not publish: each slot's r and each
        # proof's w. (A proof's simulated branch publishes its other draws.)
        posted = canonical_json(sheet)
        for j, r in enumerate(rng.drawn):
            if r.hex() in posted:
                published[f"member {i} draw {j}"] = r
            else:
                secrets_[f"member {i} draw {j}"] = r

    found_open = scan(process.pid, secrets_ | published, canary)
    assert set(found_open) & set(published), "control: scalars the server did receive are found"
    found_open = sorted(set(found_open) - set(published))

    # The office ends the voting; two tellers decrypt the sums from their browsers.
    ballot_close(actor=office, ballot=Ballot.objects.get(pk=ballot.pk))
    for index in (1, 3):
        user = tellers[index - 1]
        browser = SMOKE.Browser(base)
        browser.login(user.username, {user.username: PASSWORD})
        page = browser.page(f"/ballots/{ballot.pk}/teller/")
        data = _page_data(page, "teller-data")
        publics = {int(j): TellerPublic.from_json(p) for j, p in data["publics"].items()}
        x = teller_secret(
            seed=seeds[index],
            ballot_id=ballot_id,
            n=n,
            k=k,
            index=index,
            publics=publics,
            sealed={int(j): v for j, v in data["sealed"].items()},
        )
        secrets_[f"teller {index} x_j"] = x
        partial = tally_partial(
            secret=x,
            tally=[[Ciphertext.from_json(ct) for ct in row] for row in data["tally"]],
            joint_key=point_from_hex(data["joint_key"]),
            ballot_id=ballot_id,
            teller=index,
        )
        _post_json(browser, page, f"/ballots/{ballot.pk}/teller/decrypt/", {"partial": partial})
    ballot = Ballot.objects.get(pk=ballot.pk)
    assert ballot.status == BallotStatus.CLOSED
    ballot_publish(actor=office, ballot=ballot)
    staff = SMOKE.Browser(base)
    staff.login(office.username, {office.username: PASSWORD})
    staff.page(f"/ballots/{ballot.pk}/results/")
    staff.request(f"/ballots/{ballot.pk}/record.json")
    x2 = teller_secret(
        seed=seeds[2],
        ballot_id=ballot_id,
        n=n,
        k=k,
        index=2,
        publics={int(j): TellerPublic.from_json(p) for j, p in data["publics"].items()},
        sealed=tellers_shares_for(ballot, 2),
    )
    secrets_["teller 2 x_j"] = x2

    found_closed = scan(process.pid, secrets_, canary)
    assert len(secrets_) > 3 * 5 + 5 * 9, "every teller's and every sheet's secrets are searched"
    assert found_open == [], f"while open, the server's memory holds {found_open}"
    assert found_closed == [], f"after the count, the server's memory holds {found_closed}"
