from functools import wraps

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.documents import document_for, document_response, documents_for
from core.errors import ApplicationError
from core.forms import (
    ModelForm,
    VersionedFormMixin,
    form_errors_text,
    form_refused,
    version_of,
)
from core.roles import Role, role_required
from reviews.models import Campaign

from ..documents import READERS, articles_html
from ..models import BRIEFING_DOCUMENT, Briefing, BriefingBlock
from ..services.briefings import (
    briefing_correct,
    briefing_create,
    briefing_issue,
    briefing_render_request,
    briefing_update,
)


class BriefingForm(ModelForm):
    blocks = forms.MultipleChoiceField(
        label="插入内容",
        choices=BriefingBlock.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    articles = forms.CharField(
        label="正文",
        max_length=50000,
        help_text="用正文上方的按钮设置标题、加粗、列表和表格，空行分段；"
        "下方的预览与 PDF 中的排版一致。",
        widget=forms.Textarea(
            attrs={
                "rows": 12,
                # static/js/briefing_editor.js: the toolbar and the live preview.
                "data-articles-editor": reverse_lazy("briefing_articles_preview"),
            }
        ),
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


class BriefingEditForm(VersionedFormMixin, BriefingForm):
    """A draft's edits: refused when the briefing changed since the page was drawn."""


def _edit_form(briefing, data=None) -> BriefingEditForm:
    stored = Briefing.objects.get(pk=briefing.pk)
    return BriefingEditForm(data, instance=stored, version=version_of(stored))


class BriefingCreateForm(BriefingForm):
    number = forms.IntegerField(
        label="期号",
        required=False,
        min_value=1,
        max_value=999,
        help_text="本次评议在本系统中的第一期可以接续纸质简报的期号；以后各期自动顺延。",
    )


@role_required(Role.OFFICE)
def briefing_list(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    first = not campaign.briefings.exists()
    form_class = BriefingCreateForm if first else BriefingForm
    form = form_class(
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


def _detail(request, briefing, form, status=200):
    briefing.refresh_from_db()
    if form is not None and form.is_bound:
        # Shown again with what was typed, but carrying the current version.
        form.data = form.data.copy()
        form.data["version"] = version_of(briefing)
    doc = document_for(kind=BRIEFING_DOCUMENT, object_id=briefing.pk)
    return render(
        request,
        "workbench/briefing_detail.html",
        {
            "b": briefing,
            "doc": doc,
            "form": None if briefing.is_issued else form,
            "framed_html": _framed(briefing.issued_html, nonce=request.csp_nonce),
        },
        status=status,
    )


def _framed(html: str, *, nonce: str) -> str:
    """The issued text for the page's srcdoc frame. A srcdoc frame lives under the page's
    Content-Security-Policy, so its one inline stylesheet (briefing_pdf.html's; articles
    are sanitised to tags without any) carries the request's nonce."""
    return html.replace("<style>", f'<style nonce="{nonce}">', 1)


def _save_posted(request, briefing) -> BriefingEditForm:
    """Save what the page posted (a draft's edits travel with every button)."""
    form = _edit_form(briefing, request.POST)
    if not form.is_valid():
        raise ApplicationError(f"未保存，请修改后再提交：{form_errors_text(form)}")
    briefing_update(actor=request.user, briefing=briefing, **form.cleaned_data)
    return form


@role_required(Role.OFFICE)
def briefing_detail(request, pk: int):
    briefing = get_object_or_404(Briefing.objects.select_related("campaign"), pk=pk)
    form = _edit_form(briefing)
    if request.method == "POST":
        form = _edit_form(briefing, request.POST)
        try:
            _save_posted(request, briefing)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return _detail(request, briefing, form, status=400)
        messages.success(request, "已保存。")
        return redirect("briefing_detail", pk=briefing.pk)
    return _detail(request, briefing, form)


def _briefing_post(view):
    @require_POST
    @role_required(Role.OFFICE)
    @wraps(view)
    def wrapper(request, pk: int):
        briefing = get_object_or_404(Briefing.objects.select_related("campaign"), pk=pk)
        try:
            with transaction.atomic():
                target = view(request, briefing)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            form = _edit_form(briefing, request.POST or None)
            return _detail(request, briefing, form, status=400)
        return redirect("briefing_detail", pk=(target or briefing).pk)

    return wrapper


@_briefing_post
def briefing_render_view(request, briefing):
    """保存并生成 PDF: a draft's edits are saved first, so nothing typed is lost."""
    if not briefing.is_issued:
        _save_posted(request, briefing)
    briefing_render_request(actor=request.user, briefing=briefing)
    messages.success(request, "已保存，正在生成 PDF，请稍候。")


@_briefing_post
def briefing_issue_view(request, briefing):
    _save_posted(request, briefing)
    briefing_issue(actor=request.user, briefing=briefing)
    messages.success(request, "已签发。本期内容和 PDF 从此不再改变。")


@_briefing_post
def briefing_correct_view(request, briefing):
    correction = briefing_correct(actor=request.user, briefing=briefing)
    messages.success(
        request, f"已建立第 {correction.number} 期（更正第 {briefing.number} 期），请修改后签发。"
    )
    return correction


@role_required(*READERS)
def briefing_pdf(request, pk: int):
    return document_response(user=request.user, kind=BRIEFING_DOCUMENT, object_id=pk)


class ArticlesPreviewForm(forms.Form):
    articles = forms.CharField(required=False, max_length=50000)


@require_POST
@role_required(Role.OFFICE)
def briefing_articles_preview(request):
    """The editor's live preview: the articles as the PDF renders them (articles_html, the
    same sanitised subset). Writes nothing."""
    form = ArticlesPreviewForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"html": "", "problems": [form_errors_text(form)]})
    return JsonResponse({"html": articles_html(form.cleaned_data["articles"]), "problems": []})
