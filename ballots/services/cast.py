"""Casting: the member's browser-encrypted sheet, checked, then stored apart from the
record that the member voted (see ballot_cast's docstring for why and what if)."""

import contextlib
import json

from django.db import IntegrityError, connection, transaction
from django.utils.crypto import salted_hmac

from core.errors import ApplicationError

from ..elgamal.group import CryptoError, point_from_hex
from ..elgamal.sheet import canonical_json, sheet_verify
from ..elgamal.sheet import tracker as sheet_tracker
from ..models import (
    Ballot,
    BallotScheme,
    BallotStatus,
    Eligibility,
    Participation,
    SealedSheet,
    SheetCiphertext,
    VoterGroup,
    VotingCode,
)

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


def _cast_allowed(ballot: Ballot, actor) -> None:
    if ballot.status != BallotStatus.OPEN:
        raise ApplicationError("本次测评不在投票时间内。")
    if not Eligibility.objects.filter(ballot=ballot, user=actor).exists():
        raise ApplicationError("您不在本次测评的投票人名单中。")
    if Participation.objects.filter(ballot=ballot, user=actor).exists():
        raise ApplicationError(VOTED)


def _sheet_checked(ballot: Ballot, sheet: str, sheet_ballot_id: str) -> tuple[str, str, list]:
    """The sheet's canonical text, tracker and slot points once every proof checks under
    the id of the voter's group, and nothing of it was seen before."""
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
    if (
        SealedSheet.objects.filter(ballot=ballot, tracker=tracker).exists()
        or SheetCiphertext.objects.filter(a__in=points).exists()
    ):
        raise ApplicationError(SHEET_REPEATED)
    return text, tracker, points


def _sheet_store(ballot: Ballot, group_id: int, checked: tuple[str, str, list]) -> None:
    """The sheet's own transaction, after the one that recorded THAT the voter voted."""
    text, tracker, points = checked
    with transaction.atomic():
        _share_locked(ballot)
        SealedSheet.objects.create(
            ballot=ballot, voter_group_id=group_id, ciphertext=text.encode(), tracker=tracker
        )
        SheetCiphertext.objects.bulk_create(SheetCiphertext(a=a, ballot=ballot) for a in points)


def ballot_cast(*, actor, ballot: Ballot, sheet: str) -> str:
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
    silently (see the README)."""
    ballot = Ballot.objects.get(pk=ballot.pk)
    _cast_allowed(ballot, actor)
    committee = VoterGroup.objects.get(ballot=ballot, is_committee=True)
    checked = _sheet_checked(ballot, sheet, committee.sheet_ballot_id(ballot))
    with cast_lock(ballot):
        with transaction.atomic():
            ballot = _share_locked(ballot)
            _cast_allowed(ballot, actor)
            try:
                with transaction.atomic():
                    Participation.objects.create(ballot=ballot, user=actor)
            except IntegrityError:
                raise ApplicationError(VOTED) from None
        try:
            _sheet_store(ballot, committee.pk, checked)
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
