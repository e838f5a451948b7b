"""The respondent's pages: the questionnaire itself, mobile first, no login."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from core.control_characters import checks_control_characters, control_characters_strip
from core.errors import ApplicationError
from core.throttle import FailureThrottle

from ..models import QuestionKind, Questionnaire
from ..services import CodeRefused, response_submit
from ..workflows import QUESTIONNAIRE_WORKFLOW

DEVICE_COOKIE = "shuzhi_survey_device"
# Wrong codes per client address; successful submissions leave nothing in it.
code_throttle = FailureThrottle(
    "questionnaire-code",
    limit_setting="QUESTIONNAIRE_CODE_FAILURE_LIMIT",
    window_setting="QUESTIONNAIRE_CODE_FAILURE_WINDOW",
)


@transaction.non_atomic_requests
@checks_control_characters
def questionnaire_respond(request, token: str):
    """The respondent's page: only the questionnaire, mobile first, no login.

    Not one transaction per request: the sealed answer is written in a transaction of its
    own, never the one that marks the code used (core.transactions). Everything posted goes
    to response_submit, which refuses control characters; the page then comes back with the
    answers minus those invisible characters, ready to send again.
    """
    questionnaire = get_object_or_404(Questionnaire, public_token=token)
    caps = QUESTIONNAIRE_WORKFLOW.capabilities(questionnaire, request.user)
    if not caps["collecting"]:
        return render(
            request,
            "surveys/respond_closed.html",
            {"q": questionnaire, "over": caps["collection_over"]},
            status=410 if caps["collection_over"] else 404,
        )
    questions = list(questionnaire.questions.select_related("subject__unit"))
    values: dict[int, str] = {}
    code = request.GET.get("c", "")
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")
        values = {q.pk: _posted_value(request, q, questionnaire) for q in questions}
        device = request.COOKIES.get(DEVICE_COOKIE, "")
        if questionnaire.needs_code and code_throttle.blocked(request):
            # Refused before any code is looked at: guessing learns nothing here.
            minutes = settings.QUESTIONNAIRE_CODE_FAILURE_WINDOW // 60
            messages.error(request, f"答题码输错次数过多，请稍后再试（约 {minutes} 分钟后）。")
            status = 429
        else:
            try:
                response_submit(
                    questionnaire=questionnaire, answers=values, code=code, device_token=device
                )
            except ApplicationError as exc:
                if isinstance(exc, CodeRefused):
                    code_throttle.failed(request)
                messages.error(request, exc.message)
                status = 400
            else:
                return redirect("questionnaire_done", token=token)
        code = control_characters_strip(code)
        values = {pk: control_characters_strip(v) for pk, v in values.items()}
    response = render(
        request,
        "surveys/respond.html",
        {
            "q": questionnaire,
            "questions": questions,
            "values": values,
            "code": code,
            "kinds": QuestionKind,
            # After a refused submit: the required ratings left unanswered, marked on the page.
            "missing": {
                q.pk
                for q in questions
                if request.method == "POST"
                and q.required
                and q.kind == QuestionKind.RATING
                and not values.get(q.pk)
            },
        },
        status=status,
    )
    if not questionnaire.needs_code and DEVICE_COOKIE not in request.COOKIES:
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(24),
            max_age=3600 * 24 * 365,
            httponly=True,
            samesite="Lax",
        )
    return response


def _posted_value(request, question, questionnaire: Questionnaire) -> str:
    """Ratings travel as option indices (one digit), never labels, so a request's size does
    not depend on the choice; anything else becomes a value the service refuses."""
    raw = request.POST.get(f"q{question.pk}", "")
    if question.kind != QuestionKind.RATING or not raw:
        return raw
    options = questionnaire.rating_options
    if len(raw) == 1 and "0" <= raw <= "9" and int(raw) < len(options):
        return options[int(raw)]
    return "?"


def questionnaire_done(request, token: str):
    questionnaire = get_object_or_404(Questionnaire, public_token=token)
    return render(request, "surveys/respond_done.html", {"q": questionnaire})
