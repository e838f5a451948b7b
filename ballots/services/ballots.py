"""The secret satisfaction ballot: open, close (sum the sheets), publish; casting is in
cast.py, the tellers and the count in tellers.py, the recheck of a published count in
verify.py.

See ballots/models/__init__.py for how secrecy is built. States move draft → open → counting →
closed → published through BALLOT_WORKFLOW: by office staff, except counting → closed,
which only the k-th teller's valid decryption makes (tellers.py).
"""

import itertools
import json

from django.db import transaction
from django.utils import timezone

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.outbox import email_cancel
from core.workflow import transition
from reviews.models import CampaignStage, Member

from ..audit import AuditAction
from ..elgamal.elgamal import Ciphertext
from ..elgamal.group import point_from_hex
from ..elgamal.tally import tally_sum, tally_to_json
from ..models import (
    Ballot,
    BallotItem,
    BallotPurpose,
    BallotResult,
    BallotStatus,
    Eligibility,
    PaperTally,
    Participation,
    SealedSheet,
    SheetCiphertext,
    Teller,
    VoterGroup,
    VotingCode,
)
from ..selectors import paper_pending, tally_groups, web_groups, web_voters_by_group
from ..workflows import BALLOT_WORKFLOW
from .cast import cast_lock


def _locked(ballot: Ballot) -> Ballot:
    return (
        Ballot.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=ballot.pk)
    )


# The stage a real ballot belongs to: the review ballot is cast at the committee's review
# meeting, the rectification assessment once a rectification report is in. A practice
# ballot (试投票) may be tried at any time.
OPEN_STAGE = {
    BallotPurpose.REVIEW: CampaignStage.REVIEW,
    BallotPurpose.RECTIFICATION: CampaignStage.RECTIFICATION,
}


def ballot_open_stage_problem(ballot: Ballot) -> str:
    """Why opening `ballot` now needs a written reason (its campaign is not in the stage
    the ballot belongs to), or "" when it does not."""
    stage = OPEN_STAGE.get(ballot.purpose)
    if stage is None or ballot.campaign.stage == stage:
        return ""
    return (
        f"评议活动现在处于{ballot.campaign.get_stage_display()}，"
        f"{ballot.get_purpose_display()}应在{CampaignStage(stage).label}开始投票"
    )


def ballot_open_voters() -> list[int]:
    """Who may vote on the web when a ballot opens: the serving members who count toward
    the composition (the confirmation page names them, ballot_open fixes them)."""
    return list(
        Member.objects.filter(is_active=True, counts_toward_composition=True).values_list(
            "user_id", flat=True
        )
    )


@transaction.atomic
def ballot_open(*, actor: Actor, ballot: Ballot, reason: str = "") -> Ballot:
    """Open the voting. A real ballot opens in its stage (OPEN_STAGE); outside it only with
    the office's written `reason`, which is kept on the ballot, shown on its pages and
    written into the audit entry, so an early or late vote is never silent."""
    ballot = _locked(ballot)
    BALLOT_WORKFLOW.check(ballot, actor, BALLOT_WORKFLOW.named("open"))
    from .tellers import tellers_missing  # tellers imports this module

    missing = tellers_missing(ballot)
    if missing or not ballot.joint_key:
        raise ApplicationError(
            "还不能开始投票：" + "；".join(missing or ["监票人密钥不完整"]) + "。"
        )
    reason = (reason or "").strip()
    stage_problem = ballot_open_stage_problem(ballot)
    if stage_problem and not reason:
        raise ApplicationError(f"{stage_problem}。确需现在开始投票，请写明理由。")
    voters = ballot_open_voters()
    if not voters:
        raise ApplicationError("系统中没有在任且计入组成人员的常委会组成人员，无法开始网上投票。")
    Eligibility.objects.bulk_create(Eligibility(ballot=ballot, user_id=u) for u in voters)
    # No key at all on the server: sheets are encrypted in the members' browsers under the
    # joint key that the tellers' commitments define (ballot.joint_key).
    summary = f"“{ballot}”开始投票（应投 {len(voters)} 人）"
    if stage_problem:
        summary += f"；{stage_problem}，理由：{reason}"
    return transition(
        obj=ballot,
        to=BallotStatus.OPEN,
        workflow=BALLOT_WORKFLOW,
        actor=actor,
        summary=summary,
        stamp={
            "opened_at": timezone.now(),
            "open_reason": f"{stage_problem}。理由：{reason}" if stage_problem else "",
        },
        campaign=ballot.campaign,
    )


