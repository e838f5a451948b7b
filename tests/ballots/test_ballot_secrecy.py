"""The secret ballot tried from the attacker's side.

Who: a database reader (every row, system columns, dead tuples, WAL), a backup holder, a
network observer (sizes of every request and response), whoever holds DJANGO_SECRET_KEY,
and the server's administrator (database, WAL, Redis, key directory: no teller's secret
and no choice ever reaches any of them). Each test is one line of the README's threat-model table.
"""

import json
import re
import threading
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings
from django.db import connection, connections
from django.test import Client

from ballots.browser import sheet_for
from ballots.elgamal.ceremony import teller_from_seed, teller_secret
from ballots.models import (
    Ballot,
    BallotResult,
    BallotStatus,
    Participation,
    SealedSheet,
    SheetCiphertext,
    Teller,
)
from ballots.services import ballot_close, ballot_publish
from ballots.services.tellers import tellers_public, tellers_shares_for
from core.errors import ApplicationError
from tests.attacker import encodings, raw_database_bytes
from tests.factories import (
    TELLER_SEEDS,
    BallotFactory,
    CampaignFactory,
    MemberFactory,
    SubjectFactory,
    cast,
    close_and_count,
    tellers_count,
)

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
        cast(actor=member, ballot=ballot, choices={s.pk: choice for s in people})
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
    """The review step runs in the browser; the one request is the encrypted sheet, whose
    JSON has one size per ballot layout (every value 64 hex digits), and its answer (the
    receipt page with a 64-digit tracker) one size too."""
    options, abstain = SCALES[scale]
    choices = [*options, "弃权"] if abstain else options
    ballot, people, members = _world(
        office, subjects=3, voters=len(choices), options=options, abstain=abstain
    )
    url = f"/ballots/{ballot.pk}/vote/"
    sizes = []
    for choice, member in zip(choices, members, strict=True):  # each member one option
        client = Client(enforce_csrf_checks=True)
        client.force_login(member)
        form = client.get(url)
        sheet = sheet_for(ballot, {s.pk: choice for s in people})
        body = urlencode(
            {"csrfmiddlewaretoken": _csrf(form.content), "step": "confirm", "sheet": sheet}
        )
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200, response.content.decode()[:300]
        assert "投票成功" in response.content.decode()
        voted = client.get(url)
        sizes.append((_wire(form), len(body), _wire(response), _wire(voted)))
    assert Participation.objects.filter(ballot=ballot).count() == len(choices)
    assert all(s == sizes[0] for s in sizes), sizes


def test_the_page_holds_every_option_and_marks_none_the_browser_marks_the_choice(client, office):
    ballot, people, members = _world(office, subjects=1, voters=3, options=SCALES["4 levels"][0])
    client.force_login(members[0])
    page = client.get(f"/ballots/{ballot.pk}/vote/").content.decode()
    confirm = page[page.index('data-testid="confirm-list"') :]
    assert all(label in confirm for label in ["满意", "较满意", "基本满意", "不满意"])
    assert confirm.count("opt-on") == 0 and confirm.count("opt-of") == 4
    # The choices' form is never posted: it has no method, action or CSRF token.
    choose = page[page.index('id="vote-choose"') : page.index("</form>")]
    assert "method=" not in choose and "csrfmiddlewaretoken" not in choose


# --- While open, the database says only who voted ------------------------------------------
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_database_reader_cannot_tie_a_sheet_to_its_participation_by_transaction(office):
    """The participation and the sheet are written in separate transactions: no sheet
    shares a transaction id (xmin, and so a WAL commit record) with any participation.
    (Under no concurrency the two ids are still neighbours; what then matters is that the
    sheet cannot be opened: the server never held a key, see the tests below.)"""
    options = SCALES["3 levels and abstain"][0]
    ballot, people, members = _world(office, subjects=1, voters=3, options=options)
    for member, choice in zip(members, options, strict=True):
        cast(actor=member, ballot=ballot, choices={people[0].pk: choice})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xmin::text FROM ballots_participation WHERE ballot_id = %s", [ballot.pk]
        )
        participations = {r[0] for r in cursor.fetchall()}
        cursor.execute(
            "SELECT xmin::text, octet_length(ciphertext) FROM ballots_sealedsheet"
            " WHERE ballot_id = %s",
            [ballot.pk],
        )
        sheets = cursor.fetchall()
    assert len(participations) == 3 and len(sheets) == 3
    assert not participations & {x for x, _ in sheets}
    assert len({length for _, length in sheets}) == 1
    assert not BallotResult.objects.exists()


