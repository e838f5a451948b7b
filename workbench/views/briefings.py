"""The 情况简报 pages: the list (write a new issue), an issue's page (edit the draft,
生成 PDF, 签发, 更正) and its PDF. Every POST on an issue goes the one way
(core.object_views): 签发 is the move view of BRIEFING_WORKFLOW, the other buttons thin
views on object_post; a refusal shows the page again with what was typed (400) and
nothing is written. The page asks the table what may be done now (`caps`)."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.documents import document_for, document_response, documents_for
from core.errors import ApplicationError
from core.forms import form_errors_text, form_refused, version_of
from core.models import DocumentStatus
from core.object_views import move_view, object_post, office_lookup
from core.roles import LEADERSHIP, Role, role_required
from core.workflow import capabilities
from reviews.models import Campaign

from ..documents import articles_html
from ..forms import ArticlesPreviewForm, BriefingCreateForm, BriefingForm, briefing_edit_form
from ..models import BRIEFING_DOCUMENT, Briefing
from ..services.briefings import (
    briefing_correct,
    briefing_create,
    briefing_render_request,
    briefing_update,
)
from ..workflows import BRIEFING_WORKFLOW


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


# An issue's page and its buttons are the office's (the leadership reads the PDF).
briefing_for_office = office_lookup(Briefing.objects.select_related("campaign"))


def _page(request, briefing, status=200, form=None):
    """The issue's page: its edit form while the office may edit it (what was typed, when
    a POST was refused, but carrying the current version), its PDF and its buttons."""
    briefing.refresh_from_db()
    caps = capabilities(briefing, request.user)
    if not caps["edit"]:
        form = None
    elif form is None or not form.is_bound:
        form = briefing_edit_form(briefing)
    else:
        form.data = form.data.copy()
        form.data["version"] = version_of(briefing)
    doc = document_for(kind=BRIEFING_DOCUMENT, object_id=briefing.pk)
    return render(
        request,
        "workbench/briefing_detail.html",
        {
            "b": briefing,
            "caps": caps,
            "doc": doc,
            "pdf_done": doc is not None and doc.status == DocumentStatus.DONE,
            "pdf_failed": doc is not None and doc.status == DocumentStatus.FAILED,
            "form": form,
            "framed_html": _framed(briefing.issued_html, nonce=request.csp_nonce),
        },
        status=status,
    )


def _framed(html: str, *, nonce: str) -> str:
    """The issued text for the page's srcdoc frame. A srcdoc frame lives under the page's
    Content-Security-Policy, so its one inline stylesheet (briefing_pdf.html's; articles
    are sanitised to tags without any) carries the request's nonce."""
    return html.replace("<style>", f'<style nonce="{nonce}">', 1)


_briefing_post = object_post(lookup=briefing_for_office, page=_page, detail="briefing_detail")


def _posted_edits(request, briefing, forms) -> dict:
    """The draft's edits posted with a button, read through the page's form."""
    form = briefing_edit_form(briefing, request.POST)
    forms["form"] = form
    if not form.is_valid():
        raise ApplicationError(f"未保存，请修改后再提交：{form_errors_text(form)}")
    return form.service_kwargs()


@_briefing_post
def _briefing_save(request, briefing, forms):
    briefing_update(
        actor=request.user, briefing=briefing, **_posted_edits(request, briefing, forms)
    )


@role_required(Role.OFFICE)
def briefing_detail(request, pk: int):
    """The issue's page; its POST (保存修改) saves the draft's edits."""
    if request.method == "POST":
        return _briefing_save(request, pk=pk)
    return _page(request, briefing_for_office(user=request.user, pk=pk))


@_briefing_post
def briefing_render_view(request, briefing, forms):
    """保存并生成 PDF: a draft's edits are saved first, so nothing typed is lost."""
    editable = BRIEFING_WORKFLOW.editable(briefing, request.user)
    edits = _posted_edits(request, briefing, forms) if editable else {}
    briefing_render_request(actor=request.user, briefing=briefing, **edits)
    return "已保存，正在生成 PDF，请稍候。"


# 签发: the move's row in BRIEFING_WORKFLOW (its form is the page's edits, saved with it).
briefing_move = move_view(
    workflow=BRIEFING_WORKFLOW,
    lookup=briefing_for_office,
    page=_page,
    detail="briefing_detail",
    entity=lambda briefing: (briefing, {"briefing": briefing}),
)


@_briefing_post
def briefing_correct_view(request, briefing, forms):
    correction = briefing_correct(actor=request.user, briefing=briefing)
    messages.success(
        request, f"已建立第 {correction.number} 期（更正第 {briefing.number} 期），请修改后签发。"
    )
    return redirect("briefing_detail", pk=correction.pk)  # the new issue's page comes next


@role_required(*LEADERSHIP)
def briefing_pdf(request, pk: int):
    return document_response(user=request.user, kind=BRIEFING_DOCUMENT, object_id=pk)


@require_POST
@role_required(Role.OFFICE)
def briefing_articles_preview(request):
    """The editor's live preview: the articles as the PDF renders them (articles_html, the
    same sanitised subset). Writes nothing."""
    form = ArticlesPreviewForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"html": "", "problems": [form_errors_text(form)]})
    return JsonResponse({"html": articles_html(form.cleaned_data["articles"]), "problems": []})