# E-mails reminding members to vote (ballots.services.paper.ballot_remind), keyed
# "<ballot id>:<request id>" in the outbox.
REMIND_MAIL_KIND = "ballot_remind"


def _sheets_sum(sheets: list, layout: list[int]) -> list[list[Ciphertext]]:
    """The slot-by-slot sums of the stored sheets.

    Every point of every sheet was checked with its proofs at cast, so here they are read
    for their spelling only (200 sheets of 80 slots are 32,000 points); libsodium's
    ristretto255 addition still decodes each and refuses an encoding that is no point,
    and each sum is checked as a received point is. A sheet edited in the
    database is found by ballot_verify and the record's verifier, which check every
    sheet's proofs again."""
    try:
        parsed = [
            [
                [
                    Ciphertext.from_json_unchecked({"a": slot["a"], "b": slot["b"]}, "sheet")
                    for slot in subject["slots"]
                ]
                for subject in json.loads(bytes(sheet))["subjects"]
            ]
            for sheet in sheets
        ]
        total = tally_sum(parsed, layout)
        for ct in itertools.chain.from_iterable(total if sheets else []):
            point_from_hex(ct.a.hex(), "sum"), point_from_hex(ct.b.hex(), "sum")
    except (KeyError, TypeError, ValueError) as error:  # CryptoError is a ValueError
        raise ApplicationError("选票数据校验未通过，已停止计票，请联系系统管理员。") from error
    return total


@transaction.atomic
def ballot_close(*, actor: Actor, ballot: Ballot) -> Ballot:
    """End the voting and add the sheets slot by slot; the tellers decrypt only the sums
    (ballots.services.tellers.ballot_decrypt), and the k-th of them counts the ballot."""
    with cast_lock(ballot, exclusive=True):
        ballot = _locked(ballot)
    BALLOT_WORKFLOW.check(ballot, actor, BALLOT_WORKFLOW.named("close"))
    pending = paper_pending(ballot)
    if pending:
        # After close no paper entry can be made: counting now would leave these out.
        raise ApplicationError(
            "纸质票两次录入尚未核对一致，不能结束投票：" + "；".join(pending) + "。"
        )
    groups = web_groups(ballot)
    voters = web_voters_by_group(ballot)
    by_group: dict[int, list] = {g.pk: [] for g in groups}
    for group_id, sheet in SealedSheet.objects.filter(ballot=ballot).values_list(
        "voter_group_id", "ciphertext"
    ):
        by_group.setdefault(group_id or groups[0].pk, []).append(sheet)
    if set(by_group) != set(voters) or any(len(by_group[g]) != n for g, n in voters.items()):
        raise ApplicationError("选票数与投票人数不一致，已停止计票，请联系系统管理员。")
    groups = tally_groups(ballot)
    participants = sum(voters.values())
    layout = ballot.layout
    # One sum per group and subject, group after group (committee first): each group's
    # counts carry its own weight, so its sums are decrypted apart.
    total = []
    for group in groups:
        total += tally_to_json(_sheets_sum(by_group[group.pk], layout))
    # Reminders still waiting for the mail server would only confuse now.
    email_cancel(kind=REMIND_MAIL_KIND, key_prefix=f"{ballot.pk}:", reason="投票已结束，不再发送。")
    ballot = transition(
        obj=ballot,
        to=BallotStatus.COUNTING,
        workflow=BALLOT_WORKFLOW,
        actor=actor,
        summary=f"“{ballot}”结束投票（网上 {participants} 人），待监票人解密",
        stamp={"closed_at": timezone.now(), "web_participants": participants, "tally": total},
        campaign=ballot.campaign,
    )
    if participants == 0:
        # Nothing was encrypted, so there is nothing to decrypt: every web count is 0.
        from .tellers import ballot_count  # tellers imports this module

        return ballot_count(
            actor=actor, ballot=ballot, rows=[[0] * n for _ in groups for n in layout]
        )
    return ballot


