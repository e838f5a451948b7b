from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.models import AuditEntry
from reviews.selectors import campaign_stage_rows

from .selectors import subject_for_user


@login_required
def subject_detail(request, pk: int):
    subject = subject_for_user(user=request.user, pk=pk)
    timeline = AuditEntry.objects.filter(subject=subject).select_related("actor")[:50]
    return render(
        request,
        "subjects/subject_detail.html",
        {
            "subject": subject,
            "stages": campaign_stage_rows(subject.campaign),
            "timeline": timeline,
        },
    )
