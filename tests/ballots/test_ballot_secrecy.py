"""The secret ballot tried from the attacker's side.

Who: a database reader (every row, system columns, dead tuples, WAL), a backup holder, a
network observer (sizes of every request and response), and whoever holds
DJANGO_SECRET_KEY. Each test is one line of the README's threat-model table.
"""

import re
import threading
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client

from ballots import crypto as ballot_crypto
from ballots.models import Ballot, BallotResult, BallotStatus, Participation, SealedSheet
from ballots.services import ballot_cast, ballot_close, ballot_publish
from core.errors import ApplicationError
from core.keystore import key_exists, key_read
from tests.attacker import encodings, raw_database_bytes
from tests.factories import BallotFactory, CampaignFactory, MemberFactory, SubjectFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="system columns and raw pages are PostgreSQL's"
)

SCALES = {
    "3 levels and abstain": (["满意", "基本满意", "不满意"], True),
    "4 levels": (["满意", "较满意", "基本满意", "不满意"], False),
}


def _world(office, *, subjects: int, voters: int, options, abstain=False):
    campaign = CampaignFactory(actor=office, composition_size=voters)
    people = SubjectFactory.create_batch(subjects, campaign=campaign)
    members = [m.user for m in MemberFactory.create_batch(voters)]
    ballot = BallotFactory(
        campaign=campaign,
        actor=office,
        name="满意度测评",
        options=options,
        abstain_allowed=abstain,
        subjects=people,
        status=BallotStatus.OPEN,
    )
    return ballot, people, members


# --- Size says nothing ---------------------------------------------------------------------
@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("subjects", [1, 3])
def test_every_sheet_has_the_same_length_whatever_was_chosen(office, scale, subjects):
    options, abstain = SCALES[scale]
    choices = [*options, "弃权"] if abstain else options
    ballot, people, members = _world(
        office, subjects=subjects, voters=len(choices), options=options, abstain=abstain
    )
    for member, choice in zip(members, choices, strict=True):  # each member one option
        ballot_cast(actor=member, ballot=ballot, choices={s.pk: choice for s in people})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT octet_length(ciphertext), pg_column_size(ciphertext)"
                " FROM ballots_sealedsheet WHERE ballot_id = %s",
                [ballot.pk],
            )
            assert len(cursor.fetchall()) == 1, "stored sizes differ by choice"
    lengths = {len(bytes(c)) for c in SealedSheet.objects.values_list("ciphertext", flat=True)}
    assert len(lengths) == 1


