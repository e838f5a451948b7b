from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.forms import REASON_MAX, Form, form_data
from core.roles import CAMPAIGN_READERS, Role, role_required, user_has_role

from ..models import Inquiry, ReviewMeeting
from ..services import inquiry_answer, inquiry_submit


@role_required(*CAMPAIGN_READERS)
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(ReviewMeeting.objects.select_related("campaign"), pk=pk)
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


class InquiryForm(Form):
    subject = forms.ModelChoiceField(label="评议对象", queryset=None)
    question = forms.CharField(label="询问", max_length=REASON_MAX)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = meeting.campaign.subjects.all()


class AnswerForm(Form):
    answer = forms.CharField(label="回答要点", max_length=REASON_MAX)


@require_POST
@role_required(*CAMPAIGN_READERS)
def inquiry_submit_view(request, pk: int):
    meeting = get_object_or_404(ReviewMeeting.objects.select_related("campaign"), pk=pk)
    try:
        data = form_data(InquiryForm(request.POST, meeting=meeting))
        inquiry_submit(actor=request.user, meeting=meeting, **data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "询问已提交。")
    return redirect("meeting_detail", pk=meeting.pk)


@require_POST
@role_required(Role.OFFICE)
def inquiry_answer_view(request, pk: int, inquiry_pk: int):
    inquiry = get_object_or_404(Inquiry, pk=inquiry_pk, meeting_id=pk)
    try:
        data = form_data(AnswerForm(request.POST))
        inquiry_answer(actor=request.user, inquiry=inquiry, answer=data["answer"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "回答已记录。")
    return redirect("meeting_detail", pk=pk)
