"""Casting: the member's browser-encrypted sheet, checked, then stored apart from the
record that the member voted (see ballot_cast's docstring for why and what if)."""

import contextlib
import json
import uuid

from django.db import IntegrityError, connection, transaction
from django.utils.crypto import salted_hmac

from core.actors import Actor
from core.errors import ApplicationError

from ..elgamal.group import CryptoError, point_from_hex
from ..elgamal.sheet import canonical_json, sheet_verify
from ..elgamal.sheet import tracker as sheet_tracker
from ..models import (
    Ballot,
    BallotScheme,
    BallotStatus,
    Participation,
    SealedSheet,
    SheetCiphertext,
    VotingCode,
)
from ..selectors import ballot_for_voter

# pg_advisory_lock's first key for "a cast or the close of ballot <id>" (the number).
CAST_LOCK = 22


def _share_locked(ballot: Ballot) -> Ballot:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM ballots_ballot WHERE id = %s FOR SHARE", [ballot.pk])
    # SQLite takes the database's write lock at the transaction's start instead.
    return Ballot.objects.select_related("campaign").get(pk=ballot.pk)


@contextlib.contextmanager
def cast_lock(ballot: Ballot, *, exclusive: bool = False):
    """Casts hold this lock shared across their two transactions, the close exclusively:
    the close waits for every cast in flight, so no participation is ever left without
    its sheet by a close that slipped between them. (PostgreSQL advisory locks are not
    WAL-logged; SQLite serialises writers anyway.)"""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        if exclusive:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CAST_LOCK, ballot.pk])
            yield
            return
        cursor.execute("SELECT pg_advisory_lock_shared(%s, %s)", [CAST_LOCK, ballot.pk])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_shared(%s, %s)", [CAST_LOCK, ballot.pk])


SHEET_REFUSED = "选票校验未通过，未被接受。请刷新页面重新投票；如仍不行，请向工作人员领取纸质票。"
SHEET_REPEATED = "这张选票与已收到的选票重复，未被接受。请刷新页面重新投票。"
VOTED = "您已经投过票，每人只能投一次，投票后不能更改。"


class CodeRefused(ApplicationError):
    """An unknown voting code: what the code throttle counts."""


CODE_UNKNOWN = "投票码不正确，请核对投票码条上的投票码。"
CODE_USED = "这个投票码已经投过票，每个投票码只能投一次，投票后不能更改。"


def _sheet_checked(ballot: Ballot, sheet: str, sheet_ballot_id: str) -> tuple[str, str, list]:
    """The sheet's canonical text, tracker and slot points once every proof checks under
    the id of the voter's group."""
    if ballot.scheme != BallotScheme.ELGAMAL or not ballot.joint_key:
        raise ApplicationError("本次测评不接受网上投票。")
    try:
        parsed = json.loads(sheet)
        sheet_verify(
            parsed,
            joint_key=point_from_hex(ballot.joint_key),
            ballot_id=sheet_ballot_id,
            layout=ballot.layout,
        )
    except (CryptoError, ValueError, TypeError, RecursionError):
        raise ApplicationError(SHEET_REFUSED) from None
    text = canonical_json(parsed)
    tracker = sheet_tracker(parsed)
    points = [slot["a"] for subject in parsed["subjects"] for slot in subject["slots"]]
    if len(set(points)) != len(points):
        raise ApplicationError(SHEET_REPEATED)
    # A sheet or a ciphertext seen before is refused by the tables' unique constraints when
    # it is stored (_sheet_store), not looked up here first: one check, not two.
    return text, tracker, points


def _own_statement():
    """Outside any transaction (the voting pages) a statement commits on its own; called
    inside one (a test, a script), a savepoint keeps a refused insert from spoiling it."""
    return transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()


def _sheet_store(ballot: Ballot, group_id: int, checked: tuple[str, str, list]) -> None:
    """The sheet's own transaction, after the one that recorded THAT the voter voted: the
    sheet and its slot points in one statement on PostgreSQL. Raises IntegrityError when
    the sheet or any of its ciphertexts was stored before."""
    text, tracker, points = checked
    if connection.vendor != "postgresql":
        with transaction.atomic():
            _share_locked(ballot)
            SealedSheet.objects.create(
                ballot=ballot, voter_group_id=group_id, ciphertext=text.encode(), tracker=tracker
            )
            SheetCiphertext.objects.bulk_create(SheetCiphertext(a=a, ballot=ballot) for a in points)
        return
    # One statement is one transaction of its own (autocommit), all or nothing.
    with _own_statement(), connection.cursor() as cursor:
        cursor.execute(
            "WITH sheet AS (INSERT INTO ballots_sealedsheet"
            " (id, ballot_id, voter_group_id, ciphertext, tracker)"
            " VALUES (%s, %s, %s, %s, %s))"
            " INSERT INTO ballots_sheetciphertext (a, ballot_id)"
            " SELECT unnest(%s::varchar[]), %s",
            [uuid.uuid4(), ballot.pk, group_id, text.encode(), tracker, points, ballot.pk],
        )