def _csrf(page: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


def _wire(response) -> int:
    """What a network observer measures of a response: status line, headers, cookies, body."""
    return len(response.serialize()) + len(response.cookies.output().encode())


@pytest.mark.parametrize("scale", SCALES)
def test_every_request_and_response_of_the_voting_flow_has_one_size(office, scale):
    options, abstain = SCALES[scale]
    choices = [*options, "弃权"] if abstain else options
    ballot, people, members = _world(
        office, subjects=3, voters=len(choices), options=options, abstain=abstain
    )
    url = f"/ballots/{ballot.pk}/vote/"
    sizes = []
    for index, member in enumerate(members):  # member i chooses option i for every subject
        client = Client(enforce_csrf_checks=True)
        client.force_login(member)
        form = client.get(url)
        picked = {f"s{s.pk}": str(index) for s in people}
        steps = {}
        for step in ("review", "edit", "review", "confirm"):
            body = urlencode({"csrfmiddlewaretoken": _csrf(form.content), **picked, "step": step})
            response = client.post(url, body, content_type="application/x-www-form-urlencoded")
            assert response.status_code == 200, response.content.decode()[:300]
            steps[step] = (len(body), _wire(response))
            form = response
        assert "投票成功" in response.content.decode()
        voted = client.get(url)
        sizes.append((_wire(form), steps, _wire(voted)))
    assert Participation.objects.filter(ballot=ballot).count() == len(choices)
    assert all(s == sizes[0] for s in sizes), sizes


def test_the_review_step_shows_every_option_and_only_marks_the_chosen_one(client, office):
    ballot, people, members = _world(office, subjects=1, voters=3, options=SCALES["4 levels"][0])
    client.force_login(members[0])
    page = client.post(
        f"/ballots/{ballot.pk}/vote/", {f"s{people[0].pk}": "2", "step": "review"}
    ).content.decode()
    confirm = page[page.index('data-testid="confirm-list"') :]
    assert all(label in confirm for label in ["满意", "较满意", "基本满意", "不满意"])
    assert confirm.count("opt-on") == 1 and confirm.count("opt-of") == 3
    assert re.search(r'opt-on">基本满意<', confirm)


# --- While open, the database says only who voted ------------------------------------------
@postgres_only
def test_a_database_reader_links_sheets_to_members_but_cannot_read_them(office):
    """The sheet is written in the participation's transaction: a reader joins them on xmin.
    What they get is a ciphertext of the one length every sheet has, under a randomized
    encryption: even encrypting every possible sheet with the stored public key gives no
    match."""
    options = SCALES["3 levels and abstain"][0]
    ballot, people, members = _world(office, subjects=1, voters=3, options=options)
    for member, choice in zip(members, options, strict=True):
        ballot_cast(actor=member, ballot=ballot, choices={people[0].pk: choice})
    with connection.cursor() as cursor:
        # The cast writes the participation in a savepoint of the sheet's transaction, so
        # their transaction ids are neighbours; ordering both by xmin pairs them up.
        cursor.execute(
            "SELECT user_id FROM ballots_participation WHERE ballot_id = %s"
            " ORDER BY xmin::text::bigint",
            [ballot.pk],
        )
        voters = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT ciphertext, octet_length(ciphertext) FROM ballots_sealedsheet"
            " WHERE ballot_id = %s ORDER BY xmin::text::bigint",
            [ballot.pk],
        )
        linked = [(v, *row) for v, row in zip(voters, cursor.fetchall(), strict=True)]
        cursor.execute(
            "SELECT public_key, slot_bits FROM ballots_ballot WHERE id = %s", [ballot.pk]
        )
        public_key, slot_bits = cursor.fetchone()
    assert len(linked) == 3 and len({length for *_, length in linked}) == 1
    layout = ballot_crypto.Layout(
        subjects=1, options=len(options), slot_bits=slot_bits, n=int(public_key, 16)
    )
    guesses = {
        bytes(ballot_crypto.sheet_encrypt(layout, [i]))
        for i in range(len(options))
        for _ in range(3)
    }
    assert not guesses & {bytes(c) for _, c, _ in linked}
    assert not BallotResult.objects.exists()


def test_sheet_and_participation_rows_have_no_time_and_sheets_random_ids(office):
    ballot, people, members = _world(office, subjects=2, voters=3, options=["满意", "不满意"])
    for member in members:
        ballot_cast(actor=member, ballot=ballot, choices={s.pk: "满意" for s in people})
    for model in (SealedSheet, Participation):
        assert not any(
            f.get_internal_type() in ("DateTimeField", "DateField", "TimeField")
            for f in model._meta.concrete_fields
        )
    ids = list(SealedSheet.objects.values_list("id", flat=True))
    assert all(i.version == 4 for i in ids)  # random UUIDs, not a sequence


