"""The review meeting: its record (date, attendees, the order subjects report in), the
inquiries (询问) put to on-site subjects and the answers recorded."""

from django.db import transaction
from django.utils import timezone

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.formats import cn_date
from core.roles import Role, user_has_role
from core.services import (
    apply_changes,
    changed_labels,
    delete_or_raise,
    require_office,
    validate_or_raise,
)
from reviews.models import Campaign, CampaignStage
from subjects.models import ReviewForm, Subject

from ..audit import AuditAction
from ..models import AgendaItem, BallotStatus, Inquiry, ReviewMeeting
from ..signals import meeting_recorded


@transaction.atomic
def inquiry_submit(*, actor: Actor, meeting: ReviewMeeting, subject, question: str) -> Inquiry:
    if not user_has_role(actor, Role.MEMBER):
        raise ApplicationError("只有常委会组成人员可以提出询问。")
    question = (question or "").strip()
    if not question:
        raise ApplicationError("请填写询问内容。")
    if subject.campaign_id != meeting.campaign_id or subject.review_form != ReviewForm.ON_SITE:
        raise ApplicationError("只能向本次会议现场述职的评议对象提出询问。")
    inquiry = Inquiry.objects.create(
        meeting=meeting, subject=subject, asked_by=actor, question=question[:4000]
    )
    audit_log(
        actor=actor,
        action=AuditAction.INQUIRY_SUBMIT,
        summary=f"向{subject.person_name}提出询问",
        target=inquiry,
        campaign=meeting.campaign,
        subject=subject,
    )
    return inquiry


@transaction.atomic
def inquiry_answer(*, actor: Actor, inquiry: Inquiry, answer: str) -> Inquiry:
    require_office(actor)
    answer = (answer or "").strip()
    if not answer:
        raise ApplicationError("请填写回答要点。")
    inquiry = (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("meeting__campaign", "subject")
        .get(pk=inquiry.pk)
    )
    inquiry.answer, inquiry.answer_recorded_by, inquiry.answered_at = answer, actor, timezone.now()
    inquiry.save(update_fields=["answer", "answer_recorded_by", "answered_at"])
    audit_log(
        actor=actor,
        action=AuditAction.INQUIRY_ANSWER,
        summary=f"记录{inquiry.subject.person_name}对询问的回答",
        target=inquiry,
        campaign=inquiry.meeting.campaign,
        subject=inquiry.subject,
    )
    return inquiry


MEETING_EDITABLE = ("name", "held_on", "place")


def _lock_meeting(meeting_pk: int) -> ReviewMeeting:
    """Lock a meeting whose record may still change: not once its campaign is closed, nor once
    a ballot taken at it is published (the published result names who was there and in what
    order they reported)."""
    meeting = (
        ReviewMeeting.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .get(pk=meeting_pk)
    )
    _require_open_campaign(meeting.campaign)
    if meeting.ballots.filter(status=BallotStatus.PUBLISHED).exists():
        raise ApplicationError(f"“{meeting.name}”的测评结果已公布，会议记录不能再修改。")
    return meeting


def _require_open_campaign(campaign: Campaign) -> None:
    if campaign.stage == CampaignStage.CLOSED:
        raise ApplicationError(f"“{campaign.name}”已结束，会议记录不能再修改。")


def _attendee_names(members) -> str:
    return "、".join(m.name for m in members) or "（无）"


def _meeting_followed(actor: Actor, campaign) -> None:
    """Tell apps above this one (rectification's reporting steps) that the campaign's
    meeting record changed; their receivers run inside this transaction."""
    meeting_recorded.send(sender=ReviewMeeting, actor=actor, campaign=campaign)


@transaction.atomic
def meeting_create(
    *, actor: Actor, campaign: Campaign, name: str, held_on, place: str = "", attendees=()
) -> ReviewMeeting:
    require_office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_open_campaign(campaign)
    meeting = ReviewMeeting(campaign=campaign, name=name.strip(), held_on=held_on, place=place)
    validate_or_raise(meeting)
    meeting.save()
    meeting.attendees.set(attendees)
    audit_log(
        actor=actor,
        action=AuditAction.MEETING_CREATE,
        summary=f"“{campaign.name}”登记评议会议：{meeting.name}（{cn_date(held_on)}）",
        target=meeting,
        campaign=campaign,
        data={"attendees": sorted(m.pk for m in attendees)},
    )
    _meeting_followed(actor, campaign)
    return meeting


