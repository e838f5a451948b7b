"""The review meeting: inquiries (询问) put to on-site subjects and the answers recorded."""

from django.db import transaction
from django.utils import timezone

from core.audit import audit_log
from core.errors import ApplicationError
from core.roles import Role, user_has_role
from core.services import require_office
from subjects.models import ReviewForm

from ..models import Inquiry, ReviewMeeting


@transaction.atomic
def inquiry_submit(*, actor, meeting: ReviewMeeting, subject, question: str) -> Inquiry:
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
        action="inquiry.submit",
        summary=f"向{subject.person_name}提出询问",
        target=inquiry,
        campaign=meeting.campaign,
        subject=subject,
    )
    return inquiry


@transaction.atomic
def inquiry_answer(*, actor, inquiry: Inquiry, answer: str) -> Inquiry:
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
        action="inquiry.answer",
        summary=f"记录{inquiry.subject.person_name}对询问的回答",
        target=inquiry,
        campaign=inquiry.meeting.campaign,
        subject=inquiry.subject,
    )
    return inquiry