def _voted_recorded(ballot: Ballot, actor: Actor) -> bool:
    """In the cast's first transaction, under the shared cast lock: record THAT `actor`
    voted if the ballot is still open and they have not; False otherwise. On PostgreSQL
    one statement, whose snapshot is taken after the lock, so a close that committed
    before is seen."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            ballot = _share_locked(ballot)
            if ballot.status != BallotStatus.OPEN:
                return False
            try:
                with transaction.atomic():
                    Participation.objects.create(ballot=ballot, user=actor)
            except IntegrityError:
                return False
            return True
    # One statement, its own transaction (autocommit).
    with _own_statement(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ballots_participation (ballot_id, user_id)"
            " SELECT id, %s FROM ballots_ballot WHERE id = %s AND status = %s"
            " ON CONFLICT DO NOTHING RETURNING id",
            [actor.pk, ballot.pk, BallotStatus.OPEN],
        )
        return cursor.fetchone() is not None


def ballot_cast(*, actor: Actor, ballot: Ballot, sheet: str) -> str:
    """Accept the member's sheet, encrypted in their browser: check every proof, refuse a
    sheet (or any ciphertext of one) seen before, record THAT they voted, then the sheet.

    Returns the tracker (回执码). The server never sees a choice: `sheet` is the JSON the
    browser posted (ciphertexts and proofs, ballots.elgamal.sheet).

    Why two transactions: a commit record in the WAL (and the rows' xmin) would tie a
    sheet to its participation if both were written together. The participation goes
    first, so a member can never vote twice; if the sheet then cannot be stored (a copy
    of another sheet raced in), the participation is removed again in a third
    transaction and the member is told to vote again. Only a crash of the worker between
    the two commits can leave a participation without its sheet; the close then refuses
    to count (sheets ≠ participations, 选票数与投票人数不一致) instead of losing a vote
    silently (see the README).

    Lean (issue #25): the voting page passes the ballot as ballots.selectors.
    ballot_for_voter read it (status, eligibility, participation, subjects, committee in
    one query), and nothing is checked twice: after that, the cast lock, one statement
    recording THAT the member voted (if still open and not yet), one storing the sheet,
    the unlock."""
    if getattr(ballot, "voter_eligible", None) is None:
        ballot = ballot_for_voter(pk=ballot.pk, user=actor)
    if ballot.status != BallotStatus.OPEN:
        raise ApplicationError("本次测评不在投票时间内。")
    if not ballot.voter_eligible:
        raise ApplicationError("您不在本次测评的投票人名单中。")
    if ballot.voter_voted:
        raise ApplicationError(VOTED)
    checked = _sheet_checked(ballot, sheet, ballot.crypto_id)
    with cast_lock(ballot):
        if not _voted_recorded(ballot, actor):
            # Rare: the ballot closed, or a concurrent cast by the same member won.
            if Ballot.objects.filter(pk=ballot.pk, status=BallotStatus.OPEN).exists():
                raise ApplicationError(VOTED)
            raise ApplicationError("本次测评不在投票时间内。")
        try:
            _sheet_store(ballot, ballot.committee_id, checked)
        except IntegrityError:
            with transaction.atomic():
                Participation.objects.filter(ballot=ballot, user=actor).delete()
            raise ApplicationError(SHEET_REPEATED) from None
    return checked[1]


def code_normalize(code: str) -> str:
    """What a voter typed, as printed: upper case, without spaces or dashes."""
    return "".join(c for c in str(code).upper() if c not in " -\t")


def code_digest(code: str) -> str:
    """The only form of a voting code the database holds: a hash keyed with SECRET_KEY,
    so that a database dump alone cannot be searched for the unused codes."""
    return salted_hmac("ballots.voting_code", code_normalize(code), algorithm="sha256").hexdigest()


def voting_code_find(code: str) -> VotingCode:
    """The voting code typed or scanned, with its ballot and group; CodeRefused if none."""
    normalized = code_normalize(code)
    if not normalized or len(normalized) > 40:
        raise CodeRefused(CODE_UNKNOWN)
    found = (
        VotingCode.objects.select_related("ballot__campaign", "voter_group")
        .filter(digest=code_digest(normalized))
        .first()
    )
    if found is None:
        raise CodeRefused(CODE_UNKNOWN)
    return found


def ballot_cast_code(*, code: str, sheet: str) -> str:
    """A voter without an account votes with a one-time voting code, in its group's
    weight: the same checks and the same two transactions as ballot_cast, with marking
    the code used in place of the participation (undone in a third transaction if the
    sheet cannot be stored). Of fifty concurrent casts with one code, the one whose
    UPDATE … WHERE used = false finds the row unused wins; the others find it used."""
    voting_code = voting_code_find(code)
    ballot, group = voting_code.ballot, voting_code.voter_group
    if ballot.status != BallotStatus.OPEN:
        raise ApplicationError("本次测评不在投票时间内。")
    if voting_code.used:
        raise ApplicationError(CODE_USED)
    checked = _sheet_checked(ballot, sheet, group.sheet_ballot_id(ballot))
    unused = VotingCode.objects.filter(pk=voting_code.pk, used=False)
    with cast_lock(ballot):
        with transaction.atomic():
            ballot = _share_locked(ballot)
            if ballot.status != BallotStatus.OPEN:
                raise ApplicationError("本次测评不在投票时间内。")
            if unused.update(used=True) != 1:
                raise ApplicationError(CODE_USED)
        try:
            _sheet_store(ballot, group.pk, checked)
        except IntegrityError:
            with transaction.atomic():
                VotingCode.objects.filter(pk=voting_code.pk).update(used=False)
            raise ApplicationError(SHEET_REPEATED) from None
    return checked[1]
