"""评议对象 setup: the campaign's subjects, and adding them by pasting rows from Excel."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.forms import form_refused, version_of
from core.roles import Role, role_required
from core.xlsx import ImportRejected
from reviews.models import Campaign, CampaignStage

from ..forms import SubjectsPasteForm, SubjectsPasteSaveForm
from ..imports import SUBJECT_COLUMNS, subjects_paste_check, subjects_paste_create
from ..models import LiaisonCommittee, Unit


def _setup_context(campaign, **extra) -> dict:
    subjects = list(
        campaign.subjects.select_related("unit", "liaison_committee", "user").order_by(
            "position", "id"
        )
    )
    return {
        "campaign": campaign,
        "subjects": subjects,
        "columns": SUBJECT_COLUMNS,
        "editable": campaign.stage == CampaignStage.PREPARATION,
        "unit_names": list(
            Unit.objects.order_by("organ_type", "name").values_list("name", flat=True)
        ),
        "committee_names": list(
            LiaisonCommittee.objects.order_by("name").values_list("name", flat=True)
        ),
        **extra,
    }


def _subjects_version(campaign) -> str:
    return version_of(campaign.subjects.all())


@role_required(Role.OFFICE)
def subjects_setup(request, pk: int):
    """评议对象: the campaign's subjects in order, and the paste box to add more."""
    campaign = get_object_or_404(Campaign, pk=pk)
    return render(
        request,
        "subjects/subjects_setup.html",
        _setup_context(campaign, paste_form=SubjectsPasteForm()),
    )


@require_POST
@role_required(Role.OFFICE)
def subjects_paste_preview(request, pk: int):
    """Check the pasted rows and show them, or every error by row and column; writes nothing."""
    campaign = get_object_or_404(Campaign, pk=pk)
    form = SubjectsPasteForm(request.POST)
    context = _setup_context(campaign, paste_form=form)
    if not form.is_valid():
        status = form_refused(request, form)
        return render(request, "subjects/subjects_setup.html", context, status=status)
    try:
        rows = subjects_paste_check(
            actor=request.user, campaign=campaign, text=form.cleaned_data["rows"]
        )
    except ImportRejected as exc:
        messages.error(
            request, exc.message.replace("导入文件", "粘贴的内容").replace("上传", "粘贴")
        )
        context["errors"] = exc.errors
        return render(request, "subjects/subjects_setup.html", context, status=400)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return render(request, "subjects/subjects_setup.html", context, status=400)
    context["preview"] = rows
    context["save_form"] = SubjectsPasteSaveForm(
        initial={"rows": form.cleaned_data["rows"]}, version=_subjects_version(campaign)
    )
    return render(request, "subjects/subjects_setup.html", context)


@require_POST
@role_required(Role.OFFICE)
def subjects_paste(request, pk: int):
    """确认添加: save the previewed rows, all or none."""
    campaign = get_object_or_404(Campaign, pk=pk)
    form = SubjectsPasteSaveForm(request.POST, version=_subjects_version(campaign))
    if not form.is_valid():
        form_refused(request, form)
        return redirect("subjects_setup", pk=campaign.pk)
    try:
        result = subjects_paste_create(
            actor=request.user, campaign=campaign, text=form.cleaned_data["rows"]
        )
    except ImportRejected as exc:
        messages.error(
            request, exc.message.replace("导入文件", "粘贴的内容").replace("上传", "粘贴")
        )
        context = _setup_context(
            campaign, paste_form=SubjectsPasteForm(initial=form.cleaned_data), errors=exc.errors
        )
        return render(request, "subjects/subjects_setup.html", context, status=400)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("subjects_setup", pk=campaign.pk)
    messages.success(request, f"已添加评议对象 {len(result.created)} 名。")
    if result.new_accounts:  # shown once, on this answer only
        context = _setup_context(
            campaign, paste_form=SubjectsPasteForm(), new_accounts=result.new_accounts
        )
        return render(request, "subjects/subjects_setup.html", context)
    return redirect("subjects_setup", pk=campaign.pk)