def web_counts_by_subject(ballot: Ballot, rows: list[list[int]]) -> dict[int, dict[str, int]]:
    """One voter group's web counts, from its rows of the decrypted tally."""
    subject_ids = list(ballot.items.order_by("position").values_list("subject_id", flat=True))
    return {
        sid: dict(zip(ballot.sheet_options, row, strict=True))
        for sid, row in zip(subject_ids, rows, strict=True)
    }


def ballot_validity(ballot: Ballot) -> tuple[bool, str, str]:
    """Whether enough members took part (web and the committee's paper sheets), the reason
    when not, and what the count saw, for the audit entry."""
    committee = ballot.voter_groups.get(is_committee=True)
    paper = PaperTally.objects.filter(ballot=ballot, voter_group=committee).first()
    voters = web_voters_by_group(ballot)
    web = voters.get(committee.pk, 0)
    took_part = web + (paper.returned if paper else 0)
    is_valid = took_part >= ballot.quorum
    reason = (
        ""
        if is_valid
        else f"参加测评 {took_part} 人，少于最低参加人数 {ballot.quorum} 人，本轮测评无效。"
    )
    others = "".join(
        f"，{g.name}网上 {voters[g.pk]} 人" for g in web_groups(ballot) if not g.is_committee
    )
    seen = f"网上 {web} 人{f'，纸质 {paper.returned} 张' if paper else ''}{others}"
    return is_valid, reason, seen


@transaction.atomic
def ballot_publish_preview(*, actor: Actor, ballot: Ballot) -> list[BallotResult]:
    """The counted results of a closed ballot, for the office to read the exact text it is
    about to publish. The only read of a sealed result (see
    ballots.selectors.ballot_results_visible): a deliberate step of publishing, by office
    staff, once the count is closed and cannot change, and written to the audit log so
    that a look without publishing is on record."""
    ballot = _locked(ballot)
    BALLOT_WORKFLOW.action_check(ballot, actor, "preview")
    audit_log(
        actor=actor,
        action=AuditAction.BALLOT_PREVIEW,
        summary=f"预览“{ballot}”的公布文本",
        target=ballot,
        campaign=ballot.campaign,
    )
    return list(ballot.results.select_related("subject__unit").order_by("rank"))


@transaction.atomic
def ballot_publish(*, actor: Actor, ballot: Ballot) -> Ballot:
    ballot = _locked(ballot)
    BALLOT_WORKFLOW.check(ballot, actor, BALLOT_WORKFLOW.named("publish"))
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
def ballot_discard_practice(*, actor: Actor, ballot: Ballot) -> None:
    """A practice ballot has done its job once closed: it leaves no votes behind."""
    ballot = _locked(ballot)
    BALLOT_WORKFLOW.action_check(ballot, actor, "discard")
    name, campaign = str(ballot), ballot.campaign
    for model in (
        BallotResult,
        Participation,
        Eligibility,
        SealedSheet,
        SheetCiphertext,
        Teller,
        VotingCode,
    ):
        model.objects.filter(ballot=ballot).delete()
    PaperTally.objects.filter(ballot=ballot).delete()
    ballot.delete()
    audit_log(
        actor=actor,
        action=AuditAction.BALLOT_DISCARD,
        summary=f"作废试投票“{name}”",
        campaign=campaign,
    )


@transaction.atomic
def ballot_new_round(*, actor: Actor, ballot: Ballot) -> Ballot:
    """After an invalid round (quorum), hold another; the earlier round stays on record."""
    ballot = _locked(ballot)
    BALLOT_WORKFLOW.action_check(ballot, actor, "new_round")
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
        teller_count=ballot.teller_count,
        teller_threshold=ballot.teller_threshold,
    )
    # The same tellers, who make new keys: a key belongs to one ballot only.
    Teller.objects.bulk_create(
        Teller(ballot=new, user_id=t.user_id, index=t.index)
        for t in Teller.objects.filter(ballot=ballot)
    )
    BallotItem.objects.bulk_create(
        BallotItem(ballot=new, subject_id=i.subject_id, position=i.position)
        for i in ballot.items.all()
    )
    VoterGroup.objects.bulk_create(
        # A group's voting codes belong to one round: the office issues new ones.
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
