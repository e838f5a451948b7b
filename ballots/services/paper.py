"""Paper ballots counted at the meeting, and reminders to members who have not voted."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.outbox import Mail, email_queue

from ..audit import AuditAction
from ..models import (
    Ballot,
    Eligibility,
    PaperCount,
    PaperEntry,
    PaperEntryNumber,
    PaperTally,
    Participation,
    VoterGroup,
)
from ..selectors import paper_differences, paper_field_name
from ..workflows import BALLOT_WORKFLOW
from .ballots import REMIND_MAIL_KIND, _locked

ENTRY_NAMES = dict(PaperEntryNumber.choices)


def _paper_check(
    ballot: Ballot, items, *, issued: int, returned: int, counts: dict[int, dict[str, int]]
) -> dict[str, dict[str, int]]:
    """The counting form's checks (returned ≤ issued; per subject the options and the
    invalid sheets add up to the sheets returned); the entry's counts in full, every
    option and "invalid" per subject, keyed by the subject id as a string."""
    if issued < 0 or returned < 0:
        raise ApplicationError("票数不能为负数。")
    if returned > issued:
        raise ApplicationError(f"收回票数 {returned} 多于发出票数 {issued}，请核对。")
    fields = [*ballot.sheet_options, "invalid"]
    known = {item.subject_id for item in items}
    if set(counts) - known:
        raise ApplicationError("评议对象不属于本次测评。")
    full, problems = {}, []
    for item in items:
        row = counts.get(item.subject_id, {})
        if any(n < 0 for n in row.values()):
            raise ApplicationError("票数不能为负数。")
        if set(row) - set(fields):
            raise ApplicationError("选项无效。")
        full[str(item.subject_id)] = {f: row.get(f, 0) for f in fields}
        total = sum(row.values())
        if total != returned:
            parts = "、".join(f"{paper_field_name(f)} {row.get(f, 0)}" for f in fields)
            problems.append(f"{item.subject.person_name}（{parts}，合计 {total}，应为 {returned}）")
    if problems:
        raise ApplicationError(
            "每名评议对象各选项票数与无效票之和应等于收回票数：" + "；".join(problems) + "。"
        )
    return full


def _agree(ballot: Ballot, voter_group: VoterGroup, first, second) -> list[str]:
    """Make the group's counted PaperTally follow its entries: written from them when both
    exist and agree, removed otherwise. Returns the differences (empty when they agree)."""
    PaperTally.objects.filter(ballot=ballot, voter_group=voter_group).delete()
    if first is None or second is None:
        return []
    differences = paper_differences(ballot, first, second)
    if differences:
        return differences
    tally = PaperTally.objects.create(
        ballot=ballot, voter_group=voter_group, issued=first.issued, returned=first.returned
    )
    PaperCount.objects.bulk_create(
        PaperCount(tally=tally, subject_id=int(sid), option=option, count=n)
        for sid, row in first.counts.items()
        for option, n in row.items()
        if option != "invalid" and n
    )
    return []


@transaction.atomic
def paper_enter(
    *,
    actor: Actor,
    ballot: Ballot,
    voter_group: VoterGroup,
    number: int,
    issued: int,
    returned: int,
    counts: dict[int, dict[str, int]],
) -> PaperEntry:
    """One of the two typings of a voter group's counting form (计票单): per subject, the
    sheets for each option and the invalid ones, which must add up to the sheets returned.

    The two entries are made by different office users; the second is compared with the
    first field by field. Only two agreeing entries make the counted PaperTally; until
    then the ballot cannot be closed (paper_pending). Either entry may be redone, by its
    author or a third office user, until they agree. Every entry is in the audit, with
    its figures."""
    ballot = _locked(ballot)
    BALLOT_WORKFLOW.action_check(ballot, actor, "enter_paper")
    if voter_group.ballot_id != ballot.pk:
        raise ApplicationError("投票人类别不属于本次测评。")
    if number not in ENTRY_NAMES:
        raise ApplicationError("请选择第一次录入或第二次录入。")
    items = list(ballot.items.select_related("subject").order_by("position"))
    full = _paper_check(ballot, items, issued=issued, returned=returned, counts=counts)
    entries = {
        e.number: e
        for e in PaperEntry.objects.select_for_update().filter(
            ballot=ballot, voter_group=voter_group
        )
    }
    other = entries.get(3 - number)
    if other is not None and other.entered_by_id == actor.pk:
        raise ApplicationError(
            f"{voter_group.name}的{ENTRY_NAMES[other.number]}是您做的，"
            f"{ENTRY_NAMES[number]}须由另一名工作人员完成。"
        )
    if number == PaperEntryNumber.SECOND and PaperEntryNumber.FIRST not in entries:
        raise ApplicationError(f"{voter_group.name}还没有第一次录入，请先完成第一次录入。")
    # A tally stored without entries (typed once, before double entry) is not counted; the
    # first entry replaces it, and its figures stay in this entry's audit record.
    unchecked = (
        None
        if entries
        else PaperTally.objects.filter(ballot=ballot, voter_group=voter_group)
        .prefetch_related("counts")
        .first()
    )
    entry, created = PaperEntry.objects.update_or_create(
        ballot=ballot,
        voter_group=voter_group,
        number=number,
        defaults={
            "entered_by": actor,
            "entered_at": timezone.now(),
            "issued": issued,
            "returned": returned,
            "counts": full,
        },
    )
    entries[number] = entry
    first, second = entries.get(1), entries.get(2)
    differences = _agree(ballot, voter_group, first, second)
    if second is None:
        outcome = "待另一名工作人员第二次录入核对"
    elif differences:
        outcome = "两次录入不一致：" + "；".join(differences)
    else:
        outcome = "两次录入一致，计入测评"
    names = {str(i.subject_id): i.subject.person_name for i in items}
    audit_log(
        actor=actor,
        action=AuditAction.BALLOT_PAPER,
        summary=(
            f"“{ballot}”{voter_group.name}纸质票{'' if created else '重做'}{ENTRY_NAMES[number]}：发出 {issued} 张，"
            f"收回 {returned} 张；{outcome}"
        ),
        target=ballot,
        campaign=ballot.campaign,
        data={
            "voter_group": voter_group.name,
            "entry": number,
            "issued": issued,
            "returned": returned,
            "counts": {names[sid]: row for sid, row in full.items()},
            "differences": differences,
            **(
                {
                    "replaced_unchecked_tally": {
                        "issued": unchecked.issued,
                        "returned": unchecked.returned,
                        "counts": [
                            [names.get(str(c.subject_id), str(c.subject_id)), c.option, c.count]
                            for c in unchecked.counts.all()
                        ],
                    }
                }
                if unchecked is not None
                else {}
            ),
        },
    )
    return entry


@transaction.atomic
def ballot_remind(*, actor: Actor, ballot: Ballot) -> int:
    """Remind the eligible members who have not voted yet: an e-mail each (to those with an
    address), queued in the outbox with this request and sent once it has committed.
    Returns how many were reminded."""
    BALLOT_WORKFLOW.action_check(ballot, actor, "remind")
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
