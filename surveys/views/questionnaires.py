"""The office's questionnaire pages (build, issue codes, open and close), and the results
for the office, the leading group and the groups. The respondent's pages: views.respond."""

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from core.errors import ApplicationError
from core.forms import form_data, form_refused
from core.object_views import move_view, object_post, office_lookup
from core.roles import SUPERVISORS, Role, role_required, user_has_role
from core.workflow import capabilities
from core.xlsx_writer import Sheet, SheetColumn, xlsx_file_response
from reviews.models import Campaign

from ..forms import AnswerToFindingForm, DeputyCodesForm, QuestionnaireForm, SheetCodesForm
from ..groups import groups_of_user, subjects_in_groups
from ..models import Answer, Deputy, FindingKind, Questionnaire, QuestionnaireStatus
from ..selectors import (
    questionnaire_results_shown,
    questionnaire_tallies,
    questionnaires_of_campaign,
    responses_waiting,
    text_answers_visible_to,
)
from ..services import (
    codes_issue_sheets,
    codes_issue_to_deputies,
    finding_add,
    questionnaire_create,
)
from ..workflows import QUESTIONNAIRE_WORKFLOW


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4)


def _public_url(request, questionnaire: Questionnaire, code: str = "") -> str:
    url = request.build_absolute_uri(
        reverse("questionnaire_respond", args=[questionnaire.public_token])
    )
    return f"{url}?c={code}" if code else url


@role_required(Role.OFFICE)
def questionnaire_list(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None,
        initial={"title": f"{campaign.name}征求意见问卷"},
    )
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = form_refused(request, form)
    elif request.method == "POST":
        data = form.cleaned_data
        try:
            questionnaire = questionnaire_create(
                actor=request.user,
                campaign=campaign,
                title=data["title"],
                access_mode=data["access_mode"],
                intro=data["intro"],
                text_questions=data["text_questions"].splitlines(),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "问卷已建立。")
            return redirect("questionnaire_detail", pk=questionnaire.pk)
    return render(
        request,
        "surveys/questionnaire_list.html",
        {
            "campaign": campaign,
            "questionnaires": questionnaires_of_campaign(campaign),
            "form": form,
        },
        status=status,
    )


# The questionnaire an office POST acts on.
questionnaire_for_office = office_lookup(Questionnaire.objects.select_related("campaign"))


def _detail_page(request, questionnaire: Questionnaire, *, status=200, **forms):
    url = _public_url(request, questionnaire)
    codes = questionnaire.codes.all()
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "q": questionnaire,
            "caps": capabilities(questionnaire, request.user),
            "url": url,
            "qr": _qr_svg(url),
            "codes": codes,
            "used": sum(1 for c in codes if c.used),
            "responses": questionnaire.responses.count(),
            "waiting": responses_waiting(questionnaire),
            "batch_size": settings.QUESTIONNAIRE_BATCH_SIZE,
            **_withheld(questionnaire),
            "deputies": Deputy.objects.filter(is_active=True).exclude(
                pk__in=codes.exclude(deputy=None).values("deputy_id")
            ),
            "deputy_form": forms.get("deputy_form"),
            "sheet_form": forms.get("sheet_form"),
        },
        status=status,
    )


@require_safe
@role_required(Role.OFFICE)
def questionnaire_detail(request, pk: int):
    return _detail_page(request, questionnaire_for_office(user=request.user, pk=pk))


# One URL per move of the questionnaire's table (open, close), by the one move view.
questionnaire_move = move_view(
    workflow=QUESTIONNAIRE_WORKFLOW,
    lookup=questionnaire_for_office,
    page=_detail_page,
    detail="questionnaire_detail",
    entity=lambda q: (q, {"questionnaire": q}),
)

_office_post = object_post(
    lookup=questionnaire_for_office, page=_detail_page, detail="questionnaire_detail"
)


@_office_post
def questionnaire_codes_deputies(request, questionnaire: Questionnaire, forms):
    form = forms["deputy_form"] = DeputyCodesForm(request.POST)
    deputies = list(form_data(form)["deputies"])
    codes = codes_issue_to_deputies(
        actor=request.user, questionnaire=questionnaire, deputies=deputies
    )
    return f"已为 {len(codes)} 名代表生成答题码。"


@_office_post
def questionnaire_codes_sheets(request, questionnaire: Questionnaire, forms):
    form = forms["sheet_form"] = SheetCodesForm(request.POST)
    count = form_data(form)["count"]
    codes_issue_sheets(actor=request.user, questionnaire=questionnaire, count=count)
    return f"已生成 {count} 张问卷的答题码。"


@role_required(Role.OFFICE)
def questionnaire_codes_print(request, pk: int):
    """One slip per code, with its own QR code, to cut and hand out."""
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    slips = [
        {
            "code": c,
            "url": _public_url(request, questionnaire, c.code),
            "qr": _qr_svg(_public_url(request, questionnaire, c.code)),
        }
        for c in questionnaire.codes.filter(used=False)
    ]
    return render(request, "surveys/codes_print.html", {"q": questionnaire, "slips": slips})