@transaction.atomic
def meeting_update(
    *, actor: Actor, meeting: ReviewMeeting, attendees=None, **fields
) -> ReviewMeeting:
    """Change a meeting's name, date, place or attendees (None: attendees unchanged)."""
    require_office(actor)
    meeting = _lock_meeting(meeting.pk)
    changed = apply_changes(meeting, fields, allowed=MEETING_EDITABLE)
    labels = [changed_labels(ReviewMeeting, changed)] if changed else []
    if attendees is not None:
        before = set(meeting.attendees.values_list("pk", flat=True))
        after = {m.pk for m in attendees}
        if before != after:
            meeting.attendees.set(attendees)
            changed["attendees"] = _attendee_names(attendees)
            labels.append(str(ReviewMeeting._meta.get_field("attendees").verbose_name))
    if not changed:
        return meeting
    validate_or_raise(meeting)
    meeting.save()
    audit_log(
        actor=actor,
        action=AuditAction.MEETING_UPDATE,
        summary=f"修改评议会议“{meeting.name}”：{'、'.join(labels)}",
        target=meeting,
        campaign=meeting.campaign,
        data=changed,
    )
    _meeting_followed(actor, meeting.campaign)
    return meeting


@transaction.atomic
def meeting_delete(*, actor: Actor, meeting: ReviewMeeting) -> None:
    """Delete a meeting registered by mistake. Not one at which a ballot was set up or an
    inquiry put: those are the committee's record of it."""
    require_office(actor)
    meeting = _lock_meeting(meeting.pk)
    ballot = meeting.ballots.order_by("pk").first()
    if ballot is not None:
        raise ApplicationError(f"“{meeting.name}”已有满意度测评“{ballot.name}”，不能删除。")
    if meeting.inquiries.exists():
        raise ApplicationError(f"“{meeting.name}”已有询问记录，不能删除。")
    audit_log(
        actor=actor,
        action=AuditAction.MEETING_DELETE,
        summary=f"删除评议会议“{meeting.name}”（{cn_date(meeting.held_on)}）及其述职顺序",
        campaign=meeting.campaign,
        data={"meeting_id": meeting.pk},
    )
    campaign = meeting.campaign
    delete_or_raise(meeting, refused=f"不能删除“{meeting.name}”")
    _meeting_followed(actor, campaign)


AGENDA_ITEM_EDITABLE = ("subject", "position")


def _check_agenda_subject(meeting: ReviewMeeting, subject: Subject) -> None:
    if subject.campaign_id != meeting.campaign_id or subject.review_form != ReviewForm.ON_SITE:
        raise ApplicationError(
            f"{subject.person_name}不是“{meeting.campaign.name}”现场述职的评议对象，不能列入述职顺序。"
        )


def _require_no_inquiries(item: AgendaItem, doing: str) -> None:
    if Inquiry.objects.filter(meeting_id=item.meeting_id, subject_id=item.subject_id).exists():
        raise ApplicationError(
            f"会上已向{item.subject.person_name}提出询问，不能{doing}其述职顺序。"
        )


@transaction.atomic
def agenda_item_create(
    *, actor: Actor, meeting: ReviewMeeting, subject: Subject, position: int
) -> AgendaItem:
    require_office(actor)
    meeting = _lock_meeting(meeting.pk)
    _check_agenda_subject(meeting, subject)
    item = AgendaItem(meeting=meeting, subject=subject, position=position)
    validate_or_raise(item)
    item.save()
    audit_log(
        actor=actor,
        action=AuditAction.AGENDA_CREATE,
        summary=f"“{meeting.name}”述职顺序：第{position}位 {subject.person_name}",
        target=item,
        campaign=meeting.campaign,
        subject=subject,
    )
    return item


@transaction.atomic
def agenda_item_update(*, actor: Actor, item: AgendaItem, **fields) -> AgendaItem:
    require_office(actor)
    meeting = _lock_meeting(item.meeting_id)
    item = (
        AgendaItem.objects.select_for_update(of=("self",)).select_related("subject").get(pk=item.pk)
    )
    before = item.subject
    if "subject" in fields and fields["subject"] != before:
        _require_no_inquiries(item, "更换")
    changed = apply_changes(item, fields, allowed=AGENDA_ITEM_EDITABLE)
    if not changed:
        return item
    if "subject" in changed:
        _check_agenda_subject(meeting, item.subject)
        changed["subject"] = item.subject.person_name
    validate_or_raise(item)
    item.save()
    audit_log(
        actor=actor,
        action=AuditAction.AGENDA_UPDATE,
        summary=f"“{meeting.name}”述职顺序：第{item.position}位 {item.subject.person_name}"
        + (f"（原为{before.person_name}）" if before != item.subject else ""),
        target=item,
        campaign=meeting.campaign,
        subject=item.subject,
        data=changed,
    )
    return item


@transaction.atomic
def agenda_item_delete(*, actor: Actor, item: AgendaItem) -> None:
    require_office(actor)
    meeting = _lock_meeting(item.meeting_id)
    item = (
        AgendaItem.objects.select_for_update(of=("self",)).select_related("subject").get(pk=item.pk)
    )
    _require_no_inquiries(item, "删除")
    audit_log(
        actor=actor,
        action=AuditAction.AGENDA_DELETE,
        summary=f"“{meeting.name}”述职顺序中删除 {item.subject.person_name}",
        campaign=meeting.campaign,
        subject=item.subject,
        data={"agenda_item_id": item.pk, "position": item.position},
    )
    item.delete()
