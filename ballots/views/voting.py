"""The member's voting page: one screen, a review step, a receipt. The choices never leave
the browser: static/js/ballot_cast.js encrypts them under the ballot's joint key and posts
only the sheet (ciphertexts and proofs), whose size depends on the ballot's layout alone."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render

from core.errors import ApplicationError

from ..models import Ballot, BallotStatus, Eligibility, Participation
from ..services import ballot_cast

# A sheet is a few hundred bytes per option and subject; anything far larger is not one.
SHEET_MAX = 1_000_000


def ballot_vote(request, pk: int):
    """The member's one screen: all subjects, a confirmation step, then a receipt."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    ballot = get_object_or_404(Ballot.objects.select_related("campaign"), pk=pk)
    context = {"ballot": ballot}
    if (
        not Eligibility.objects.filter(ballot=ballot, user=request.user).exists()
        and ballot.status == BallotStatus.OPEN
    ):
        return render(
            request, "ballots/ballot_vote.html", {**context, "state": "not_eligible"}, status=403
        )
    if Participation.objects.filter(ballot=ballot, user=request.user).exists():
        return render(request, "ballots/ballot_vote.html", {**context, "state": "voted"})
    if ballot.status != BallotStatus.OPEN:
        return render(request, "ballots/ballot_vote.html", {**context, "state": "closed"})
    status = 200
    if request.method == "POST":
        sheet = request.POST.get("sheet", "")
        if request.POST.get("step") != "confirm" or not sheet or len(sheet) > SHEET_MAX:
            messages.error(
                request,
                "没有收到加密的选票。请在启用 JavaScript 的浏览器中投票，或向工作人员领取纸质票。",
            )
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
    items = list(ballot.items.select_related("subject__unit"))
    rows = [{"item": item, "options": list(enumerate(ballot.sheet_options))} for item in items]
    crypto = {
        "joint_key": ballot.joint_key,
        "ballot_id": ballot.crypto_id,
        "layout": ballot.layout,
    }
    return render(
        request,
        "ballots/ballot_vote.html",
        {**context, "state": "form", "rows": rows, "crypto": crypto},
        status=status,
    )
