from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.documents import document_for, document_response, documents_for
from core.errors import ApplicationError
from core.forms import form_errors_text, form_refused
from core.roles import Role, role_required
from reviews.models import Campaign

from ..documents import READERS
from ..models import BRIEFING_DOCUMENT, Briefing, BriefingBlock
from ..services.briefings import briefing_create, briefing_render_request, briefing_update


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
        request.POST if request.method == "POST" else None,
        initial={"issuing_office": campaign.issuing_office, "issued_on": timezone.localdate()},
    )
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = form_refused(request, form)
    elif request.method == "POST":
        try:
            briefing = briefing_create(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已建立第 {briefing.number} 期。")
            return redirect("briefing_detail", pk=briefing.pk)
    briefings = list(campaign.briefings.all())
    documents = documents_for(kind=BRIEFING_DOCUMENT, object_ids=[b.pk for b in briefings])
    return render(
        request,
        "workbench/briefing_list.html",
        {
            "campaign": campaign,
            "briefings": [(b, documents.get(b.pk)) for b in briefings],
            "form": form,
        },
        status=status,
    )


@role_required(Role.OFFICE)
def briefing_detail(request, pk: int):
    briefing = get_object_or_404(Briefing.objects.select_related("campaign"), pk=pk)
    form = BriefingForm(request.POST if request.method == "POST" else None, instance=briefing)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "render":
                briefing_render_request(actor=request.user, briefing=briefing)
                messages.success(request, "已提交生成，请稍候。")
            elif form.is_valid():
                briefing_update(actor=request.user, briefing=briefing, **form.cleaned_data)
                messages.success(request, "已保存。")
            else:
                raise ApplicationError(f"未保存，请修改后再提交：{form_errors_text(form)}")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("briefing_detail", pk=briefing.pk)
    briefing.refresh_from_db()
    doc = document_for(kind=BRIEFING_DOCUMENT, object_id=briefing.pk)
    return render(
        request, "workbench/briefing_detail.html", {"b": briefing, "doc": doc, "form": form}
    )


@role_required(*READERS)
def briefing_pdf(request, pk: int):
    return document_response(user=request.user, kind=BRIEFING_DOCUMENT, object_id=pk)