def _results_reader(request, questionnaire: Questionnaire) -> set[int] | None:
    """None for readers of everything; else the subject ids of the user's groups."""
    if user_has_role(request.user, *SUPERVISORS):
        return None
    groups = groups_of_user(request.user).filter(campaign=questionnaire.campaign_id)
    if not groups.exists():
        raise Http404("没有找到该问卷。")
    return set(subjects_in_groups(groups).values_list("pk", flat=True))


def questionnaire_results(request, pk: int):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("campaign"), pk=pk)
    own_subjects = _results_reader(request, questionnaire)
    tallies = questionnaire_tallies(questionnaire)
    if own_subjects is not None:
        tallies = [t for t in tallies if t.subject.pk in own_subjects]
    answers = list(
        text_answers_visible_to(request.user, questionnaire)
        .select_related("question__subject__unit")
        .prefetch_related("findings")
    )
    return render(
        request,
        "surveys/questionnaire_results.html",
        {
            "q": questionnaire,
            "caps": capabilities(questionnaire, request.user),
            "tallies": tallies,
            "answers": answers,
            "answer_groups": _by_subject_and_question(answers),
            "content_items": questionnaire.campaign.content_items.all(),
            "finding_kinds": FindingKind.choices,
            "group_subjects": own_subjects
            if own_subjects is not None
            else set(
                subjects_in_groups(groups_of_user(request.user))
                .filter(campaign=questionnaire.campaign_id)
                .values_list("pk", flat=True)
            ),
            "is_office": user_has_role(request.user, Role.OFFICE),
            "waiting": responses_waiting(questionnaire),
            "batch_size": settings.QUESTIONNAIRE_BATCH_SIZE,
            **_withheld(questionnaire),
        },
    )


def _withheld(questionnaire: Questionnaire) -> dict:
    """Closed with fewer than QUESTIONNAIRE_BATCH_SIZE answers: say why nothing is shown."""
    written = questionnaire.responses.count()
    return {
        "written": written,
        "withheld": questionnaire.status == QuestionnaireStatus.CLOSED
        and not questionnaire_results_shown(questionnaire),
    }


def _by_subject_and_question(answers: list) -> list[dict]:
    """Opinions grouped by subject (the general questions last), then by question, in the
    questionnaire's order."""
    groups: dict = {}
    for a in answers:
        subject = a.question.subject
        group = groups.setdefault(
            subject.pk if subject else None, {"subject": subject, "questions": {}, "count": 0}
        )
        group["questions"].setdefault(a.question_id, {"question": a.question, "answers": []})
        group["questions"][a.question_id]["answers"].append(a)
        group["count"] += 1
    ordered = sorted(groups.values(), key=lambda g: g["subject"] is None)
    return [{**g, "questions": list(g["questions"].values())} for g in ordered]


@role_required(*SUPERVISORS)
def questionnaire_results_xlsx(request, pk: int):
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("campaign"), pk=pk)
    options = questionnaire.rating_options
    tallies = Sheet(
        "满意度统计",
        [
            SheetColumn("序号", width=6),
            SheetColumn("评议对象", width=12),
            SheetColumn("单位及职务", width=28),
            *[SheetColumn(option, width=10) for option in options],
            SheetColumn("有效答卷", width=10),
            SheetColumn(f"{'+'.join(options[:-1])}率（%）", width=14, number_format="0.0"),
        ],
        (
            [
                i,
                t.subject.person_name,
                f"{t.subject.unit.name}{t.subject.post}",
                *[c for _, c, _ in t.counts],
                t.total,
                round(t.satisfied_rate, 1) if t.satisfied_rate is not None else "",
            ]
            for i, t in enumerate(questionnaire_tallies(questionnaire), start=1)
        ),
        heading=questionnaire.title,
    )
    texts = Sheet(
        "意见建议",
        [SheetColumn("题目", width=30, wrap=True), SheetColumn("意见建议", width=80, wrap=True)],
        text_answers_visible_to(request.user, questionnaire)
        .values_list("question__text", "text")
        .iterator(chunk_size=2000),
    )
    return xlsx_file_response([tallies, texts], f"{questionnaire.title}_统计.xlsx")


@require_POST
def answer_to_finding(request, pk):
    if not request.user.is_authenticated:
        raise PermissionDenied
    answer = get_object_or_404(
        Answer.objects.select_related("response__questionnaire", "question__subject"), pk=pk
    )
    questionnaire = answer.response.questionnaire
    if not text_answers_visible_to(request.user, questionnaire).filter(pk=answer.pk).exists():
        raise Http404("没有找到该意见。")
    subject = answer.question.subject
    try:
        if subject is None:
            raise ApplicationError("这条意见不针对具体评议对象，不能转为调查发现。")
        data = form_data(AnswerToFindingForm(request.POST, campaign=questionnaire.campaign))
        finding = finding_add(
            actor=request.user,
            subject=subject,
            content_item=data["content_item"],
            kind=data["kind"],
            text=answer.text,
            questionnaire_answer=answer,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"已转为{subject.person_name}的{finding.get_kind_display()} {finding.code}。"
        )
    return redirect("questionnaire_results", pk=questionnaire.pk)
