"""The member's voting page: one screen, a review step, a receipt. The choices never leave
the browser: static/js/ballot_cast.js encrypts them under the ballot's joint key and posts
only the sheet (ciphertexts and proofs), whose size depends on the ballot's layout alone."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import render

from core.errors import ApplicationError
from core.throttle import FailureThrottle

from ..models import Ballot, BallotStatus
from ..selectors import ballot_for_voter, ballot_results_visible
from ..services import ballot_cast
from ..services.cast import CodeRefused, ballot_cast_code, code_normalize, voting_code_find

# Unknown voting codes per client address, as for questionnaire codes (core.throttle):
# successful votes leave nothing in the cache.
code_throttle = FailureThrottle(
    "voting-code",
    limit_setting="QUESTIONNAIRE_CODE_FAILURE_LIMIT",
    window_setting="QUESTIONNAIRE_CODE_FAILURE_WINDOW",
)
NO_SHEET = "没有收到加密的选票。请在启用 JavaScript 的浏览器中投票，或向工作人员领取纸质票。"

# A sheet is a few hundred bytes per option and subject; anything far larger is not one.
SHEET_MAX = 1_000_000


# Not in the request's transaction (core.transactions): ballot_cast writes THAT the voter
# voted and the sheet in two transactions of its own, so that no commit ties them.
@transaction.non_atomic_requests
def ballot_vote(request, pk: int):
    """The member's one screen: all subjects, a confirmation step, then a receipt."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    # One query says all the page needs; ballot_cast then checks nothing again.
    ballot = ballot_for_voter(pk=pk, user=request.user)
    if ballot is None:
        raise Http404("没有找到该测评。")
    context = {"ballot": ballot, "slim": True}
    if not ballot.voter_eligible and ballot.status == BallotStatus.OPEN:
        return render(
            request, "ballots/ballot_vote.html", {**context, "state": "not_eligible"}, status=403
        )
    if ballot.voter_voted:
        return render(
            request,
            "ballots/ballot_vote.html",
            {**context, "state": "voted", "published": ballot_results_visible(ballot)},
        )
    if ballot.status != BallotStatus.OPEN:
        return render(request, "ballots/ballot_vote.html", {**context, "state": "not_voting"})
    status = 200
    if request.method == "POST":
        sheet = request.POST.get("sheet", "")
        if request.POST.get("step") != "confirm" or not sheet or len(sheet) > SHEET_MAX:
            messages.error(request, NO_SHEET)
            status = 400
        else:
            try:
                receipt = ballot_cast(actor=request.user, ballot=ballot, sheet=sheet)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                status = 400
            else:
                return render(
                    request,
                    "ballots/ballot_vote.html",
                    {**context, "state": "receipt", "receipt": receipt},
                )
    return render(
        request,
        "ballots/ballot_vote.html",
        {**context, **_form_context(ballot, ballot.crypto_id)},
        status=status,
    )


def _form_context(ballot: Ballot, sheet_ballot_id: str) -> dict:
    items = list(ballot.items.select_related("subject__unit"))
    return {
        "state": "form",
        "rows": [{"item": item, "options": list(enumerate(ballot.sheet_options))} for item in items],
        "crypto": {"joint_key": ballot.joint_key, "ballot_id": sheet_ballot_id, "layout": ballot.layout},
    }  # fmt: skip


@transaction.non_atomic_requests
def ballot_vote_code(request):
    """The voting page for a voter without an account (e.g. a deputy): the code from the
    slip (its link or QR, or typed) opens the same page, encrypted in the browser the same
    way, and votes once in its group's weight. No login. Unknown codes are throttled per
    client address before any code is looked at."""
    posted = request.method == "POST"
    code = code_normalize(request.POST.get("code", "") if posted else request.GET.get("c", ""))
    entry = {"state": "code_entry", "code_mode": True}
    if not code:
        if posted:
            messages.error(request, "请输入投票码条上的投票码。")
        return render(request, "ballots/ballot_vote.html", entry, status=400 if posted else 200)
    if code_throttle.blocked(request):
        minutes = settings.QUESTIONNAIRE_CODE_FAILURE_WINDOW // 60
        messages.error(request, f"投票码输错次数过多，请稍后再试（约 {minutes} 分钟后）。")
        return render(request, "ballots/ballot_vote.html", entry, status=429)
    try:
        voting_code = voting_code_find(code)
    except CodeRefused as exc:
        code_throttle.failed(request)
        messages.error(request, exc.message)
        return render(request, "ballots/ballot_vote.html", entry, status=400)
    ballot, group = voting_code.ballot, voting_code.voter_group
    context = {"ballot": ballot, "code_mode": True, "code": code, "group": group}
    if voting_code.used:
        return render(
            request,
            "ballots/ballot_vote.html",
            {**context, "state": "voted", "published": ballot_results_visible(ballot)},
        )
    if ballot.status != BallotStatus.OPEN:
        return render(request, "ballots/ballot_vote.html", {**context, "state": "not_voting"})
    status = 200
    if posted:
        sheet = request.POST.get("sheet", "")
        if request.POST.get("step") != "confirm" or not sheet or len(sheet) > SHEET_MAX:
            messages.error(request, NO_SHEET)
            status = 400
        else:
            try:
                receipt = ballot_cast_code(code=code, sheet=sheet)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                status = 400
            else:
                return render(
                    request,
                    "ballots/ballot_vote.html",
                    {**context, "state": "receipt", "receipt": receipt},
                )
    return render(
        request,
        "ballots/ballot_vote.html",
        {**context, **_form_context(ballot, group.sheet_ballot_id(ballot))},
        status=status,
    )
