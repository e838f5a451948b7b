from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.errors import ApplicationError
from core.files import private_file_response
from core.models import render_in_progress
from core.roles import Role, role_required
from reviews.models import Campaign

from ..models import Briefing, BriefingBlock, RenderStatus
from ..services.briefings import briefing_create, briefing_render_request, briefing_update

READERS = (Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING)


class BriefingForm(forms.ModelForm):
    blocks = forms.MultipleChoiceField(
        label="插入内容",
        choices=BriefingBlock.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    articles = forms.CharField(
        label="正文",
        max_length=50000,
        help_text="以“## ”开头的行是文章标题，空行分段。",
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    distribution = forms.CharField(
        label="本期发至",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Briefing
        fields = (
            "title",
            "issuing_office",
            "issued_on",
            "articles",
            "blocks",
            "editor",
            "reviewer",
            "issuer",
            "distribution",
        )
        widgets = {
            "issued_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "articles": forms.Textarea(attrs={"rows": 12}),
            "distribution": forms.Textarea(attrs={"rows": 2}),
        }


@role_required(Role.OFFICE)
def briefing_list(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = BriefingForm(
        request.POST or None,
        initial={"issuing_office": campaign.issuing_office, "issued_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            briefing = briefing_create(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已建立第 {briefing.number} 期。")
            return redirect("briefing_detail", pk=briefing.pk)
    return render(
        request,
        "workbench/briefing_list.html",
        {"campaign": campaign, "briefings": campaign.briefings.all(), "form": form},
    )


@role_required(Role.OFFICE)
def briefing_detail(request, pk: int):
    briefing = get_object_or_404(Briefing.objects.select_related("campaign"), pk=pk)
    form = BriefingForm(request.POST or None, instance=briefing)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "render":
                briefing_render_request(actor=request.user, briefing=briefing)
                messages.success(request, "已提交生成，请稍候。")
            elif form.is_valid():
                briefing_update(actor=request.user, briefing=briefing, **form.cleaned_data)
                messages.success(request, "已保存。")
            else:
                raise ApplicationError("请检查填写的内容。")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("briefing_detail", pk=briefing.pk)
    briefing.refresh_from_db()
    working = render_in_progress(briefing.status, briefing.requested_at)
    return render(
        request, "workbench/briefing_detail.html", {"b": briefing, "form": form, "working": working}
    )


@role_required(*READERS)
def briefing_pdf(request, pk: int):
    briefing = get_object_or_404(Briefing.objects.select_related("campaign"), pk=pk)
    if briefing.status != RenderStatus.DONE or not briefing.pdf:
        raise Http404("PDF 尚未生成。")
    return private_file_response(
        briefing.pdf, f"{briefing.campaign.name}情况简报第{briefing.number}期.pdf"
    )