def test_encryption_is_randomized_so_encrypting_every_choice_finds_no_sheet(office):
    """With the joint key (public) anyone can encrypt every possible choice; a fresh random
    r each time means no guess ever equals a stored sheet's ciphertexts."""
    options = SCALES["4 levels"][0]
    ballot, people, members = _world(office, subjects=1, voters=4, options=options)
    for member, choice in zip(members, options, strict=True):
        cast(actor=member, ballot=ballot, choices={people[0].pk: choice})
    stored = {
        slot["b"]
        for c in SealedSheet.objects.values_list("ciphertext", flat=True)
        for slot in json.loads(bytes(c))["subjects"][0]["slots"]
    }
    guesses = {
        slot["b"]
        for choice in options
        for _ in range(3)
        for slot in json.loads(sheet_for(ballot, {people[0].pk: choice}))["subjects"][0]["slots"]
    }
    assert not guesses & stored


def test_sheet_and_participation_rows_have_no_time_and_sheets_random_ids(office):
    ballot, people, members = _world(office, subjects=2, voters=3, options=["满意", "不满意"])
    for member in members:
        cast(actor=member, ballot=ballot, choices={s.pk: "满意" for s in people})
    for model in (SealedSheet, Participation):
        assert not any(
            f.get_internal_type() in ("DateTimeField", "DateField", "TimeField")
            for f in model._meta.concrete_fields
        )
    ids = list(SealedSheet.objects.values_list("id", flat=True))
    assert all(i.version == 4 for i in ids)  # random UUIDs, not a sequence


