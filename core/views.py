from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from reviews.models import CampaignStage
from reviews.selectors import (
    ballots_open_for,
    campaign_office_todos,
    campaign_stage_rows,
    campaigns_open,
    groups_of_user,
)
from subjects.selectors import (
    subject_deadlines,
    subject_report_state,
    subjects_of_user,
    subjects_visible_to,
)

from .roles import Role, user_roles


def home(request):
    return redirect("my_work" if request.user.is_authenticated else "login")


@login_required
def my_work(request):
    """Each role's landing page: what this person must do next."""
    roles = user_roles(request.user)
    context: dict = {"roles": roles}
    if roles & {Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.MEMBER}:
        campaigns = list(campaigns_open())
        context["campaigns"] = [
            {
                "campaign": c,
                "stages": campaign_stage_rows(c),
                "todos": campaign_office_todos(c) if Role.OFFICE in roles else [],
            }
            for c in campaigns
        ]
    if Role.SUBJECT in roles:
        own = subjects_of_user(request.user).prefetch_related("campaign__stages", "report_versions")
        today = timezone.localdate()
        context["own_subjects"] = []
        for subject in own:
            versions = sorted(subject.report_versions.all(), key=lambda v: -v.number)
            reports = subject_report_state(
                subject, versions, subject.campaign.report_final_due, today
            )
            context["own_subjects"].append(
                {
                    "subject": subject,
                    "reports": reports,
                    "deadlines": subject_deadlines(reports, today),
                }
            )
    context["open_ballots"] = list(ballots_open_for(request.user))
    context["my_groups"] = list(
        groups_of_user(request.user)
        .select_related("campaign")
        .exclude(campaign__stage=CampaignStage.CLOSED)
    )
    if Role.LIAISON in roles:
        context["liaison_subjects"] = list(
            subjects_visible_to(request.user)
            .filter(liaison_committee__users=request.user)
            .order_by("campaign__name", "position")
        )
    return render(request, "core/my_work.html", context)


@login_required
def notifications(request):
    """The user's messages, newest first; opening the page marks them read."""
    from .models import Notification

    items = list(Notification.objects.filter(user=request.user)[:200])
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return render(request, "core/notifications.html", {"items": items})


def _document_subject(request, kind: str, object_id: int):
    """The one access check for rendered documents: the same as for the document's page."""
    from django.http import Http404

    if kind == "opinion":
        from rectification.selectors import rectification_subject_for_user

        subject = rectification_subject_for_user(user=request.user, pk=object_id)
        opinion = getattr(subject, "opinion", None)
        if opinion is None or (
            opinion.status == "draft" and not user_roles(request.user) & {Role.OFFICE}
        ):
            raise Http404("评议意见尚未通过。")
        return f"对{subject.person_name}的评议意见书"
    if kind == "investigation":
        from reviews.selectors import investigation_report_for_user

        return str(investigation_report_for_user(user=request.user, pk=object_id))
    raise Http404


@login_required
def document(request, kind: str, object_id: int):
    from .documents import document_request
    from .models import RenderedDocument

    title = _document_subject(request, kind, object_id)
    if request.method == "POST":
        document_request(actor=request.user, kind=kind, object_id=object_id)
        return redirect("document", kind=kind, object_id=object_id)
    doc = RenderedDocument.objects.filter(kind=kind, object_id=object_id).first()
    return render(
        request,
        "core/document.html",
        {"title": title, "doc": doc, "kind": kind, "object_id": object_id},
    )


@login_required
def document_pdf(request, kind: str, object_id: int):
    from django.http import Http404

    from .files import private_file_response
    from .models import RenderedDocument

    _document_subject(request, kind, object_id)
    doc = RenderedDocument.objects.filter(kind=kind, object_id=object_id, status="done").first()
    if doc is None:
        raise Http404("PDF 尚未生成。")
    return private_file_response(doc.pdf, doc.name)
