from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from core.errors import ApplicationError
from core.roles import Role, role_required, user_has_role

from ..models import Inquiry, ReviewMeeting
from ..services import inquiry_answer, inquiry_submit

MEETING_READERS = (Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.MEMBER)


@role_required(*MEETING_READERS)
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(ReviewMeeting.objects.select_related("campaign"), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "answer":
                inquiry = get_object_or_404(
                    Inquiry, pk=request.POST.get("inquiry") or 0, meeting=meeting
                )
                inquiry_answer(
                    actor=request.user, inquiry=inquiry, answer=request.POST.get("answer", "")
                )
                messages.success(request, "回答已记录。")
            else:
                subject = meeting.campaign.subjects.filter(
                    pk=request.POST.get("subject") or 0
                ).first()
                if subject is None:
                    raise ApplicationError("请选择评议对象。")
                inquiry_submit(
                    actor=request.user,
                    meeting=meeting,
                    subject=subject,
                    question=request.POST.get("question", ""),
                )
                messages.success(request, "询问已提交。")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("meeting_detail", pk=meeting.pk)
    agenda = list(meeting.agenda.select_related("subject__unit"))
    inquiries = list(meeting.inquiries.select_related("subject", "asked_by"))
    rows = [
        {"item": a, "inquiries": [i for i in inquiries if i.subject_id == a.subject_id]}
        for a in agenda
    ]
    return render(
        request,
        "ballots/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": rows,
            "is_office": user_has_role(request.user, Role.OFFICE),
            "is_member": user_has_role(request.user, Role.MEMBER),
            "written": meeting.campaign.subjects.filter(review_form="written").select_related(
                "unit"
            ),
        },
    )