# --- Count without opening; no key in the database, ever ----------------------------------
def test_the_close_decrypts_only_the_product_never_a_sheet(office, monkeypatch):
    ballot, people, members = _world(office, subjects=20, voters=12, options=["满意", "不满意"])
    for i, member in enumerate(members):
        ballot_cast(
            actor=member,
            ballot=ballot,
            choices={s.pk: "满意" if (i + j) % 3 else "不满意" for j, s in enumerate(people)},
        )
    decrypted = []
    original = ballot_crypto.PaillierPrivateKey.raw_decrypt
    monkeypatch.setattr(
        ballot_crypto.PaillierPrivateKey,
        "raw_decrypt",
        lambda self, c: decrypted.append(c) or original(self, c),
    )
    ballot_close(actor=office, ballot=ballot)
    ballot.refresh_from_db()
    sheets = {
        int.from_bytes(bytes(c), "big")
        for c in SealedSheet.objects.values_list("ciphertext", flat=True)
    }
    assert len(decrypted) == len(ballot.tally_proof["product"]) == 1
    assert not set(decrypted) & sheets, "no single sheet was decrypted"
    counts = {r.subject_id: r.web_counts for r in BallotResult.objects.filter(ballot=ballot)}
    for j, s in enumerate(people):
        expected = sum(1 for i in range(12) if (i + j) % 3)
        assert counts[s.pk] == {"满意": expected, "不满意": 12 - expected}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_after_close_nothing_in_the_database_or_wal_opens_a_sheet(office):
    """Read every raw page (live and dead tuples) and the WAL: the public key is there (the
    search works), the private key never is, and its file is gone. With the database and
    DJANGO_SECRET_KEY an attacker has n and the sheets; opening one means factoring n."""
    options = ["满意", "基本满意", "不满意"]
    ballot, people, members = _world(office, subjects=2, voters=6, options=options)
    for i, member in enumerate(members):
        ballot_cast(actor=member, ballot=ballot, choices={s.pk: options[i % 3] for s in people})
    secret = key_read(name=f"ballot-{ballot.pk}")
    p_factor = int(re.search(rb'"p": "0x([0-9a-f]+)"', secret).group(1), 16)
    q_factor = int(re.search(rb'"q": "0x([0-9a-f]+)"', secret).group(1), 16)
    ballot_close(actor=office, ballot=ballot)  # commits; the key file goes on commit
    assert not key_exists(name=f"ballot-{ballot.pk}")
    assert not any(settings.SEALING_KEY_DIR.glob(f"ballot-{ballot.pk}*"))

    raw = raw_database_bytes()
    n = int(Ballot.objects.get(pk=ballot.pk).public_key, 16)
    assert format(n, "x").encode() in raw, "control: the search finds what is stored"
    for secret_number in (p_factor, q_factor, (p_factor - 1) * (q_factor - 1)):
        for encoding in encodings(secret_number):
            assert encoding not in raw
    assert settings.SECRET_KEY.encode() not in raw
    # Nothing derived from SECRET_KEY opens anything: sealing uses no SECRET_KEY at all.
    for module in ("ballots/crypto.py", "core/sealing.py", "core/keystore.py"):
        source = (settings.BASE_DIR / module).read_text()
        assert "SECRET_KEY" not in source.replace("DJANGO_SECRET_KEY", "").split('"""', 2)[-1]


# --- Keep what held: one sheet per member, casts racing the close ----------------------------
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_casts_racing_the_close_are_counted_or_refused_never_lost(office):
    ballot, people, members = _world(office, subjects=2, voters=30, options=["满意", "不满意"])
    barrier = threading.Barrier(31)
    outcomes = []

    def cast(member):
        try:
            barrier.wait()
            ballot_cast(actor=member, ballot=ballot, choices={s.pk: "满意" for s in people})
            outcomes.append("cast")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    def close():
        try:
            barrier.wait()
            ballot_close(actor=office, ballot=ballot)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(m,)) for m in members]
    threads.append(threading.Thread(target=close))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cast_count = outcomes.count("cast")
    assert cast_count + outcomes.count("refused") == 30
    ballot = ballot_publish(actor=office, ballot=Ballot.objects.get(pk=ballot.pk))
    assert (
        ballot.web_participants == cast_count == SealedSheet.objects.filter(ballot=ballot).count()
    )
    for result in BallotResult.objects.filter(ballot=ballot):
        assert result.web_counts == {"满意": cast_count, "不满意": 0}


def test_the_close_writes_no_row_per_voter_or_per_vote(office):
    """What replaced the shuffled vote rows: there are none. The close adds one result per
    subject and its audit entry; no table grows with the number of voters."""
    from django.apps import apps

    def counts():
        return {m._meta.label: m.objects.count() for m in apps.get_models()}

    ballot, people, members = _world(office, subjects=3, voters=7, options=["满意", "不满意"])
    for member in members:
        ballot_cast(actor=member, ballot=ballot, choices={s.pk: "满意" for s in people})
    before = counts()
    ballot_close(actor=office, ballot=ballot)
    grown = {label: n - before[label] for label, n in counts().items() if n != before[label]}
    assert grown == {"ballots.BallotResult": 3, "core.AuditEntry": 1}, grown
