"""Paper ballots counted at the meeting, and reminders to members who have not voted."""

from django.contrib.auth import get_user_model
from django.db import transaction

from core.audit import audit_log
from core.errors import ApplicationError
from core.outbox import Mail, email_queue
from core.services import require_office

from ..audit import AuditAction
from ..models import (
    Ballot,
    BallotStatus,
    Eligibility,
    PaperCount,
    PaperTally,
    Participation,
    VoterGroup,
)
from .ballots import REMIND_MAIL_KIND, _locked


@transaction.atomic
def paper_enter(
    *,
    actor,
    ballot: Ballot,
    voter_group: VoterGroup,
    issued: int,
    returned: int,
    counts: dict[int, dict[str, int]],
) -> PaperTally:
    """Paper ballots counted at the meeting: per subject, option counts plus invalid sheets
    must add up to the sheets returned."""
    require_office(actor)
    ballot = _locked(ballot)
    if ballot.status not in (BallotStatus.DRAFT, BallotStatus.OPEN):
        raise ApplicationError("测评已结束，不能再录入纸质票。")
    if voter_group.ballot_id != ballot.pk:
        raise ApplicationError("投票人类别不属于本次测评。")
    if issued < 0 or returned < 0:
        raise ApplicationError("票数不能为负数。")
    if returned > issued:
        raise ApplicationError(f"收回票数 {returned} 多于发出票数 {issued}，请核对。")
    items = list(ballot.items.select_related("subject"))
    problems = []
    for item in items:
        row = counts.get(item.subject_id, {})
        if any(n < 0 for n in row.values()):
            raise ApplicationError("票数不能为负数。")
        unknown = set(row) - set(ballot.sheet_options) - {"invalid"}
        if unknown:
            raise ApplicationError("选项无效。")
        total = sum(row.values())
        if total != returned:
            problems.append(f"{item.subject.person_name}（合计 {total}，应为 {returned}）")
    if problems:
        raise ApplicationError("各选项票数与废票之和应等于收回票数：" + "；".join(problems) + "。")
    PaperTally.objects.filter(ballot=ballot, voter_group=voter_group).delete()
    tally = PaperTally.objects.create(
        ballot=ballot, voter_group=voter_group, issued=issued, returned=returned
    )
    PaperCount.objects.bulk_create(
        PaperCount(tally=tally, subject_id=item.subject_id, option=option, count=n)
        for item in items
        for option, n in counts.get(item.subject_id, {}).items()
        if option != "invalid"
    )
    audit_log(
        actor=actor,
        action=AuditAction.BALLOT_PAPER,
        summary=f"“{ballot}”录入{voter_group.name}纸质票：发出 {issued} 张，收回 {returned} 张",
        target=ballot,
        campaign=ballot.campaign,
    )
    return tally


@transaction.atomic
def ballot_remind(*, actor, ballot: Ballot) -> int:
    """Remind the eligible members who have not voted yet: an e-mail each (to those with an
    address), queued in the outbox with this request and sent once it has committed.
    Returns how many were reminded."""
    require_office(actor)
    if ballot.status != BallotStatus.OPEN:
        raise ApplicationError("测评不在投票中。")
    voted = Participation.objects.filter(ballot=ballot).values("user_id")
    waiting = Eligibility.objects.filter(ballot=ballot).exclude(user_id__in=voted)
    users = list(get_user_model().objects.filter(pk__in=waiting.values("user_id")).order_by("pk"))
    entry = audit_log(
        actor=actor,
        action=AuditAction.BALLOT_REMIND,
        summary=f"提醒 {len(users)} 名未投票人员参加“{ballot}”",
        target=ballot,
        campaign=ballot.campaign,
    )
    email_queue(
        kind=REMIND_MAIL_KIND,
        mails=[
            Mail(
                key=f"{ballot.pk}:{entry.pk}",
                recipient=u.email,
                subject=f"请参加“{ballot}”",
                body=f"{u.get_full_name() or u.username}：“{ballot}”正在进行，请登录系统投票。",
            )
            for u in users
        ],
    )
    return len(users)
