"""The secret satisfaction ballot: configure, open, cast, close (tally once), publish.

See ballots/models.py for how secrecy is built. States move
draft → open → closed → published, only here, only by office staff.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.audit import audit_log
from core.errors import ApplicationError
from core.keystore import key_destroy, key_names, key_write
from core.outbox import email_cancel
from core.services import require_office
from core.workflow import transition
from reviews.models import Member

from .. import crypto as ballot_crypto
from ..audit import AuditAction
from ..models import (
    BALLOT_WORKFLOW,
    Ballot,
    BallotItem,
    BallotPurpose,
    BallotResult,
    BallotStatus,
    Eligibility,
    PaperTally,
    Participation,
    SealedSheet,
    VoterGroup,
)
from .keys import ballot_key_name, sheet_layout
from .tally import count_sheets, sheets_product, tally


def _locked(ballot: Ballot) -> Ballot:
    return (
        Ballot.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=ballot.pk)
    )


def _share_locked(ballot: Ballot) -> Ballot:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM ballots_ballot WHERE id = %s FOR SHARE", [ballot.pk])
    # SQLite takes the database's write lock at the transaction's start instead.
    return Ballot.objects.select_related("campaign").get(pk=ballot.pk)


@transaction.atomic
def ballot_open(*, actor, ballot: Ballot) -> Ballot:
    require_office(actor)
    ballot = _locked(ballot)
    BALLOT_WORKFLOW.require(ballot.status, BallotStatus.OPEN)
    voters = list(
        Member.objects.filter(is_active=True, counts_toward_composition=True).values_list(
            "user_id", flat=True
        )
    )
    if not voters:
        raise ApplicationError("系统中没有在任且计入组成人员的常委会组成人员，无法开始网上投票。")
    Eligibility.objects.bulk_create(Eligibility(ballot=ballot, user_id=u) for u in voters)
    # Only the public key goes to the database; the private key is a file outside it.
    # Should this transaction roll back, the file is left for a draft ballot and replaced
    # at the next open (or removed by ballot_keys_purge).
    n, secret = ballot_crypto.keypair_new()
    key_write(name=ballot_key_name(ballot), data=secret)
    return transition(
        obj=ballot,
        to=BallotStatus.OPEN,
        workflow=BALLOT_WORKFLOW,
        actor=actor,
        summary=f"“{ballot}”开始投票（应投 {len(voters)} 人）",
        stamp={
            "opened_at": timezone.now(),
            "public_key": format(n, "x"),
            "slot_bits": ballot_crypto.slot_bits_for(len(voters)),
        },
        campaign=ballot.campaign,
    )


def ballot_cast(*, actor, ballot: Ballot, choices: dict[int, str]) -> str:
    """Cast the member's whole sheet once, encrypted under the ballot's public key.

    Returns the receipt to show them: the tracker of their sheet, listed after publication
    among the counted sheets. The participation and the sheet share a transaction; that is
    harmless because nothing in the database can open the sheet."""
    with transaction.atomic():
        # A shared lock on the ballot row: casts run side by side, but the close (which
        # takes the row exclusively) waits for them, and no sheet lands after the count.
        ballot = _share_locked(ballot)
        if ballot.status != BallotStatus.OPEN:
            raise ApplicationError("本次测评不在投票时间内。")
        if not Eligibility.objects.filter(ballot=ballot, user=actor).exists():
            raise ApplicationError("您不在本次测评的投票人名单中。")
        if Participation.objects.filter(ballot=ballot, user=actor).exists():
            raise ApplicationError("您已经投过票，每人只能投一次，投票后不能更改。")
        subject_ids = list(ballot.items.order_by("position").values_list("subject_id", flat=True))
        allowed = set(ballot.sheet_options)
        missing = [sid for sid in subject_ids if choices.get(sid) not in allowed]
        if missing or set(choices) - set(subject_ids):
            raise ApplicationError(
                f"还有 {len(missing)} 名评议对象未选择，请对每一名评议对象作出选择。"
                if missing
                else "选票内容无效。"
            )
        sheet = ballot_crypto.sheet_encrypt(
            sheet_layout(ballot, len(subject_ids)),
            [ballot.sheet_options.index(choices[sid]) for sid in subject_ids],
        )
        try:
            with transaction.atomic():
                Participation.objects.create(ballot=ballot, user=actor)
        except IntegrityError:
            raise ApplicationError("您已经投过票，每人只能投一次，投票后不能更改。") from None
        SealedSheet.objects.create(ballot=ballot, ciphertext=sheet)
    return ballot_crypto.tracker(sheet)


# E-mails reminding members to vote (ballots.services.paper.ballot_remind), keyed
# "<ballot id>:<request id>" in the outbox.
REMIND_MAIL_KIND = "ballot_remind"


@transaction.atomic
def ballot_close(*, actor, ballot: Ballot) -> Ballot:
    """Count by multiplying the sheets and decrypting only the product; destroy the key."""
    require_office(actor)
    ballot = _locked(ballot)
    BALLOT_WORKFLOW.require(ballot.status, BallotStatus.CLOSED)
    participants = Participation.objects.filter(ballot=ballot).count()
    if SealedSheet.objects.filter(ballot=ballot).count() != participants:
        raise ApplicationError("选票数与投票人数不一致，已停止计票，请联系系统管理员。")
    counts, ballot.tally_proof = count_sheets(ballot)
    if any(sum(row.values()) != participants for row in counts.values()):
        raise ApplicationError("选票数与投票人数不一致，已停止计票，请联系系统管理员。")
    ballot.web_participants = participants
    BallotResult.objects.bulk_create(tally(ballot, counts))
    committee = ballot.voter_groups.get(is_committee=True)
    paper = PaperTally.objects.filter(ballot=ballot, voter_group=committee).first()
    took_part = participants + (paper.returned if paper else 0)
    ballot.is_valid = took_part >= ballot.quorum
    ballot.invalid_reason = (
        ""
        if ballot.is_valid
        else (f"参加测评 {took_part} 人，少于最低参加人数 {ballot.quorum} 人，本轮测评无效。")
    )
    # Reminders still waiting for the mail server would only confuse now.
    email_cancel(kind=REMIND_MAIL_KIND, key_prefix=f"{ballot.pk}:", reason="投票已结束，不再发送。")
    # Only once the count is committed may the key go: a rolled-back close stays open.
    name = ballot_key_name(ballot)
    transaction.on_commit(lambda: (key_destroy(name=name), ballot_keys_purge()))
    return transition(
        obj=ballot,
        to=BallotStatus.CLOSED,
        workflow=BALLOT_WORKFLOW,
        actor=actor,
        summary=f"“{ballot}”结束投票并计票（网上 {participants} 人{f'，纸质 {paper.returned} 张' if paper else ''}）"
        + ("" if ballot.is_valid else "：" + ballot.invalid_reason),
        stamp={
            "closed_at": timezone.now(),
            "web_participants": participants,
            "tally_proof": ballot.tally_proof,
            "is_valid": ballot.is_valid,
            "invalid_reason": ballot.invalid_reason,
        },
        campaign=ballot.campaign,
    )


@transaction.atomic
def ballot_publish(*, actor, ballot: Ballot) -> Ballot:
    require_office(actor)
    ballot = _locked(ballot)
    return transition(
        obj=ballot,
        to=BallotStatus.PUBLISHED,
        workflow=BALLOT_WORKFLOW,
        actor=actor,
        summary=f"公布“{ballot}”测评结果",
        stamp={"published_at": timezone.now()},
        campaign=ballot.campaign,
    )


@transaction.atomic
def ballot_discard_practice(*, actor, ballot: Ballot) -> None:
    """A practice ballot has done its job once closed: it leaves no votes behind."""
    require_office(actor)
    ballot = _locked(ballot)
    if ballot.purpose != BallotPurpose.PRACTICE:
        raise ApplicationError("只有试投票可以作废。")
    if ballot.status == BallotStatus.OPEN:
        raise ApplicationError("请先结束试投票。")
    name, campaign = str(ballot), ballot.campaign
    for model in (BallotResult, Participation, Eligibility, SealedSheet):
        model.objects.filter(ballot=ballot).delete()
    PaperTally.objects.filter(ballot=ballot).delete()
    key_name = ballot_key_name(ballot)
    ballot.delete()
    transaction.on_commit(lambda: key_destroy(name=key_name))
    audit_log(
        actor=actor,
        action=AuditAction.BALLOT_DISCARD,
        summary=f"作废试投票“{name}”",
        campaign=campaign,
    )


@transaction.atomic
def ballot_new_round(*, actor, ballot: Ballot) -> Ballot:
    """After an invalid round (quorum), hold another; the earlier round stays on record."""
    require_office(actor)
    ballot = _locked(ballot)
    if ballot.status != BallotStatus.CLOSED or ballot.is_valid is not False:
        raise ApplicationError("只有因人数不足而无效的测评可以重新组织投票。")
    if hasattr(ballot, "next_round"):
        raise ApplicationError("已经组织过下一轮投票。")
    new = Ballot.objects.create(
        campaign=ballot.campaign,
        meeting=ballot.meeting,
        name=ballot.name,
        purpose=ballot.purpose,
        round=ballot.round + 1,
        previous=ballot,
        options=ballot.options,
        abstain_allowed=ballot.abstain_allowed,
        favourable=ballot.favourable,
        outcomes=ballot.outcomes,
        composition_size=ballot.composition_size,
        present_count=ballot.present_count,
        quorum=ballot.quorum,
        quorum_base=ballot.quorum_base,
        rule_preset=ballot.rule_preset,
        rule_spec=ballot.rule_spec,
    )
    BallotItem.objects.bulk_create(
        BallotItem(ballot=new, subject_id=i.subject_id, position=i.position)
        for i in ballot.items.all()
    )
    VoterGroup.objects.bulk_create(
        VoterGroup(ballot=new, name=g.name, weight=g.weight, is_committee=g.is_committee)
        for g in ballot.voter_groups.all()
    )
    audit_log(
        actor=actor,
        action=AuditAction.BALLOT_ROUND,
        summary=f"“{ballot.name}”组织第 {new.round} 轮投票",
        target=new,
        campaign=ballot.campaign,
    )
    return new


def ballot_verify(*, ballot: Ballot) -> bool:
    """Anyone's check of a published count: the product of the stored sheets, with the
    published proof, gives exactly the published web counts."""
    if ballot.status != BallotStatus.PUBLISHED or not ballot.tally_proof:
        return False
    subject_ids, layout, product = sheets_product(ballot)
    proof = ballot.tally_proof
    plains = [int(m, 16) for m in proof["plaintext"]]
    if [format(c, "x") for c in product] != proof["product"] or not ballot_crypto.product_verify(
        layout, product, plains, [int(r, 16) for r in proof["randomness"]]
    ):
        return False
    rows = ballot_crypto.counts_unpack(layout, plains)
    web = dict(BallotResult.objects.filter(ballot=ballot).values_list("subject_id", "web_counts"))
    return all(
        web.get(sid) == dict(zip(ballot.sheet_options, row, strict=True))
        for sid, row in zip(subject_ids, rows, strict=True)
    )


def ballot_keys_purge() -> int:
    """Destroy key files left behind for ballots that are no longer open (a crash between
    the close's commit and its key deletion, or an open that rolled back)."""
    names = key_names(prefix="ballot")
    open_ids = set(Ballot.objects.filter(status=BallotStatus.OPEN).values_list("pk", flat=True))
    stale = [n for n in names if int(n.split("-")[1]) not in open_ids]
    for name in stale:
        key_destroy(name=name)
    return len(stale)