# --- Count without opening; no key on the server, ever ------------------------------------
def test_the_tellers_decrypt_only_the_sums_never_a_sheet(office):
    ballot, people, members = _world(office, subjects=20, voters=12, options=["满意", "不满意"])
    for i, member in enumerate(members):
        cast(
            actor=member,
            ballot=ballot,
            choices={s.pk: "满意" if (i + j) % 3 else "不满意" for j, s in enumerate(people)},
        )
    ballot = ballot_close(actor=office, ballot=ballot)
    asked = {ct["a"] for row in ballot.tally for ct in row}
    assert len(asked) == 20 * 2, "one ciphertext per subject and option: the sums"
    assert not asked & set(SheetCiphertext.objects.values_list("a", flat=True))
    ballot = tellers_count(ballot)
    partials = [t.partial for t in Teller.objects.filter(ballot=ballot, decrypted_at__isnull=False)]
    assert len(partials) == 2 and all(len(p) == 20 and len(p[0]) == 2 for p in partials)
    counts = {r.subject_id: r.web_counts for r in BallotResult.objects.filter(ballot=ballot)}
    for j, s in enumerate(people):
        expected = sum(1 for i in range(12) if (i + j) % 3)
        assert counts[s.pk] == {"满意": expected, "不满意": 12 - expected}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_no_teller_secret_and_no_choice_ever_reaches_the_database_wal_or_redis(office):
    """The server administrator's view: every raw page (live and dead tuples), the WAL
    segment and every Redis key, after keys were made, members voted and two tellers
    decrypted. The tellers' seeds, polynomial coefficients and secret shares x_j, and the
    joint secret x, are in none of them in any encoding; nor is any choice in clear. The
    joint public key is found (control: the search works)."""
    options = ["满意", "基本满意", "不满意"]
    ballot, people, members = _world(office, subjects=2, voters=6, options=options)
    for i, member in enumerate(members):
        cast(actor=member, ballot=ballot, choices={s.pk: options[i % 3] for s in people})
    close_and_count(actor=office, ballot=Ballot.objects.get(pk=ballot.pk))
    ballot = Ballot.objects.get(pk=ballot.pk)
    seeds = TELLER_SEEDS[ballot.pk]
    publics = {t.index: t for t in Teller.objects.filter(ballot=ballot)}
    secrets = []
    for index, seed in seeds.items():
        coefficients, ephemeral, _ = teller_from_seed(
            seed=seed, ballot_id=ballot.crypto_id, n=3, k=2, index=index
        )
        secrets += [seed, ephemeral, *coefficients]
        secrets.append(
            teller_secret(
                seed=seed,
                ballot_id=ballot.crypto_id,
                n=3,
                k=2,
                index=index,
                publics=tellers_public(ballot),
                sealed=tellers_shares_for(ballot, index),
            )
        )
    joint_secret = sum(
        int.from_bytes(
            teller_from_seed(seed=s, ballot_id=ballot.crypto_id, n=3, k=2, index=i)[0][0],
            "little",
        )
        for i, s in seeds.items()
    ) % (2**252 + 27742317777372353535851937790883648493)
    assert len(publics) == 3

    raw = raw_database_bytes()
    assert ballot.joint_key.encode() in raw, "control: the search finds what is stored"
    store = redis.Redis.from_url(settings.REDIS_URL)
    cached = b"".join(k + (store.dump(k) or b"") for k in store.scan_iter(count=1000))
    for secret in secrets:
        number = int.from_bytes(secret, "little")
        for encoding in [secret, secret.hex().encode(), *encodings(number)]:
            assert encoding not in raw and encoding not in cached
    for encoding in encodings(joint_secret):
        assert encoding not in raw and encoding not in cached
    # No choice in clear: no sheet holds an option label or an index field.
    for sheet in SealedSheet.objects.values_list("ciphertext", flat=True):
        text = bytes(sheet).decode()
        assert not any(o in text for o in options) and '"choice' not in text
    assert settings.SECRET_KEY.encode() not in raw
    assert not any(settings.SEALING_KEY_DIR.glob(f"ballot-{ballot.pk}*")), "no key file"


# --- Keep what held: one sheet per member, casts racing the close ----------------------------
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_casts_racing_the_close_are_counted_or_refused_never_lost(office):
    ballot, people, members = _world(office, subjects=2, voters=30, options=["满意", "不满意"])
    barrier = threading.Barrier(31)
    outcomes = []

    def vote(member):
        try:
            barrier.wait()
            cast(actor=member, ballot=ballot, choices={s.pk: "满意" for s in people})
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

    threads = [threading.Thread(target=vote, args=(m,)) for m in members]
    threads.append(threading.Thread(target=close))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cast_count = outcomes.count("cast")
    assert cast_count + outcomes.count("refused") == 30
    tellers_count(Ballot.objects.get(pk=ballot.pk))
    ballot = ballot_publish(actor=office, ballot=Ballot.objects.get(pk=ballot.pk))
    assert (
        ballot.web_participants == cast_count == SealedSheet.objects.filter(ballot=ballot).count()
    )
    for result in BallotResult.objects.filter(ballot=ballot):
        assert result.web_counts == {"满意": cast_count, "不满意": 0}


def test_the_close_writes_no_row_per_voter_or_per_vote(office):
    """What replaced the shuffled vote rows: there are none. The close and the tellers'
    decryptions add one result per subject and their audit entries (the close, two
    decryptions, the count); no table grows with the number of voters."""
    from django.apps import apps

    def counts():
        return {m._meta.label: m.objects.count() for m in apps.get_models()}

    ballot, people, members = _world(office, subjects=3, voters=7, options=["满意", "不满意"])
    for member in members:
        cast(actor=member, ballot=ballot, choices={s.pk: "满意" for s in people})
    before = counts()
    close_and_count(actor=office, ballot=ballot)
    grown = {label: n - before[label] for label, n in counts().items() if n != before[label]}
    assert grown == {"ballots.BallotResult": 3, "core.AuditEntry": 4}, grown
